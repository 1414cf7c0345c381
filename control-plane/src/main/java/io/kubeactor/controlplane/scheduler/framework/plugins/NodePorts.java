package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.HostPorts;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;

/** A pod's host ports must be free on the node (plugins/nodeports). */
public final class NodePorts implements Plugin.PreFilter, Plugin.Filter {
  static final String NAME = "NodePorts";
  static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  private record WantedPorts(List<ContainerPort> ports) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, Pod pod) {
    List<ContainerPort> ports = HostPorts.wantedBy(pod);
    if (ports.isEmpty()) return PreFilterResult.SKIP;
    state.write(WantedPorts.class, new WantedPorts(ports));
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    WantedPorts wanted = state.read(WantedPorts.class);
    List<ContainerPort> ports = wanted != null ? wanted.ports() : HostPorts.wantedBy(pod);
    return ports.stream().anyMatch(node.usedPorts()::conflicts) ? Status.unschedulable(REASON) : Status.SUCCESS;
  }
}
