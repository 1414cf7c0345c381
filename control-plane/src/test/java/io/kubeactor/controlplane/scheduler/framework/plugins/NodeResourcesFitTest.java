package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.boundTo;
import static io.kubeactor.controlplane.scheduler.Fixtures.cycle;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static io.kubeactor.controlplane.scheduler.Fixtures.withAllocatable;
import static io.kubeactor.controlplane.scheduler.Fixtures.yamlPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeResourcesFitTest {

  private final NodeResourcesFit fit = new NodeResourcesFit();

  private Status filter(Pod pod, Node node, Pod... bound) {
    CycleState state = cycle(List.of(node), List.of(bound), pod);
    assertThat(fit.preFilter(state, pod).status().isSuccess()).isTrue();
    return fit.filter(state, pod, state.snapshot().nodes().get(0));
  }

  @Test
  void fitsWhatIsLeftOfAllocatable() {
    Node node = node("n", "1", "1Gi");
    assertThat(filter(pod("p", "500m", "512Mi"), node, boundTo(pod("q", "500m", "512Mi"), "n"))).isEqualTo(Status.SUCCESS);
    assertThat(filter(pod("p", "501m", "512Mi"), node, boundTo(pod("q", "500m", "512Mi"), "n")).reasons())
        .containsExactly("Insufficient cpu");
  }

  @Test
  void everyShortResourceIsAReasonInUpstreamOrder() {
    Node node = withAllocatable(withAllocatable(node("n", "1", "1Gi"), "pods", "1"), "example.com/gpu", "1");
    Pod pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers:
          - {name: a, resources: {requests: {cpu: "2", memory: 2Gi, ephemeral-storage: 1Gi, example.com/gpu: "2"}}}
        """);
    assertThat(filter(pod, node, boundTo(pod("q", null, null), "n")).reasons()).containsExactly(
        "Too many pods", "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage",
        "Insufficient example.com/gpu");
  }

  @Test
  void aPodWithoutRequestsOnlyNeedsAPodSlot() {
    Node node = node("n", "1", "1Gi");
    // Even on a node already overcommitted by its bound pods.
    assertThat(filter(pod("p", null, null), node, boundTo(pod("q", "2", "2Gi"), "n"))).isEqualTo(Status.SUCCESS);
  }

  @Test
  void leastAllocatedAsUpstreamComputesIt() {
    // pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go, "differently sized nodes".
    Pod pod = pod("p", "3000m", "5000");
    List<Node> nodes = List.of(node("node1", "4000m", "10000"), node("node2", "6000m", "10000"));
    CycleState state = cycle(nodes, List.of(), pod);
    fit.preScore(state, pod, state.snapshot().nodes());
    // node1: cpu (4000-3000)*100/4000 = 25, memory 50 -> 37; node2: 50 and 50 -> 50.
    assertThat(fit.score(state, pod, state.snapshot().get("node1"))).isEqualTo(37);
    assertThat(fit.score(state, pod, state.snapshot().get("node2"))).isEqualTo(50);
  }

  @Test
  void leastAllocatedCountsDefaultsForPodsWithoutRequests() {
    Pod pod = pod("p", null, null);
    Pod bound = boundTo(pod("q", null, null), "n");
    CycleState state = cycle(List.of(node("n", "1", "1000Mi")), List.of(bound), pod);
    // 2 x 100m of 1000m -> 80; 2 x 200Mi of 1000Mi -> 60; average 70.
    assertThat(fit.score(state, pod, state.snapshot().get("n"))).isEqualTo(70);
  }

  @Test
  void leastAllocatedIsZeroForAnOvercommittedResourceAndSkipsMissingOnes() {
    Pod pod = pod("p", "2", "100Mi");
    Node noMemory = node("n", "1", "0");
    CycleState state = cycle(List.of(noMemory), List.of(), pod);
    assertThat(fit.score(state, pod, state.snapshot().get("n"))).isZero();
  }
}
