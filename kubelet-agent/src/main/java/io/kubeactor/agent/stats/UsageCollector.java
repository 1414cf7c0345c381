package io.kubeactor.agent.stats;

import com.github.dockerjava.api.model.Statistics;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.common.cluster.NodeProtocol;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Measures what metrics-server would scrape from kubelet: each running container's CPU and
 * working-set memory from its cgroup's figures (through Docker's stats), and the node's: its
 * containers' together plus the agent's own process, since several agents may share one machine.
 * CPU is a rate over the window since the container's previous sample, as metrics-server computes
 * it between two scrapes of kubelet's cumulative counter; a container seen for the first time is
 * measured over the second between the two readings Docker's stats carry.
 */
public final class UsageCollector {
  private final DockerRuntime docker;
  private final String nodeName;
  private final Executor blocking;
  private long lastProcessCpuNanos = -1;
  private long lastSampleNanos;
  /** The previous sample of each container, by container id: the start of its next window. */
  private Map<String, ContainerSample> previous = Map.of();

  public UsageCollector(DockerRuntime docker, String nodeName, Executor blocking) {
    this.docker = docker;
    this.nodeName = nodeName;
    this.blocking = blocking;
  }

  /**
   * One reading of a container's cgroup: cumulative CPU time and the working set at {@code read}.
   * What kubelet's cAdvisor counters expose.
   */
  public record ContainerSample(String id, String namespace, String pod, String container, Instant read,
      long cpuUsageNanos, long memoryWorkingSetBytes) {}

  record Measured(ContainerSample sample, NodeProtocol.Usage usage, long windowMillis) {}

  /** The containers' latest samples, as the last {@link #measure()} read them. */
  public synchronized List<ContainerSample> latestSamples() {
    return List.copyOf(previous.values());
  }

  public synchronized NodeProtocol.UsageReport measure() {
    long started = System.currentTimeMillis();
    List<CompletableFuture<Measured>> measuring = new ArrayList<>();
    for (var c : docker.containers(Map.of(ContainerLabels.NODE, nodeName, ContainerLabels.TYPE, ContainerLabels.TYPE_CONTAINER))) {
      if (!"running".equals(c.getState())) continue;
      var labels = c.getLabels();
      ContainerSample before = previous.get(c.getId());
      measuring.add(CompletableFuture.supplyAsync(() -> {
        Statistics s = docker.stats(c.getId());
        return s == null ? null : measured(c.getId(), labels.get(ContainerLabels.POD_NAMESPACE), labels.get(ContainerLabels.POD_NAME),
            labels.get(ContainerLabels.CONTAINER_NAME), s, before);
      }, blocking));
    }
    Map<String, ContainerSample> samples = new HashMap<>();
    Map<String, NodeProtocol.PodUsage> pods = new LinkedHashMap<>();
    long cpu = 0;
    long memory = 0;
    for (var f : measuring) {
      Measured m = f.join();
      if (m == null) continue;
      ContainerSample s = m.sample();
      samples.put(s.id(), s);
      cpu += m.usage().nanoCores();
      memory += m.usage().memoryBytes();
      String key = s.namespace() + "/" + s.pod();
      NodeProtocol.PodUsage pod = pods.get(key);
      List<NodeProtocol.ContainerUsage> containers = pod == null ? new ArrayList<>() : pod.containers();
      containers.add(new NodeProtocol.ContainerUsage(s.container(), m.usage()));
      // a pod's window is its longest container's: they are read together, within a second
      long window = pod == null ? m.windowMillis() : Math.max(pod.windowMillis(), m.windowMillis());
      pods.put(key, new NodeProtocol.PodUsage(s.namespace(), s.pod(), window, containers));
    }
    previous = samples;
    long sinceLast = lastProcessCpuNanos < 0 ? 1_000 : Duration.ofNanos(System.nanoTime() - lastSampleNanos).toMillis();
    NodeProtocol.Usage self = selfUsage();
    NodeProtocol.Usage node = new NodeProtocol.Usage(cpu + self.nanoCores(), memory + self.memoryBytes());
    return new NodeProtocol.UsageReport(nodeName, started, Math.max(1, sinceLast), node, List.copyOf(pods.values()));
  }

  /** The container's usage from this reading and its previous one (or Docker's own previous reading, for a new container). */
  static Measured measured(String id, String namespace, String pod, String container, Statistics s, ContainerSample before) {
    var cpu = s.getCpuStats();
    if (cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null || s.getRead() == null) return null;
    Instant read = OffsetDateTime.parse(s.getRead()).toInstant();
    long total = cpu.getCpuUsage().getTotalUsage();
    ContainerSample sample = new ContainerSample(id, namespace, pod, container, read, total, workingSet(s));
    long nanoCores = 0;
    long windowNanos = 0;
    if (before != null && read.isAfter(before.read()) && total >= before.cpuUsageNanos()) {
      windowNanos = Duration.between(before.read(), read).toNanos();
      nanoCores = rate(total - before.cpuUsageNanos(), windowNanos);
    } else {
      var pre = s.getPreCpuStats();
      if (pre != null && pre.getCpuUsage() != null && pre.getCpuUsage().getTotalUsage() != null
          && s.getPreread() != null && !s.getPreread().startsWith("0001-")) {
        windowNanos = Duration.between(OffsetDateTime.parse(s.getPreread()).toInstant(), read).toNanos();
        long used = total - pre.getCpuUsage().getTotalUsage();
        if (used >= 0) nanoCores = rate(used, windowNanos);
      }
    }
    return new Measured(sample, new NodeProtocol.Usage(nanoCores, sample.memoryWorkingSetBytes()),
        Math.max(1, Duration.ofNanos(windowNanos).toMillis()));
  }

  private static long rate(long usedNanos, long windowNanos) {
    return windowNanos <= 0 ? 0 : (long) ((double) usedNanos / windowNanos * 1_000_000_000L);
  }

  /** Working set as cAdvisor counts it: usage less the inactive file cache. */
  private static long workingSet(Statistics s) {
    var mem = s.getMemoryStats();
    if (mem == null || mem.getUsage() == null) return 0;
    long memory = mem.getUsage();
    if (mem.getStats() != null && mem.getStats().getTotalInactiveFile() != null) {
      memory = Math.max(0, memory - mem.getStats().getTotalInactiveFile());
    } else if (mem.getStats() != null && mem.getStats().getInactiveFile() != null) {
      memory = Math.max(0, memory - mem.getStats().getInactiveFile());
    }
    return memory;
  }

  private NodeProtocol.Usage selfUsage() {
    long now = System.nanoTime();
    long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    long nanoCores = 0;
    if (lastProcessCpuNanos >= 0 && now > lastSampleNanos) {
      nanoCores = (long) ((double) (cpuNanos - lastProcessCpuNanos) / (now - lastSampleNanos) * 1_000_000_000L);
    }
    lastProcessCpuNanos = cpuNanos;
    lastSampleNanos = now;
    long rss = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (Exception ignored) {
      // not Linux
    }
    return new NodeProtocol.Usage(Math.max(0, nanoCores), rss);
  }
}
