package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.store.WriteResult.Failure;
import io.kubeactor.controlplane.store.WriteResult.Rejected;
import io.kubeactor.controlplane.store.WriteResult.Written;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
          "pekko.actor.serialization-bindings {\"io.kubeactor.common.CborSerializable\" = jackson-cbor}")));

  WatchCache cache;
  TestProbe<Checkpointer.Command> checkpoints;
  EventSourcedBehaviorTestKit<ObjectStore.Command, StoreEvent, StoreState> store;

  @BeforeEach
  void setUp() {
    cache = new WatchCache(100);
    checkpoints = testKit.createTestProbe();
    store = EventSourcedBehaviorTestKit.create(testKit.system(), ObjectStore.create(cache, checkpoints.getRef(), 3));
    store.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static ObjectNode pod(String name) {
    ObjectNode o = Json.object().put("apiVersion", "v1").put("kind", "Pod");
    o.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
    return o;
  }

  private List<WriteResult> apply(Mutation... mutations) {
    var result = store.<ObjectStore.BatchApplied>runCommand(replyTo -> new ObjectStore.ApplyBatch(List.of(mutations), replyTo));
    return result.reply().results();
  }

  @Test
  void createStampsOneGlobalResourceVersionPerChange() {
    List<WriteResult> results = apply(
        new Mutation.Create("core/pods/default/a", pod("a")),
        new Mutation.Create("core/pods/default/b", pod("b")));

    assertThat(results).allMatch(r -> r instanceof Written);
    assertThat(((Written) results.get(0)).object().at("/metadata/resourceVersion").asText()).isEqualTo("1");
    assertThat(((Written) results.get(1)).object().at("/metadata/resourceVersion").asText()).isEqualTo("2");
    assertThat(store.getState().resourceVersion()).isEqualTo(2);
    assertThat(cache.state().get("core/pods/default/b")).isNotNull();
  }

  @Test
  void createOfAnExistingKeyIsRejectedAndTheRestOfTheBatchStillApplies() {
    apply(new Mutation.Create("core/pods/default/a", pod("a")));
    List<WriteResult> results = apply(
        new Mutation.Create("core/pods/default/a", pod("a")),
        new Mutation.Create("core/pods/default/c", pod("c")));

    assertThat(results.get(0)).isInstanceOf(Rejected.class);
    assertThat(((Rejected) results.get(0)).failure()).isEqualTo(Failure.ALREADY_EXISTS);
    assertThat(results.get(1)).isInstanceOf(Written.class);
  }

  @Test
  void updateWithAStaleResourceVersionConflicts() {
    apply(new Mutation.Create("core/pods/default/a", pod("a")));
    ObjectNode changed = pod("a");
    changed.withObjectProperty("metadata").putObject("labels").put("x", "y");

    List<WriteResult> stale = apply(new Mutation.Update("core/pods/default/a", changed.deepCopy(), 7));
    List<WriteResult> fresh = apply(new Mutation.Update("core/pods/default/a", changed.deepCopy(), 1));

    assertThat(((Rejected) stale.get(0)).failure()).isEqualTo(Failure.CONFLICT);
    assertThat(((Written) fresh.get(0)).object().at("/metadata/labels/x").asText()).isEqualTo("y");
    assertThat(((Written) fresh.get(0)).object().at("/metadata/resourceVersion").asText()).isEqualTo("2");
  }

  @Test
  void deleteChecksTheUidAndRemovesTheObject() {
    apply(new Mutation.Create("core/pods/default/a", pod("a")));

    List<WriteResult> wrongUid = apply(new Mutation.Delete("core/pods/default/a", 0, "other"));
    List<WriteResult> deleted = apply(new Mutation.Delete("core/pods/default/a", 0, "uid-a"));
    List<WriteResult> again = apply(new Mutation.Delete("core/pods/default/a", 0, null));

    assertThat(((Rejected) wrongUid.get(0)).failure()).isEqualTo(Failure.CONFLICT);
    assertThat(((Written) deleted.get(0)).object().at("/metadata/resourceVersion").asText()).isEqualTo("2");
    assertThat(((Rejected) again.get(0)).failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(store.getState().get("core/pods/default/a")).isNull();
  }

  @Test
  void stateSurvivesARestartFromTheJournal() {
    apply(new Mutation.Create("core/pods/default/a", pod("a")),
        new Mutation.Create("core/pods/default/b", pod("b")));
    apply(new Mutation.Delete("core/pods/default/a", 0, null));

    var restarted = store.restart();

    assertThat(restarted.state().resourceVersion()).isEqualTo(3);
    assertThat(restarted.state().objects().keySet()).containsExactly("core/pods/default/b");
  }

  @Test
  void everyThirdEventTheStateGoesToTheCheckpointerWithItsSequenceNumber() {
    apply(new Mutation.Create("core/pods/default/a", pod("a")), new Mutation.Create("core/pods/default/b", pod("b")));
    checkpoints.expectNoMessage(java.time.Duration.ofMillis(50));
    apply(new Mutation.Create("core/pods/default/c", pod("c")), new Mutation.Create("core/pods/default/d", pod("d")));

    Checkpointer.Checkpoint c = checkpoints.expectMessageClass(Checkpointer.Checkpoint.class);
    assertThat(c.sequenceNr()).isEqualTo(4);
    assertThat(c.state().objects()).hasSize(4);
  }

  @Test
  void aStopCheckpointIsTakenOnlyWhenATenthOfAnIntervalWouldBeReplayedCountingWhatRecoveryReplayed() {
    var s = EventSourcedBehaviorTestKit.<ObjectStore.Command, StoreEvent, StoreState>create(
        testKit.system(), ObjectStore.create(cache, checkpoints.getRef(), 20));
    s.clear();
    TestProbe<Done> saved = testKit.createTestProbe();
    s.<ObjectStore.BatchApplied>runCommand(r -> new ObjectStore.ApplyBatch(List.of(new Mutation.Create("core/pods/default/a", pod("a"))), r));

    // one event since the start: not worth a snapshot (a tenth of 20 is 2)
    s.runCommand(new ObjectStore.CheckpointNow(saved.getRef()));
    saved.expectMessage(Done.getInstance());
    checkpoints.expectNoMessage(java.time.Duration.ofMillis(50));

    s.<ObjectStore.BatchApplied>runCommand(r -> new ObjectStore.ApplyBatch(List.of(new Mutation.Create("core/pods/default/b", pod("b")),
        new Mutation.Create("core/pods/default/c", pod("c"))), r));
    // recovery replays the three events (the probe saved no snapshot): the stop checkpoints all of them
    s.restart();
    s.runCommand(new ObjectStore.CheckpointNow(saved.getRef()));
    Checkpointer.Checkpoint c = checkpoints.expectMessageClass(Checkpointer.Checkpoint.class);
    assertThat(c.sequenceNr()).isEqualTo(3);
    assertThat(c.state().objects()).hasSize(3);
    // the checkpointer answers once it is saved, not the store
    assertThat(c.whenSaved()).isEqualTo(saved.getRef());
    saved.expectNoMessage(java.time.Duration.ofMillis(50));

    // nothing written since that checkpoint: nothing to save
    s.runCommand(new ObjectStore.CheckpointNow(saved.getRef()));
    saved.expectMessage(Done.getInstance());
    checkpoints.expectNoMessage(java.time.Duration.ofMillis(50));
  }

  @Test
  void watchesResumeInsideTheWindowAndExpireBeforeIt() throws Exception {
    WatchCache small = new WatchCache(2);
    var s = EventSourcedBehaviorTestKit.<ObjectStore.Command, StoreEvent, StoreState>create(
        testKit.system(), ObjectStore.create(small, checkpoints.getRef(), 1000));
    s.clear();
    s.restart();
    for (String n : List.of("a", "b", "c")) {
      s.<ObjectStore.BatchApplied>runCommand(r -> new ObjectStore.ApplyBatch(
          List.of(new Mutation.Create("core/pods/default/" + n, pod(n))), r));
    }
    List<WatchCache.Change> seen = new java.util.ArrayList<>();
    small.watch(1, "core/pods/", seen::add).close();

    assertThat(seen).extracting(WatchCache.Change::resourceVersion).containsExactly(2L, 3L);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> small.watch(0, "core/pods/", c -> {}))
        .isInstanceOf(WatchCache.Expired.class);
  }
}
