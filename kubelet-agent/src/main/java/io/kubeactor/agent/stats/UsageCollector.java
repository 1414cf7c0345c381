package io.kubeactor.agent.stats;

import com.github.dockerjava.api.model.Statistics;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.common.cluster.NodeProtocol;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Measures what metrics-server would scrape from kubelet: each running container's CPU rate and
 * working-set memory (from Docker's stats, which carry the previous CPU sample, so one call gives a
 * rate), and the node's: its containers' together plus the agent's own process, since several
 * agents may share one machine.
 */
public final class UsageCollector {
  private final DockerRuntime docker;
  private final String nodeName;
  private final Executor blocking;
  private long lastProcessCpuNanos = -1;
  private long lastSampleNanos;

  public UsageCollector(DockerRuntime docker, String nodeName, Executor blocking) {
    this.docker = docker;
    this.nodeName = nodeName;
    this.blocking = blocking;
  }

  private record Sample(String namespace, String pod, String container, NodeProtocol.Usage usage) {}

  public synchronized NodeProtocol.UsageReport measure() {
    long started = System.currentTimeMillis();
    List<CompletableFuture<Sample>> samples = new ArrayList<>();
    for (var c : docker.containers(Map.of(ContainerLabels.NODE, nodeName, ContainerLabels.TYPE, ContainerLabels.TYPE_CONTAINER))) {
      if (!"running".equals(c.getState())) continue;
      var labels = c.getLabels();
      samples.add(CompletableFuture.supplyAsync(() -> {
        Statistics s = docker.stats(c.getId());
        NodeProtocol.Usage u = s == null ? null : usage(s);
        return u == null ? null : new Sample(labels.get(ContainerLabels.POD_NAMESPACE), labels.get(ContainerLabels.POD_NAME),
            labels.get(ContainerLabels.CONTAINER_NAME), u);
      }, blocking));
    }
    Map<String, NodeProtocol.PodUsage> pods = new LinkedHashMap<>();
    long cpu = 0;
    long memory = 0;
    for (var f : samples) {
      Sample s = f.join();
      if (s == null) continue;
      cpu += s.usage().nanoCores();
      memory += s.usage().memoryBytes();
      pods.computeIfAbsent(s.namespace() + "/" + s.pod(), k -> new NodeProtocol.PodUsage(s.namespace(), s.pod(), new ArrayList<>()))
          .containers().add(new NodeProtocol.ContainerUsage(s.container(), s.usage()));
    }
    NodeProtocol.Usage self = selfUsage();
    NodeProtocol.Usage node = new NodeProtocol.Usage(cpu + self.nanoCores(), memory + self.memoryBytes());
    // Docker computes each rate over about a second between its two samples
    return new NodeProtocol.UsageReport(nodeName, started, 1_000, node, List.copyOf(pods.values()));
  }

  /** nanocores from the CPU time used between the two samples Docker returns; memory as working set (usage less inactive file cache). */
  static NodeProtocol.Usage usage(Statistics s) {
    var cpu = s.getCpuStats();
    var pre = s.getPreCpuStats();
    long nanoCores = 0;
    if (cpu != null && pre != null && cpu.getCpuUsage() != null && pre.getCpuUsage() != null
        && s.getRead() != null && s.getPreread() != null && !s.getPreread().startsWith("0001-")) {
      long used = cpu.getCpuUsage().getTotalUsage() - pre.getCpuUsage().getTotalUsage();
      long elapsed = java.time.Duration.between(OffsetDateTime.parse(s.getPreread()), OffsetDateTime.parse(s.getRead())).toNanos();
      if (elapsed > 0 && used >= 0) nanoCores = (long) ((double) used / elapsed * 1_000_000_000L);
    }
    long memory = 0;
    var mem = s.getMemoryStats();
    if (mem != null && mem.getUsage() != null) {
      memory = mem.getUsage();
      if (mem.getStats() != null && mem.getStats().getTotalInactiveFile() != null) {
        memory = Math.max(0, memory - mem.getStats().getTotalInactiveFile());
      } else if (mem.getStats() != null && mem.getStats().getInactiveFile() != null) {
        memory = Math.max(0, memory - mem.getStats().getInactiveFile());
      }
    }
    return new NodeProtocol.Usage(nanoCores, memory);
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
