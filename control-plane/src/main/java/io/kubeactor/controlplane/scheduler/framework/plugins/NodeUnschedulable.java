package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kubeactor.controlplane.api.scheduling.Tolerations;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.Status;

/**
 * Keeps pods off a cordoned node (spec.unschedulable), unless they tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint (plugins/nodeunschedulable).
 */
public final class NodeUnschedulable implements Plugin.Filter {
  static final String NAME = "NodeUnschedulable";
  static final String REASON = "node(s) were unschedulable";
  private static final Taint UNSCHEDULABLE =
      new TaintBuilder().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    boolean cordoned = node.node().getSpec() != null && Boolean.TRUE.equals(node.node().getSpec().getUnschedulable());
    if (cordoned && !Tolerations.anyTolerates(pod.getSpec().getTolerations(), UNSCHEDULABLE)) {
      return Status.unschedulable(REASON);
    }
    return Status.SUCCESS;
  }
}
