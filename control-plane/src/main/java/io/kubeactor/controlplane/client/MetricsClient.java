package io.kubeactor.controlplane.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The resource metrics API (metrics.k8s.io/v1beta1) as its clients read it: what {@code kubectl
 * top} gets over HTTP and the autoscalers get in-process, from the one source, as upstream's HPA
 * reads metrics-server through its metrics client. CPU in nanocores, memory as working set in bytes,
 * each measured over its window.
 */
public interface MetricsClient {
  record ContainerMetrics(String name, long nanoCores, long memoryBytes) {}

  record PodMetrics(String namespace, String name, Instant timestamp, Duration window, List<ContainerMetrics> containers) {}

  record NodeMetrics(String name, Instant timestamp, Duration window, long nanoCores, long memoryBytes) {}

  /** The metrics of every pod measured in {@code namespace} (every namespace when null). */
  List<PodMetrics> pods(String namespace);

  Optional<PodMetrics> pod(String namespace, String name);

  List<NodeMetrics> nodes();
}
