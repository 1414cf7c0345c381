package io.kubeactor.controlplane.node;

import io.kubeactor.common.cluster.NodeProtocol;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest CPU and memory usage each node reported, as metrics-server keeps it: what the metrics
 * API (kubectl top, the HPA) reads. Only the newest report of a node counts.
 */
public final class UsageStore {
  private final Map<String, NodeProtocol.UsageReport> byNode = new ConcurrentHashMap<>();

  void put(NodeProtocol.UsageReport report) {
    byNode.put(report.nodeName(), report);
  }

  void remove(String nodeName) {
    byNode.remove(nodeName);
  }

  public Map<String, NodeProtocol.UsageReport> reports() {
    return Map.copyOf(byNode);
  }
}
