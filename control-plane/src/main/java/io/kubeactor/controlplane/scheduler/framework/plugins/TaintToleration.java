package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubeactor.controlplane.api.scheduling.Tolerations;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;
import java.util.Optional;

/**
 * Taints against tolerations (plugins/tainttoleration): an untolerated NoSchedule or NoExecute taint
 * rules a node out (this is also how NotReady and unreachable nodes are avoided: the node lifecycle
 * taints them); each untolerated PreferNoSchedule taint lowers the node's score.
 */
public final class TaintToleration implements Plugin.Filter, Plugin.Score {
  static final String NAME = "TaintToleration";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
    Optional<Taint> untolerated = Tolerations.firstUntolerated(taints, pod.getSpec().getTolerations(),
        t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
    return untolerated
        .map(t -> Status.unschedulable("node(s) had untolerated taint {%s: %s}"
            .formatted(Tolerations.text(t.getKey()), Tolerations.text(t.getValue()))))
        .orElse(Status.SUCCESS);
  }

  /** The number of PreferNoSchedule taints the pod does not tolerate; fewer is better. */
  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
    if (taints == null) return 0;
    // Only tolerations that can apply to PreferNoSchedule: that effect, or any (empty).
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of()
        : pod.getSpec().getTolerations().stream()
            .filter(t -> Tolerations.text(t.getEffect()).isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
            .toList();
    return taints.stream()
        .filter(t -> "PreferNoSchedule".equals(t.getEffect()))
        .filter(t -> !Tolerations.anyTolerates(tolerations, t))
        .count();
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, long[] scores) {
    ScoreNormalizer.byMaximum(scores, true);
  }
}
