package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CheckpointerTest {

  /** Pekko's in-memory journal and snapshot store, which the checkpointer's default plugins are here. */
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
          "pekko.actor.serialization-bindings {\"io.kubeactor.common.CborSerializable\" = jackson-cbor}")));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void whoeverWaitsForACheckpointHearsOnceItOrANewerOneThatReplacedItIsSaved() {
    SnapshotTestKit snapshots = SnapshotTestKit.create(testKit.system());
    ActorRef<Checkpointer.Command> checkpointer = testKit.spawn(Checkpointer.create("checkpointer-test"));
    TestProbe<Done> first = testKit.createTestProbe();
    TestProbe<Done> replaced = testKit.createTestProbe();
    // told at once: the first is being saved while the second waits, and the third replaces the second
    checkpointer.tell(new Checkpointer.Checkpoint(StoreState.EMPTY, 1, false, first.getRef()));
    checkpointer.tell(new Checkpointer.Checkpoint(StoreState.EMPTY, 2, false, replaced.getRef()));
    checkpointer.tell(new Checkpointer.Checkpoint(StoreState.EMPTY, 3));

    first.expectMessage(Done.getInstance());
    replaced.expectMessage(Done.getInstance());
    // heard once the second, or the third that replaced it, is saved: the third replaces the second
    // while the first is being saved, unless the first was saved before the others arrived (a busy
    // machine), when the second is saved itself
    List<Long> saved = snapshots.persistedInStorage("checkpointer-test").stream().map(p -> p.first().sequenceNr()).toList();
    assertThat(saved).containsAnyOf(2L, 3L);
    if (!saved.contains(2L)) assertThat(saved).contains(3L);
    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(snapshots.persistedInStorage("checkpointer-test"))
        .extracting(p -> p.first().sequenceNr()).contains(3L));
  }

  @Test
  void aSnapshotIntervalsEventsGoInTenSlicesAndASmallRemainderInOne() {
    long from = 10_000;
    long target = 15_000;
    int requests = 0;
    while (from < target) {
      long end = Checkpointer.sliceEnd(from, target);
      assertThat(end - from).isLessThanOrEqualTo(500);
      from = end;
      requests++;
    }
    assertThat(requests).isEqualTo(10);
    assertThat(Checkpointer.sliceEnd(15_000, 15_120)).isEqualTo(15_120);
  }

  @Test
  void aLargeBacklogStillGoesInAboutTenSlices() {
    // e.g. deletions that fell behind a burst of writes: slices grow rather than pile up
    assertThat(Checkpointer.sliceEnd(0, 100_000)).isEqualTo(10_000);
    assertThat(Checkpointer.sliceEnd(0, 100_001)).isEqualTo(10_001);
  }
}
