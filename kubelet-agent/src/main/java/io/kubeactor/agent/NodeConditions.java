package io.kubeactor.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The node's conditions as kubelet reports them, measured against kubelet's default eviction
 * thresholds: MemoryPressure below 100Mi available, DiskPressure below 10% free on the agent's data
 * filesystem; PIDPressure stays False, as kubelet has no default threshold for process ids; Ready
 * while the agent runs, once the node's pod network exists.
 */
final class NodeConditions {
  private static final long MEMORY_AVAILABLE_MIN = 100L * 1024 * 1024;

  private final Path dataDir;
  private final Map<String, String> transitions = new HashMap<>();
  private final Map<String, String> states = new HashMap<>();
  private volatile boolean networkReady;

  NodeConditions(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** The conditions now, each with a fresh heartbeat time and the time it last changed. */
  synchronized ArrayNode now() {
    Instant now = Instant.now();
    ArrayNode out = Json.MAPPER.createArrayNode();
    boolean memory = memoryAvailable() < MEMORY_AVAILABLE_MIN;
    boolean disk = diskFreeFraction() < 0.10;
    boolean pids = false;
    add(out, now, "MemoryPressure", memory, memory ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
        memory ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available");
    add(out, now, "DiskPressure", disk, disk ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
        disk ? "kubelet has disk pressure" : "kubelet has no disk pressure");
    add(out, now, "PIDPressure", pids, pids ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
        pids ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available");
    if (networkReady) {
      add(out, now, "Ready", true, "KubeletReady", "kubelet is posting ready status");
    } else {
      // kubelet's words while the CNI plugin has not set up the pod network
      add(out, now, "Ready", false, "KubeletNotReady", "container runtime network not ready: NetworkReady=false "
          + "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");
    }
    return out;
  }

  /** The node's pod network exists (its PodCIDR is set up): the node may be Ready. */
  void networkReady() {
    networkReady = true;
  }

  private void add(ArrayNode out, Instant now, String type, boolean isTrue, String reason, String message) {
    String status = isTrue ? "True" : "False";
    if (!status.equals(states.put(type, status))) transitions.put(type, Timestamps.format(now));
    ObjectNode c = out.addObject();
    c.put("type", type).put("status", status).put("lastHeartbeatTime", Timestamps.format(now))
        .put("lastTransitionTime", transitions.get(type)).put("reason", reason).put("message", message);
  }

  private static long memoryAvailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | NumberFormatException ignored) {
      // not Linux: no pressure known
    }
    return Long.MAX_VALUE;
  }

  private double diskFreeFraction() {
    try {
      var store = Files.getFileStore(dataDir);
      return store.getTotalSpace() == 0 ? 1 : (double) store.getUsableSpace() / store.getTotalSpace();
    } catch (IOException e) {
      return 1;
    }
  }
}
