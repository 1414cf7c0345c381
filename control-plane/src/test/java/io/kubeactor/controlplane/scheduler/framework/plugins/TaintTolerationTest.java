package io.kubeactor.controlplane.scheduler.framework.plugins;

import static io.kubeactor.controlplane.scheduler.Fixtures.cycle;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static io.kubeactor.controlplane.scheduler.Fixtures.taint;
import static io.kubeactor.controlplane.scheduler.Fixtures.withTaints;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kubeactor.controlplane.api.scheduling.Tolerations;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintTolerationTest {

  private final TaintToleration plugin = new TaintToleration();

  private static Toleration toleration(String key, String operator, String value, String effect) {
    return new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect).build();
  }

  private static Pod tolerating(Toleration... tolerations) {
    return new PodBuilder(pod("p", null, null)).editSpec().withTolerations(tolerations).endSpec().build();
  }

  private Status filter(Pod pod, Node node) {
    CycleState state = cycle(List.of(node), List.of(), pod);
    return plugin.filter(state, pod, state.snapshot().nodes().get(0));
  }

  @Test
  void tolerationMatching() {
    Taint taint = taint("dedicated", "gpu", "NoSchedule");
    assertThat(Tolerations.tolerates(toleration("dedicated", "Equal", "gpu", "NoSchedule"), taint)).isTrue();
    assertThat(Tolerations.tolerates(toleration("dedicated", null, "gpu", "NoSchedule"), taint)).isTrue();
    assertThat(Tolerations.tolerates(toleration("dedicated", "Equal", "cpu", "NoSchedule"), taint)).isFalse();
    assertThat(Tolerations.tolerates(toleration("dedicated", "Exists", null, "NoSchedule"), taint)).isTrue();
    assertThat(Tolerations.tolerates(toleration("dedicated", "Exists", null, null), taint)).isTrue();
    assertThat(Tolerations.tolerates(toleration("dedicated", "Exists", null, "NoExecute"), taint)).isFalse();
    assertThat(Tolerations.tolerates(toleration(null, "Exists", null, null), taint)).isTrue();
    assertThat(Tolerations.tolerates(toleration("other", "Exists", null, null), taint)).isFalse();
    assertThat(Tolerations.tolerates(toleration("dedicated", "Gt", "gpu", null), taint)).isFalse();
  }

  @Test
  void noScheduleAndNoExecuteFilterAndTheFirstUntoleratedIsNamed() {
    Node node = withTaints(node("n", "1", "1Gi"), taint("spot", "true", "PreferNoSchedule"),
        taint("a", "1", "NoSchedule"), taint("b", "2", "NoExecute"));

    assertThat(filter(pod("p", null, null), node).reasons()).containsExactly("node(s) had untolerated taint {a: 1}");
    assertThat(filter(tolerating(toleration("a", "Exists", null, null)), node).reasons())
        .containsExactly("node(s) had untolerated taint {b: 2}");
    assertThat(filter(tolerating(toleration("a", "Exists", null, null), toleration("b", "Equal", "2", "NoExecute")), node))
        .isEqualTo(Status.SUCCESS);
  }

  @Test
  void scoreCountsUntoleratedPreferNoScheduleTaintsAndNormalisesReversed() {
    List<Node> nodes = List.of(
        withTaints(node("two", "1", "1Gi"), taint("x", "1", "PreferNoSchedule"), taint("y", "1", "PreferNoSchedule")),
        withTaints(node("one", "1", "1Gi"), taint("x", "1", "PreferNoSchedule"), taint("z", "1", "NoSchedule")),
        node("none", "1", "1Gi"));
    Pod pod = tolerating(toleration("y", "Exists", null, "NoSchedule")); // wrong effect: does not count
    CycleState state = cycle(nodes, List.of(), pod);
    long[] scores = state.snapshot().nodes().stream().mapToLong(n -> plugin.score(state, pod, n)).toArray();
    // Snapshot order is by name: none, one, two.
    assertThat(scores).containsExactly(0, 1, 2);
    plugin.normalizeScore(state, pod, scores);
    assertThat(scores).containsExactly(100, 50, 0);

    Pod tolerant = tolerating(toleration("x", "Exists", null, null), toleration("y", "Exists", null, "PreferNoSchedule"));
    long[] none = state.snapshot().nodes().stream().mapToLong(n -> plugin.score(state, tolerant, n)).toArray();
    plugin.normalizeScore(state, tolerant, none);
    assertThat(none).containsExactly(100, 100, 100);
  }
}
