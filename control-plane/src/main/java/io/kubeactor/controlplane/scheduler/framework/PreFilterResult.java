package io.kubeactor.controlplane.scheduler.framework;

import java.util.Set;

/**
 * A PreFilter plugin's answer: a status (a rejection ends the cycle, SKIP turns the plugin's Filter
 * off for this pod) and, optionally, the only node names worth filtering (null: all nodes).
 */
public record PreFilterResult(Status status, Set<String> nodeNames) {

  public static final PreFilterResult ALL_NODES = new PreFilterResult(Status.SUCCESS, null);
  public static final PreFilterResult SKIP = new PreFilterResult(Status.SKIP, null);

  public PreFilterResult {
    nodeNames = nodeNames == null ? null : Set.copyOf(nodeNames);
  }

  public static PreFilterResult only(Set<String> nodeNames) {
    return new PreFilterResult(Status.SUCCESS, nodeNames);
  }

  public static PreFilterResult rejected(String reason) {
    return new PreFilterResult(Status.unschedulable(reason), null);
  }

  public boolean allNodes() {
    return nodeNames == null;
  }
}
