package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.Status;

/** A pod that names its node fits only there (plugins/nodename). */
public final class NodeName implements Plugin.Filter {
  static final String NAME = "NodeName";
  static final String REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    String wanted = pod.getSpec().getNodeName();
    if (wanted == null || wanted.isEmpty() || wanted.equals(node.name())) return Status.SUCCESS;
    return Status.unschedulable(REASON);
  }
}
