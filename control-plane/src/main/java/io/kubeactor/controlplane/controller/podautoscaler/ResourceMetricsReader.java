package io.kubeactor.controlplane.controller.podautoscaler;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.client.MetricsClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's resource metrics client (metrics/client.go): the cpu or memory usage of the target's
 * pods from the resource metrics API, per pod (the sum of its containers, or one container's).
 * A pod missing a container's figure is left out, so the calculator counts it as missing.
 */
final class ResourceMetricsReader {

  /** The pods' figures and the timestamp of the first (upstream returns the first item's). */
  record Result(Map<String, PodMetric> metrics, Instant timestamp) {}

  private final MetricsClient client;

  ResourceMetricsReader(MetricsClient client) {
    this.client = client;
  }

  /**
   * GetResourceMetric: the metrics of the pods (those the target's selector picks) for "cpu" or
   * "memory", of one container when {@code container} is not empty.
   */
  Result resourceMetric(String resource, String namespace, List<Pod> selected, String container)
      throws MetricsUnavailableException {
    List<MetricsClient.PodMetrics> raw = new ArrayList<>(selected.size());
    for (Pod p : selected) client.pod(namespace, p.getMetadata().getName()).ifPresent(raw::add);
    if (raw.isEmpty()) {
      throw new MetricsUnavailableException("no metrics returned from resource metrics API");
    }
    Map<String, PodMetric> out = new HashMap<>();
    for (MetricsClient.PodMetrics m : raw) {
      if (m.containers().isEmpty()) continue;
      long sum = 0;
      boolean whole = container == null || container.isEmpty();
      boolean found = whole;
      for (MetricsClient.ContainerMetrics c : m.containers()) {
        if (whole || c.name().equals(container)) {
          long v = milli(resource, c);
          if (v < 0) found = false;
          else if (whole) sum += v;
          else {
            sum = v;
            found = true;
          }
          if (!whole || !found) break;
        }
      }
      if (found) out.put(m.name(), new PodMetric(sum, m.timestamp(), m.window()));
    }
    return new Result(out, raw.get(0).timestamp());
  }

  /**
   * A container's usage as Quantity.MilliValue gives it (cpu nanocores to millicores rounded up,
   * bytes times 1000); -1 for a resource the metrics API does not report.
   */
  static long milli(String resource, MetricsClient.ContainerMetrics c) {
    return switch (resource) {
      case "cpu" -> (c.nanoCores() + 999_999L) / 1_000_000L;
      case "memory" -> c.memoryBytes() * 1000;
      default -> -1;
    };
  }
}
