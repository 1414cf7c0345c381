package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PodRequests;
import io.kubeactor.controlplane.scheduler.framework.Resources;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.List;

/**
 * Prefers nodes whose cpu and memory would be requested in similar proportions
 * (plugins/noderesources/balanced_allocation.go): 100 * (1 - standard deviation of the requested
 * fractions), counting requests as given.
 */
public final class NodeResourcesBalancedAllocation implements Plugin.PreScore, Plugin.Score {
  static final String NAME = "NodeResourcesBalancedAllocation";

  @Override
  public String name() {
    return NAME;
  }

  private record PodRequest(Resources requests) {}

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    state.write(PodRequest.class, new PodRequest(PodRequests.of(pod)));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    PodRequest request = state.read(PodRequest.class);
    Resources podRequest = request != null ? request.requests() : PodRequests.of(pod);
    long[] allocatable = {node.allocatable().milliCpu(), node.allocatable().memory()};
    long[] requested = {
        node.requested().milliCpu() + podRequest.milliCpu(),
        node.requested().memory() + podRequest.memory()};
    double[] fractions = new double[allocatable.length];
    int count = 0;
    for (int i = 0; i < allocatable.length; i++) {
      if (allocatable[i] == 0) continue;
      fractions[count++] = Math.min(1.0, (double) requested[i] / (double) allocatable[i]);
    }
    double std = 0;
    if (count == 2) {
      std = Math.abs((fractions[0] - fractions[1]) / 2);
    } else if (count > 2) {
      double mean = 0;
      for (int i = 0; i < count; i++) mean += fractions[i] / count;
      double sum = 0;
      for (int i = 0; i < count; i++) sum += (fractions[i] - mean) * (fractions[i] - mean);
      std = Math.sqrt(sum / count);
    }
    return (long) ((1 - std) * MAX_NODE_SCORE);
  }
}
