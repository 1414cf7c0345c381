package io.kubeactor.controlplane.node;

import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.client.MetricsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * metrics-server's part: keeps the latest usage each node's agent measured (as metrics-server keeps
 * its last scrape of each kubelet) and answers the resource metrics API from it. A node's report
 * replaces its previous one whole, so a pod that stopped running has no metrics.
 */
public final class MetricsServer implements MetricsClient {
  /** Each node's newest report, and its pods' metrics by namespace/name, built once per report. */
  private record Scrape(NodeProtocol.UsageReport report, Map<String, PodMetrics> pods) {}

  private final Map<String, Scrape> byNode = new ConcurrentHashMap<>();

  /** A node's newest report, as its agent sent it to the gateway. */
  public void put(NodeProtocol.UsageReport report) {
    Map<String, PodMetrics> pods = new LinkedHashMap<>();
    for (NodeProtocol.PodUsage p : report.pods()) pods.put(p.namespace() + "/" + p.name(), podMetrics(report, p));
    byNode.put(report.nodeName(), new Scrape(report, pods));
  }

  void remove(String nodeName) {
    byNode.remove(nodeName);
  }

  @Override
  public List<PodMetrics> pods(String namespace) {
    List<PodMetrics> out = new ArrayList<>();
    for (Scrape s : byNode.values()) {
      for (PodMetrics p : s.pods().values()) {
        if (namespace == null || namespace.equals(p.namespace())) out.add(p);
      }
    }
    return out;
  }

  /** One lookup per node: the HPA asks for each of its target's pods at every sync. */
  @Override
  public Optional<PodMetrics> pod(String namespace, String name) {
    String key = namespace + "/" + name;
    for (Scrape s : byNode.values()) {
      PodMetrics p = s.pods().get(key);
      if (p != null) return Optional.of(p);
    }
    return Optional.empty();
  }

  @Override
  public List<NodeMetrics> nodes() {
    List<NodeMetrics> out = new ArrayList<>();
    for (Scrape s : byNode.values()) {
      NodeProtocol.UsageReport r = s.report();
      out.add(new NodeMetrics(r.nodeName(), Instant.ofEpochMilli(r.timestampMillis()), Duration.ofMillis(r.windowMillis()),
          r.node().nanoCores(), r.node().memoryBytes()));
    }
    return out;
  }

  private static PodMetrics podMetrics(NodeProtocol.UsageReport r, NodeProtocol.PodUsage p) {
    List<ContainerMetrics> containers = new ArrayList<>();
    for (NodeProtocol.ContainerUsage c : p.containers()) {
      containers.add(new ContainerMetrics(c.name(), c.usage().nanoCores(), c.usage().memoryBytes()));
    }
    return new PodMetrics(p.namespace(), p.name(), Instant.ofEpochMilli(r.timestampMillis()), Duration.ofMillis(p.windowMillis()),
        List.copyOf(containers));
  }
}
