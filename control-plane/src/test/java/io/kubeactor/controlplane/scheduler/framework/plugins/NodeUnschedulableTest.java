package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.cordoned;
import static io.kubeactor.controlplane.scheduler.Fixtures.cycle;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cordoned node (kubectl cordon: spec.unschedulable) takes only pods that tolerate its taint. */
class NodeUnschedulableTest {

  private final NodeUnschedulable plugin = new NodeUnschedulable();

  private Status filter(Pod pod, Node node) {
    CycleState state = cycle(List.of(node), List.of(), pod);
    return plugin.filter(state, pod, state.snapshot().nodes().get(0));
  }

  @Test
  void aCordonedNodeIsRefusedWithUpstreamsReason() {
    assertThat(filter(pod("p", null, null), cordoned(node("n", "1", "1Gi"))).reasons())
        .containsExactly("node(s) were unschedulable");
  }

  @Test
  void anUncordonedNodeIsFine() {
    assertThat(filter(pod("p", null, null), node("n", "1", "1Gi"))).isEqualTo(Status.SUCCESS);
  }

  @Test
  void aPodToleratingTheUnschedulableTaintMayGoThere() {
    Pod tolerant = new PodBuilder(pod("p", null, null)).editSpec().withTolerations(new TolerationBuilder()
        .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoSchedule").build()).endSpec().build();
    assertThat(filter(tolerant, cordoned(node("n", "1", "1Gi")))).isEqualTo(Status.SUCCESS);
    Pod wrongEffect = new PodBuilder(pod("p", null, null)).editSpec().withTolerations(new TolerationBuilder()
        .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoExecute").build()).endSpec().build();
    assertThat(filter(wrongEffect, cordoned(node("n", "1", "1Gi"))).reasons()).containsExactly("node(s) were unschedulable");
  }
}
