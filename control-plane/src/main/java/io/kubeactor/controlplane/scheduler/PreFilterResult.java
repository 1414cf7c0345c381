package io.kubeactor.controlplane.scheduler;

import java.util.Set;

/**
 * A PreFilter plugin's answer: a status (a rejection ends the cycle, SKIP turns the plugin's Filter
 * off for this pod) and, optionally, the only node names worth filtering (null: all nodes).
 */
record PreFilterResult(Status status, Set<String> nodeNames) {

  static final PreFilterResult ALL_NODES = new PreFilterResult(Status.SUCCESS, null);
  static final PreFilterResult SKIP = new PreFilterResult(Status.SKIP, null);

  PreFilterResult {
    nodeNames = nodeNames == null ? null : Set.copyOf(nodeNames);
  }

  static PreFilterResult only(Set<String> nodeNames) {
    return new PreFilterResult(Status.SUCCESS, nodeNames);
  }

  static PreFilterResult rejected(String reason) {
    return new PreFilterResult(Status.unschedulable(reason), null);
  }

  boolean allNodes() {
    return nodeNames == null;
  }
}
