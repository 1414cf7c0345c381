package io.kubeactor.controlplane.scheduler;

import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a pod fits on no node, worded as FitError.Error() in pkg/scheduler/framework/types.go words
 * it: "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient
 * memory." Each node counts once per reason it gave, and the "count reason" entries are sorted as
 * strings. Upstream appends a "preemption: ..." part; there is no preemption here.
 *
 * @param nodeStatuses the failure of every node that was checked
 * @param absentNodesStatus the failure of the nodes that were not checked (left out by a PreFilter)
 * @param preFilterMessage the rejection of a PreFilter plugin, which replaces the node histogram
 */
record FitError(int numAllNodes, Map<String, Status> nodeStatuses, Status absentNodesStatus, String preFilterMessage) {

  static final String NO_NODES = "no nodes available to schedule pods";

  String message() {
    StringBuilder message = new StringBuilder("0/" + numAllNodes + " nodes are available:");
    if (preFilterMessage != null && !preFilterMessage.isEmpty()) {
      return message.append(' ').append(preFilterMessage).append('.').toString();
    }
    Map<String, Integer> histogram = new HashMap<>();
    nodeStatuses.values().forEach(s -> s.reasons().forEach(r -> histogram.merge(r, 1, Integer::sum)));
    int absent = numAllNodes - nodeStatuses.size();
    if (absent > 0 && absentNodesStatus != null) {
      absentNodesStatus.reasons().forEach(r -> histogram.merge(r, absent, Integer::sum));
    }
    List<String> entries = new ArrayList<>();
    histogram.forEach((reason, count) -> entries.add(count + " " + reason));
    entries.sort(null); // Go's sort.Strings: "10 x" before "2 y"
    if (!entries.isEmpty()) message.append(' ').append(String.join(", ", entries)).append('.');
    return message.toString();
  }
}
