package io.kubeactor.agent.stats;

import com.github.dockerjava.api.model.Container;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.common.metrics.PrometheusText;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What kubelet serves about its node at {@code /metrics} and {@code /metrics/cadvisor}, read when
 * scraped: the running pods and containers from Docker (kubelet's {@code kubelet_running_pods} and
 * {@code kubelet_running_containers}; {@code kubelet_pod_start_duration_seconds} as pod workers see pods
 * start), and each container's cumulative CPU time and working set
 * from the {@link UsageCollector}'s latest samples, as cAdvisor names and labels them (container,
 * cpu, id, image, name, namespace, pod; each sample stamped with the time it was read).
 */
public final class NodeMetrics {

  /** A container of this node as Docker lists it, reduced to what the metrics need. */
  public record ContainerInfo(String id, String name, String image, String state, String type, String namespace,
      String pod, String container) {

    static ContainerInfo of(Container c) {
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      String[] names = c.getNames();
      String name = names == null || names.length == 0 ? "" : names[0].startsWith("/") ? names[0].substring(1) : names[0];
      // the image as the pod names it (Docker lists an id once the tag has moved)
      String image = labels.getOrDefault(ContainerLabels.IMAGE, c.getImage() == null ? "" : c.getImage());
      return new ContainerInfo(c.getId(), name, image,
          c.getState() == null ? "" : c.getState(), labels.getOrDefault(ContainerLabels.TYPE, ""),
          labels.getOrDefault(ContainerLabels.POD_NAMESPACE, ""), labels.getOrDefault(ContainerLabels.POD_NAME, ""),
          labels.getOrDefault(ContainerLabels.CONTAINER_NAME, ""));
    }
  }

  /** kubelet's pod start histogram, in this process's registry (one node per agent process). */
  private static final Histogram POD_START_DURATION = Histogram.builder().name("kubelet_pod_start_duration_seconds")
      .help("[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run")
      .classicOnly().classicUpperBounds(0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600,
          900, 1200, 1800, 2700, 3600)
      .withoutExemplars().register(PrometheusText.registry());

  /** A pod this agent first saw {@code firstSeenNanos} ago (System.nanoTime) is Running now. */
  public static void podStarted(long firstSeenNanos) {
    POD_START_DURATION.observe((System.nanoTime() - firstSeenNanos) / 1e9);
  }

  /** kubelet's container_state values (its runtime's states, lower case). */
  private static final List<String> CONTAINER_STATES = List.of("created", "exited", "running", "unknown");

  private final String nodeName;
  private final Supplier<List<ContainerInfo>> containers;
  private final Supplier<List<UsageCollector.ContainerSample>> samples;

  public NodeMetrics(String nodeName, Supplier<List<ContainerInfo>> containers,
      Supplier<List<UsageCollector.ContainerSample>> samples) {
    this.nodeName = nodeName;
    this.containers = containers;
    this.samples = samples;
  }

  /** The node's metrics from its Docker engine's containers and the collector's samples. */
  public static NodeMetrics of(DockerRuntime docker, String nodeName, UsageCollector usage) {
    return new NodeMetrics(nodeName, () -> docker.containers(Map.of(ContainerLabels.NODE, nodeName)).stream()
        .map(ContainerInfo::of).toList(), usage::latestSamples);
  }

  /** kubelet's {@code /metrics}: the node's pods and containers, then this process's JVM metrics. */
  public byte[] kubelet() {
    return PrometheusText.text(kubeletSnapshots(), PrometheusText.registry().scrape());
  }

  /** kubelet's {@code /metrics/cadvisor}: each running container's CPU time and working set. */
  public byte[] cadvisor() {
    return PrometheusText.text(cadvisorSnapshots());
  }

  MetricSnapshots kubeletSnapshots() {
    Set<String> runningPods = new HashSet<>();
    Map<String, Integer> byState = new LinkedHashMap<>();
    CONTAINER_STATES.forEach(s -> byState.put(s, 0));
    for (ContainerInfo c : containers.get()) {
      String state = kubeletState(c.state());
      if (c.type().equals(ContainerLabels.TYPE_SANDBOX)) {
        if (state.equals("running")) runningPods.add(c.namespace() + "/" + c.pod());
      } else if (c.type().equals(ContainerLabels.TYPE_CONTAINER)) {
        byState.merge(state, 1, Integer::sum);
      }
    }
    GaugeSnapshot.Builder containersByState = GaugeSnapshot.builder().name("kubelet_running_containers")
        .help("[ALPHA] Number of containers currently running");
    byState.forEach((state, n) -> containersByState.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
        .labels(Labels.of("container_state", state)).value(n).build()));
    return MetricSnapshots.of(
        GaugeSnapshot.builder().name("kubelet_node_name").help("[ALPHA] The node's name. The count is always 1.")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("node", nodeName)).value(1).build())
            .build(),
        GaugeSnapshot.builder().name("kubelet_running_pods")
            .help("[ALPHA] Number of pods that have a running pod sandbox")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(runningPods.size()).build()).build(),
        containersByState.build());
  }

  /** Docker's states as kubelet's CRI reports them: created, running, exited (a dead or removed one too), unknown. */
  private static String kubeletState(String dockerState) {
    return switch (dockerState) {
      case "created" -> "created";
      case "running", "paused", "restarting" -> "running";
      case "exited", "dead", "removing" -> "exited";
      default -> "unknown";
    };
  }

  MetricSnapshots cadvisorSnapshots() {
    Map<String, ContainerInfo> byId = new HashMap<>();
    for (ContainerInfo c : containers.get()) byId.put(c.id(), c);
    // in a stable order (by id), as cAdvisor's are
    Map<String, UsageCollector.ContainerSample> sorted = new TreeMap<>();
    for (UsageCollector.ContainerSample s : samples.get()) sorted.put(s.id(), s);
    CounterSnapshot.Builder cpu = CounterSnapshot.builder().name("container_cpu_usage_seconds")
        .help("Cumulative cpu time consumed in seconds.");
    GaugeSnapshot.Builder workingSet = GaugeSnapshot.builder().name("container_memory_working_set_bytes")
        .help("Current working set in bytes.");
    for (UsageCollector.ContainerSample s : sorted.values()) {
      ContainerInfo c = byId.get(s.id());
      // a container gone since it was sampled is no longer reported
      if (c == null) continue;
      Labels labels = Labels.of("container", s.container(), "id", "/docker/" + s.id(), "image", c.image(),
          "name", c.name(), "namespace", s.namespace(), "pod", s.pod());
      long read = s.read().toEpochMilli();
      cpu.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels.add("cpu", "total"))
          .value(s.cpuUsageNanos() / 1e9).scrapeTimestampMillis(read).build());
      workingSet.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
          .value(s.memoryWorkingSetBytes()).scrapeTimestampMillis(read).build());
    }
    return MetricSnapshots.of(cpu.build(), workingSet.build());
  }
}
