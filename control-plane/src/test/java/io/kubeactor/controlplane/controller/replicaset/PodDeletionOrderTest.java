package io.kubeactor.controlplane.controller.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeactor.common.Timestamps;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's ActivePodsWithRanks, criterion by criterion. */
class PodDeletionOrderTest {

  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  static PodBuilder pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name)
        .withCreationTimestamp(Timestamps.format(NOW.minusSeconds(3600))).endMetadata()
        .withNewSpec().withNodeName("node-1").endSpec()
        .withNewStatus().withPhase("Running").endStatus();
  }

  static PodBuilder ready(PodBuilder b, Instant since) {
    return b.editStatus().addNewCondition().withType("Ready").withStatus("True")
        .withLastTransitionTime(Timestamps.format(since)).endCondition().endStatus();
  }

  static List<String> order(List<Pod> pods, List<Pod> related) {
    return new PodDeletionOrder(related, NOW).sorted(pods).stream().map(p -> p.getMetadata().getName()).toList();
  }

  static List<String> order(Pod... pods) {
    return order(List.of(pods), List.of(pods));
  }

  @Test
  void unassignedBeforeAssigned() {
    Pod assigned = pod("assigned").build();
    Pod unassigned = pod("unassigned").editSpec().withNodeName(null).endSpec().build();
    assertThat(order(assigned, unassigned)).containsExactly("unassigned", "assigned");
  }

  @Test
  void pendingBeforeUnknownBeforeRunning() {
    Pod running = pod("running").build();
    Pod unknown = pod("unknown").editStatus().withPhase("Unknown").endStatus().build();
    Pod pending = pod("pending").editStatus().withPhase("Pending").endStatus().build();
    assertThat(order(running, unknown, pending)).containsExactly("pending", "unknown", "running");
  }

  @Test
  void notReadyBeforeReady() {
    Pod ready = ready(pod("ready"), NOW.minusSeconds(100)).build();
    Pod notReady = pod("not-ready").build();
    assertThat(order(ready, notReady)).containsExactly("not-ready", "ready");
  }

  @Test
  void lowerDeletionCostFirst() {
    Pod costly = pod("costly").editMetadata().addToAnnotations(PodDeletionOrder.DELETION_COST, "100").endMetadata().build();
    Pod cheap = pod("cheap").editMetadata().addToAnnotations(PodDeletionOrder.DELETION_COST, "-5").endMetadata().build();
    Pod plain = pod("plain").build();
    assertThat(order(costly, plain, cheap)).containsExactly("cheap", "plain", "costly");
  }

  @Test
  void podsOnNodesWithMoreRelatedPodsFirst() {
    Pod alone = pod("alone").editSpec().withNodeName("node-2").endSpec().build();
    Pod crowded = pod("crowded").build();
    Pod sibling = pod("sibling-of-other-rs").build();
    assertThat(order(List.of(alone, crowded), List.of(alone, crowded, sibling))).containsExactly("crowded", "alone");
  }

  @Test
  void readyForLessTimeFirstOnALogScale() {
    Pod longReady = ready(pod("long"), NOW.minusSeconds(7200)).build();
    Pod shortReady = ready(pod("short"), NOW.minusSeconds(10)).build();
    assertThat(order(longReady, shortReady)).containsExactly("short", "long");
  }

  @Test
  void moreRestartsFirst() {
    Pod calm = pod("calm").editStatus().addNewContainerStatus().withName("c").withRestartCount(0).endContainerStatus().endStatus().build();
    Pod crashy = pod("crashy").editStatus().addNewContainerStatus().withName("c").withRestartCount(7).endContainerStatus().endStatus().build();
    assertThat(order(calm, crashy)).containsExactly("crashy", "calm");
  }

  @Test
  void newerFirst() {
    Pod old = pod("old").build();
    Pod young = pod("young").editMetadata().withCreationTimestamp(Timestamps.format(NOW.minusSeconds(5))).endMetadata().build();
    assertThat(order(old, young)).containsExactly("young", "old");
  }

  @Test
  void choosesTheCheapestCount() {
    Pod a = ready(pod("a"), NOW.minusSeconds(100)).build();
    Pod b = pod("b").build();
    Pod c = ready(pod("c"), NOW.minusSeconds(100)).build();
    assertThat(new PodDeletionOrder(List.of(), NOW).choose(List.of(a, b, c), 1)).extracting(p -> p.getMetadata().getName())
        .containsExactly("b");
    assertThat(new PodDeletionOrder(List.of(), NOW).choose(List.of(a, b, c), 5)).hasSize(3);
  }
}
