package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PodRequests;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Resources;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests against what is left of the node's allocatable (plugins/noderesources/fit.go): pod
 * count, cpu, memory, ephemeral storage and scalar resources, each short resource one reason
 * ("Insufficient cpu"). Requests decide, not actual usage. Scores by the LeastAllocated strategy:
 * the more cpu and memory would remain free, the better.
 */
public final class NodeResourcesFit implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score {
  static final String NAME = "NodeResourcesFit";
  static final String TOO_MANY_PODS = "Too many pods";

  private record PodRequest(Resources requests) {}

  private record PodScoreRequest(Resources requests) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, Pod pod) {
    state.write(PodRequest.class, new PodRequest(PodRequests.of(pod)));
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    PodRequest request = state.read(PodRequest.class);
    List<String> reasons = insufficient(request != null ? request.requests() : PodRequests.of(pod), node);
    return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons);
  }

  /** The reasons the request does not fit on the node, in upstream's order; empty when it fits. */
  static List<String> insufficient(Resources request, NodeInfo node) {
    List<String> reasons = new ArrayList<>();
    Resources allocatable = node.allocatable();
    Resources requested = node.requested();
    if (node.pods().size() + 1 > allocatable.pods()) reasons.add(TOO_MANY_PODS);
    if (request.milliCpu() == 0 && request.memory() == 0 && request.ephemeralStorage() == 0 && request.scalar().isEmpty()) {
      return reasons;
    }
    if (request.milliCpu() > 0 && request.milliCpu() > allocatable.milliCpu() - requested.milliCpu()) {
      reasons.add("Insufficient cpu");
    }
    if (request.memory() > 0 && request.memory() > allocatable.memory() - requested.memory()) {
      reasons.add("Insufficient memory");
    }
    if (request.ephemeralStorage() > 0
        && request.ephemeralStorage() > allocatable.ephemeralStorage() - requested.ephemeralStorage()) {
      reasons.add("Insufficient ephemeral-storage");
    }
    for (Map.Entry<String, Long> scalar : request.scalar().entrySet()) {
      long wanted = scalar.getValue();
      if (wanted > 0 && wanted > allocatable.scalar(scalar.getKey()) - requested.scalar(scalar.getKey())) {
        reasons.add("Insufficient " + scalar.getKey());
      }
    }
    return reasons;
  }

  /**
   * LeastAllocated over cpu and memory, weight 1 each: (allocatable - requested) * 100 / allocatable
   * per resource, averaged; requests here include the defaults for containers without any.
   */
  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    state.write(PodScoreRequest.class, new PodScoreRequest(PodRequests.nonZero(pod)));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    PodScoreRequest scoreRequest = state.read(PodScoreRequest.class);
    Resources podRequest = scoreRequest != null ? scoreRequest.requests() : PodRequests.nonZero(pod);
    long[] allocatable = {node.allocatable().milliCpu(), node.allocatable().memory()};
    long[] requested = {
        node.nonZeroRequested().milliCpu() + podRequest.milliCpu(),
        node.nonZeroRequested().memory() + podRequest.memory()};
    long sum = 0, weights = 0;
    for (int i = 0; i < allocatable.length; i++) {
      if (allocatable[i] == 0) continue;
      long free = requested[i] > allocatable[i] ? 0 : (allocatable[i] - requested[i]) * MAX_NODE_SCORE / allocatable[i];
      sum += free;
      weights++;
    }
    return weights == 0 ? 0 : sum / weights;
  }
}
