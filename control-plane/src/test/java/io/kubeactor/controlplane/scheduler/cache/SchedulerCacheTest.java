package io.kubeactor.controlplane.scheduler.cache;

import static io.kubeactor.controlplane.scheduler.Fixtures.boundTo;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static io.kubeactor.controlplane.scheduler.Fixtures.withPhase;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.controller.nodelifecycle.MutableClock;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.PodInfo;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {

  static final Duration TTL = Duration.ofSeconds(30);

  MutableClock clock;
  SchedulerCache cache;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    cache = new SchedulerCache(TTL, clock);
    cache.addNode(node("node-a", "4", "8Gi"));
    cache.addNode(node("node-b", "4", "8Gi"));
  }

  private static List<String> podKeys(NodeInfo node) {
    return node.pods().stream().map(PodInfo::key).toList();
  }

  private Snapshot snapshot() {
    Snapshot snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    return snapshot;
  }

  @Test
  void anAssumedPodCountsOnItsNodeAtOnceAndTheInformersBoundPodConfirmsIt() {
    Pod web = pod("web", "500m", "1Gi");
    cache.assumePod(web, "node-a");
    assertThat(cache.isAssumed("default/web")).isTrue();
    assertThat(cache.nodeInfo("node-a").requested().milliCpu()).isEqualTo(500);
    assertThat(snapshot().get("node-a").pods()).hasSize(1);

    cache.addPod(boundTo(web, "node-a"));

    assertThat(cache.isAssumed("default/web")).isFalse();
    assertThat(podKeys(cache.nodeInfo("node-a"))).containsExactly("default/web");
    assertThat(cache.nodeInfo("node-a").requested().milliCpu()).isEqualTo(500);
    assertThat(cache.podCount()).isEqualTo(1);
  }

  @Test
  void anAssumedPodExpiresOnlyOnceItsBindingFinishedAndTheTtlPassedUnconfirmed() {
    cache.assumePod(pod("web", "500m", "1Gi"), "node-a");
    clock.advance(TTL.multipliedBy(2));
    // the binding is still being written: never expired meanwhile
    assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();

    cache.finishBinding("default/web");
    clock.advance(TTL);
    assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();
    assertThat(cache.contains("default/web")).isTrue();

    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.cleanupExpiredAssumedPods()).containsExactly("default/web");
    assertThat(cache.contains("default/web")).isFalse();
    assertThat(cache.nodeInfo("node-a").pods()).isEmpty();
    assertThat(cache.nodeInfo("node-a").requested().milliCpu()).isZero();

    // the informer shows it bound after all: counted again
    cache.addPod(boundTo(pod("web", "500m", "1Gi"), "node-a"));
    assertThat(podKeys(cache.nodeInfo("node-a"))).containsExactly("default/web");
  }

  @Test
  void aConfirmedPodNeverExpires() {
    Pod web = pod("web", "500m", "1Gi");
    cache.assumePod(web, "node-a");
    cache.addPod(boundTo(web, "node-a"));
    cache.finishBinding("default/web"); // the outcome may arrive after the informer's event
    clock.advance(TTL.multipliedBy(10));
    assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();
    assertThat(podKeys(cache.nodeInfo("node-a"))).containsExactly("default/web");
  }

  @Test
  void aZeroTtlNeverExpiresAssumedPods() {
    SchedulerCache forever = new SchedulerCache(Duration.ZERO, clock);
    forever.addNode(node("node-a", "4", "8Gi"));
    forever.assumePod(pod("web", "500m", "1Gi"), "node-a");
    forever.finishBinding("default/web");
    clock.advance(Duration.ofDays(1));
    assertThat(forever.cleanupExpiredAssumedPods()).isEmpty();
    assertThat(forever.isAssumed("default/web")).isTrue();
  }

  @Test
  void aFailedBindingForgetsTheAssumedPodButForgettingLeavesConfirmedPodsAlone() {
    cache.assumePod(pod("web", "500m", "1Gi"), "node-a");
    cache.forgetPod("default/web");
    assertThat(cache.contains("default/web")).isFalse();
    assertThat(cache.nodeInfo("node-a").requested().milliCpu()).isZero();

    cache.addPod(boundTo(pod("db", "1", "1Gi"), "node-b"));
    cache.forgetPod("default/db");
    assertThat(podKeys(cache.nodeInfo("node-b"))).containsExactly("default/db");
  }

  @Test
  void aPodConfirmedOnAnotherNodeThanAssumedMovesThere() {
    Pod web = pod("web", "500m", "1Gi");
    cache.assumePod(web, "node-a");
    cache.addPod(boundTo(web, "node-b"));
    assertThat(cache.nodeInfo("node-a").pods()).isEmpty();
    assertThat(cache.nodeInfo("node-a").requested().milliCpu()).isZero();
    assertThat(podKeys(cache.nodeInfo("node-b"))).containsExactly("default/web");
    assertThat(cache.nodeOf("default/web")).isEqualTo("node-b");

    // an update naming yet another node moves it again
    cache.updatePod(boundTo(web, "node-a"));
    assertThat(cache.nodeInfo("node-b").pods()).isEmpty();
    assertThat(podKeys(cache.nodeInfo("node-a"))).containsExactly("default/web");
    assertThat(cache.podCount()).isEqualTo(1);
  }

  @Test
  void anUpdatedPodIsCountedWithItsNewRequestsOnce() {
    cache.addPod(boundTo(pod("web", "500m", "1Gi"), "node-a"));
    cache.updatePod(boundTo(pod("web", "1", "1Gi"), "node-a"));
    assertThat(cache.nodeInfo("node-a").pods()).hasSize(1);
    assertThat(cache.nodeInfo("node-a").requested().milliCpu()).isEqualTo(1000);
  }

  @Test
  void aDeletedNodeLeavesTheSnapshotWhileItsPodsStayUntilTheirOwnDeletions() {
    cache.addPod(boundTo(pod("web", "500m", "1Gi"), "node-a"));
    Snapshot snapshot = snapshot();
    assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("node-a", "node-b");

    cache.removeNode("node-a");
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("node-b");
    assertThat(snapshot.get("node-a")).isNull();
    assertThat(cache.nodeCount()).isEqualTo(1);
    assertThat(cache.contains("default/web")).isTrue();
    assertThat(cache.nodeInfo("node-a").node()).isNull();

    cache.removePod("default/web");
    assertThat(cache.nodeInfo("node-a")).isNull();
    assertThat(cache.podCount()).isZero();

    // the node comes back
    cache.addNode(node("node-a", "4", "8Gi"));
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("node-a", "node-b");
    assertThat(snapshot.get("node-a").pods()).isEmpty();
  }

  @Test
  void aPodOnANodeNotSeenYetCountsOnceTheNodeArrives() {
    cache.addPod(boundTo(pod("web", "500m", "1Gi"), "node-c"));
    Snapshot snapshot = snapshot();
    assertThat(snapshot.get("node-c")).isNull();
    cache.addNode(node("node-c", "4", "8Gi"));
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("node-a", "node-b", "node-c");
    assertThat(podKeys(snapshot.get("node-c"))).containsExactly("default/web");
  }

  @Test
  void aTerminatedPodIsNotCountedWhenASnapshotIsBuiltFromLists() {
    Snapshot snapshot = SchedulerCache.snapshotOf(List.of(node("node-a", "4", "8Gi")),
        List.of(boundTo(pod("done", "1", "1Gi"), "node-a"), withPhase(boundTo(pod("ended", "1", "1Gi"), "node-a"), "Succeeded")),
        null, null);
    assertThat(podKeys(snapshot.get("node-a"))).containsExactly("default/done");
  }

  @Test
  void aSnapshotUpdateCopiesOnlyTheNodesChangedSinceAndEarlierCopiesStayAsTheyWere() {
    Snapshot snapshot = snapshot();
    NodeInfo a = snapshot.get("node-a");
    NodeInfo b = snapshot.get("node-b");
    long generation = snapshot.generation();

    cache.assumePod(pod("web", "500m", "1Gi"), "node-b");
    cache.updateSnapshot(snapshot);

    assertThat(snapshot.generation()).isGreaterThan(generation);
    assertThat(snapshot.get("node-a")).isSameAs(a);
    assertThat(snapshot.get("node-b")).isNotSameAs(b);
    assertThat(snapshot.get("node-b").pods()).hasSize(1);
    assertThat(b.pods()).isEmpty(); // the copy an earlier attempt saw
    assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("node-a", "node-b");
    assertThat(snapshot.nodes().get(1)).isSameAs(snapshot.get("node-b"));

    // nothing changed: nothing copied
    NodeInfo bNow = snapshot.get("node-b");
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("node-b")).isSameAs(bNow);
  }

  @Test
  void theSnapshotListsTheNodesWithAffinityPods() {
    Pod anti = io.kubeactor.controlplane.scheduler.Fixtures.yamlPod("""
        metadata: {name: anti, namespace: default, labels: {app: db}}
        spec:
          nodeName: node-b
          containers: [{name: c, image: i}]
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {app: db}}
                topologyKey: kubernetes.io/hostname
        """);
    Snapshot snapshot = snapshot();
    assertThat(snapshot.havePodsWithRequiredAntiAffinity()).isEmpty();
    cache.addPod(anti);
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.havePodsWithAffinity()).extracting(NodeInfo::name).containsExactly("node-b");
    assertThat(snapshot.havePodsWithRequiredAntiAffinity()).extracting(NodeInfo::name).containsExactly("node-b");
    cache.removePod("default/anti");
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.havePodsWithAffinity()).isEmpty();
    assertThat(snapshot.havePodsWithRequiredAntiAffinity()).isEmpty();
  }
}
