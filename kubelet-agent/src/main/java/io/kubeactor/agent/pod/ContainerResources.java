package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.common.Json;
import io.kubeactor.common.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A container's cgroup settings, as kubelet gives them to the runtime (the CRI's
 * LinuxContainerResources): the memory limit (swap as large, so none), the CFS quota over a 100 ms
 * period from the cpu limit, and cpu shares from the cpu request (at least 2). 0 means no limit.
 * The same values are set at creation and, for a resized pod, by Docker's container update.
 */
record ContainerResources(long memoryBytes, long cpuQuota, int cpuShares) {

  static final long CPU_PERIOD = 100_000L;
  /** kubelet's minimum quota (1 ms per period): a smaller limit still gets 10m. */
  private static final long MIN_QUOTA = 1000L;
  private static final int MIN_SHARES = 2;

  /** What the container's spec asks for. */
  static ContainerResources of(Container c) {
    var resources = c.getResources();
    Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    long memory = limits.containsKey("memory") ? bytes(limits.get("memory")) : 0;
    long quota = limits.containsKey("cpu") ? Math.max(MIN_QUOTA, milliCpu(limits.get("cpu")) * CPU_PERIOD / 1000) : 0;
    long requestMilli = requests.containsKey("cpu") ? milliCpu(requests.get("cpu")) : 0;
    int shares = (int) Math.max(MIN_SHARES, requestMilli * 1024 / 1000);
    return new ContainerResources(memory, quota, shares);
  }

  /** What Docker applies to a container now (its inspected HostConfig). */
  static ContainerResources applied(HostConfig host) {
    long memory = host.getMemory() == null ? 0 : host.getMemory();
    long quota = host.getCpuQuota() == null || host.getCpuQuota() < 0 ? 0 : host.getCpuQuota();
    int shares = host.getCpuShares() == null ? 0 : host.getCpuShares();
    return new ContainerResources(memory, quota, shares);
  }

  /** Sets these values on a new container's HostConfig. */
  HostConfig applyTo(HostConfig host) {
    if (memoryBytes > 0) host.withMemory(memoryBytes).withMemorySwap(memoryBytes);
    if (cpuQuota > 0) host.withCpuPeriod(CPU_PERIOD).withCpuQuota(cpuQuota);
    return host.withCpuShares(cpuShares);
  }

  /** Sets these values on a running container (docker update), the memory limit with its swap. */
  UpdateContainerCmd applyTo(UpdateContainerCmd update) {
    if (memoryBytes > 0) update.withMemory(memoryBytes).withMemorySwap(memoryBytes);
    if (cpuQuota > 0) update.withCpuPeriod(CPU_PERIOD).withCpuQuota(cpuQuota);
    return update.withCpuShares(cpuShares);
  }

  /** Whether reaching {@code wanted} from these values changes the cpu settings. */
  boolean cpuDiffers(ContainerResources wanted) {
    return cpuQuota != wanted.cpuQuota || cpuShares != wanted.cpuShares;
  }

  /**
   * spec.containers[].resources.requests as kubelet keeps them allocated
   * (status.containerStatuses[].allocatedResources).
   */
  static ObjectNode allocated(Container spec) {
    ObjectNode out = Json.object();
    var resources = spec.getResources();
    if (resources == null || resources.getRequests() == null) return out;
    resources.getRequests().forEach((name, q) -> out.put(name, Quantities.canonical(q.toString())));
    return out;
  }

  /**
   * status.containerStatuses[].resources as kubelet reports them from the runtime: the cpu request
   * from the shares, the limits from the quota and the memory limit; the memory request, which no
   * cgroup holds, from the spec.
   */
  ObjectNode statusResources(Container spec) {
    var resources = spec.getResources();
    Map<String, Quantity> specRequests = resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    Map<String, Quantity> specLimits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    ObjectNode out = Json.object();
    ObjectNode requests = Json.object();
    if (specRequests.containsKey("cpu")) {
      long milli = (long) Math.ceil(cpuShares * 1000.0 / 1024);
      requests.put("cpu", Quantities.canonical(milli + "m"));
    }
    if (specRequests.containsKey("memory")) requests.put("memory", Quantities.canonical(specRequests.get("memory").toString()));
    ObjectNode limits = Json.object();
    if (specLimits.containsKey("cpu") && cpuQuota > 0) limits.put("cpu", Quantities.canonical(cpuQuota * 1000 / CPU_PERIOD + "m"));
    if (specLimits.containsKey("memory") && memoryBytes > 0) limits.put("memory", memory(memoryBytes));
    if (!limits.isEmpty()) out.set("limits", limits);
    if (!requests.isEmpty()) out.set("requests", requests);
    return out;
  }

  /** A byte count as Kubernetes prints a binary quantity ("128Mi"). */
  private static String memory(long bytes) {
    return Quantities.canonical(bytes % 1024 == 0 ? (bytes / 1024) + "Ki" : Long.toString(bytes));
  }

  static long bytes(Quantity q) {
    return Quantities.value(q.toString()).orElse(BigDecimal.ZERO).longValue();
  }

  static long milliCpu(Quantity q) {
    return Quantities.value(q.toString()).orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(1000))
        .setScale(0, RoundingMode.CEILING).longValue();
  }
}
