package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Group commit: writes that arrive while a batch is in flight go together in the next one. */
class StoreWriterTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static Mutation create(String name) {
    return new Mutation.Create("core/configmaps/default/" + name, ObjectStoreTest.pod(name));
  }

  @Test
  void writesWaitingForABatchGoTogetherInTheNext() {
    TestProbe<ObjectStore.Command> store = testKit.createTestProbe();
    TestProbe<WriteResult> client = testKit.createTestProbe();
    ActorRef<StoreWriter.Command> writer = testKit.spawn(StoreWriter.create(store.getRef(), Duration.ofSeconds(5), 256));

    writer.tell(new StoreWriter.Write(create("a"), client.getRef()));
    ObjectStore.ApplyBatch first = store.expectMessageClass(ObjectStore.ApplyBatch.class);
    assertThat(first.mutations()).extracting(Mutation::key).containsExactly("core/configmaps/default/a");

    for (String n : List.of("b", "c", "d")) writer.tell(new StoreWriter.Write(create(n), client.getRef()));
    store.expectNoMessage(Duration.ofMillis(100));

    first.replyTo().tell(new ObjectStore.BatchApplied(List.of(new WriteResult.Written(ObjectStoreTest.pod("a")))));
    client.expectMessageClass(WriteResult.Written.class);
    ObjectStore.ApplyBatch second = store.expectMessageClass(ObjectStore.ApplyBatch.class);
    assertThat(second.mutations()).extracting(Mutation::key)
        .containsExactly("core/configmaps/default/b", "core/configmaps/default/c", "core/configmaps/default/d");
  }

  @Test
  void aBatchTheStoreDoesNotAnswerIsReportedUnavailable() {
    TestProbe<ObjectStore.Command> store = testKit.createTestProbe();
    TestProbe<WriteResult> client = testKit.createTestProbe();
    ActorRef<StoreWriter.Command> writer = testKit.spawn(StoreWriter.create(store.getRef(), Duration.ofMillis(200), 256));

    writer.tell(new StoreWriter.Write(create("a"), client.getRef()));
    store.expectMessageClass(ObjectStore.ApplyBatch.class);

    WriteResult r = client.expectMessageClass(WriteResult.Rejected.class, Duration.ofSeconds(3));
    assertThat(((WriteResult.Rejected) r).failure()).isEqualTo(WriteResult.Failure.UNAVAILABLE);
  }
}
