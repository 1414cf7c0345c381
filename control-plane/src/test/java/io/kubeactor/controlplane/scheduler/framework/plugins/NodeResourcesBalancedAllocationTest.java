package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.boundTo;
import static io.kubeactor.controlplane.scheduler.Fixtures.cycle;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeResourcesBalancedAllocationTest {

  private final NodeResourcesBalancedAllocation balanced = new NodeResourcesBalancedAllocation();

  private long score(Pod pod, Node node, Pod... bound) {
    CycleState state = cycle(List.of(node), List.of(bound), pod);
    balanced.preScore(state, pod, state.snapshot().nodes());
    return balanced.score(state, pod, state.snapshot().nodes().get(0));
  }

  @Test
  void asUpstreamComputesIt() {
    // balanced_allocation_test.go, "differently sized nodes": fractions 0.75 and 0.5 -> 1 - 0.125.
    assertThat(score(pod("p", "3000m", "5000"), node("node1", "4000m", "10000"))).isEqualTo(87);
    assertThat(score(pod("p", "3000m", "5000"), node("node2", "6000m", "10000"))).isEqualTo(100);
  }

  @Test
  void countsBoundPodsAndCapsFractionsAtOne() {
    // cpu 3000+3000 of 4000 -> 1 (capped); memory 5000+0 of 10000 -> 0.5; 1 - 0.25.
    assertThat(score(pod("p", "3000m", "5000"), node("n", "4000m", "10000"), boundTo(pod("q", "3", null), "n")))
        .isEqualTo(75);
  }

  @Test
  void aPodWithoutRequestsOnAnEmptyNodeIsBalanced() {
    // Requests as given, without the scoring defaults: 0 of each, so the fractions are equal.
    assertThat(score(pod("p", null, null), node("n", "1", "1Gi"))).isEqualTo(100);
  }
}
