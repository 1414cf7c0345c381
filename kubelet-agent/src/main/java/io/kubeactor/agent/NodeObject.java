package io.kubeactor.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.AgentEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Node object an agent registers: its identity, capacity, addresses, conditions and system info. */
final class NodeObject {
  private NodeObject() {}

  /** The version a node reports, the control plane's own. */
  static final String KUBELET_VERSION = "v1.32.4";

  /**
   * The annotation with the host directory under which this node keeps local-path volumes; the
   * control plane's local-path provisioner (LocalPathProvisioner.LOCAL_PATH_ROOT) makes them there.
   */
  static final String LOCAL_PATH_ROOT = "kubeactor.io/local-path-root";

  /**
   * Where local-path volumes live: in the agent's data directory, as kind's node keeps them in
   * /var/local-path-provisioner. An absolute host path, since Docker bind-mounts it as it is.
   */
  static Path localPathRoot(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("local-path-provisioner");
  }

  // the host's identity does not change while the agent runs: read once, not with every heartbeat
  private static final String MACHINE_ID = read("/etc/machine-id");
  private static final String BOOT_ID = read("/proc/sys/kernel/random/boot_id");
  private static final String OS_IMAGE = osImage();

  static ObjectNode of(NodeIdentity id, NodeContext node, AgentEndpoint endpoint, ArrayNode conditions) {
    ObjectNode n = Json.object();
    n.put("apiVersion", "v1").put("kind", "Node");
    ObjectNode meta = n.putObject("metadata");
    meta.put("name", id.name());
    ObjectNode labels = meta.putObject("labels");
    labels.put("beta.kubernetes.io/arch", arch()).put("beta.kubernetes.io/os", "linux")
        .put("kubernetes.io/arch", arch()).put("kubernetes.io/hostname", id.name()).put("kubernetes.io/os", "linux");
    id.labels().forEach(labels::put);
    meta.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0")
        .put("volumes.kubernetes.io/controller-managed-attach-detach", "true")
        .put(LOCAL_PATH_ROOT, localPathRoot(node.dataDir()).toString());
    n.putObject("spec");
    n.set("status", status(id, node, endpoint, conditions));
    return n;
  }

  static ObjectNode status(NodeIdentity id, NodeContext node, AgentEndpoint endpoint, ArrayNode conditions) {
    ObjectNode status = Json.object();
    ObjectNode capacity = status.putObject("capacity");
    capacity.put("cpu", cpu(id.milliCpu())).put("memory", (id.memoryBytes() / 1024) + "Ki").put("pods", Integer.toString(id.pods()));
    // the filesystem of the agent's data directory, where emptyDir volumes live
    capacity.put("ephemeral-storage", (diskBytes(node.dataDir()) / 1024) + "Ki");
    status.set("allocatable", capacity.deepCopy());
    status.set("conditions", conditions);
    ArrayNode addresses = status.putArray("addresses");
    // none until the node's pod network exists (its bridge's address is the node's)
    if (id.internalIp() != null) addresses.addObject().put("type", "InternalIP").put("address", id.internalIp());
    addresses.addObject().put("type", "Hostname").put("address", id.hostname());
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", endpoint.port());
    ObjectNode info = status.putObject("nodeInfo");
    info.put("machineID", MACHINE_ID).put("systemUUID", id.name()).put("bootID", BOOT_ID)
        .put("kernelVersion", System.getProperty("os.version")).put("osImage", OS_IMAGE)
        .put("containerRuntimeVersion", "docker://" + node.dockerVersion()).put("kubeletVersion", KUBELET_VERSION)
        .put("kubeProxyVersion", KUBELET_VERSION).put("operatingSystem", "linux").put("architecture", arch());
    return status;
  }

  private static long diskBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getTotalSpace();
    } catch (Exception e) {
      return 0;
    }
  }

  private static String cpu(long milli) {
    return milli % 1000 == 0 ? Long.toString(milli / 1000) : milli + "m";
  }

  private static String arch() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> a;
    };
  }

  private static String osImage() {
    for (String line : lines("/etc/os-release")) {
      if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
    }
    return "Linux";
  }

  private static String read(String file) {
    var l = lines(file);
    return l.isEmpty() ? "" : l.get(0).strip();
  }

  private static java.util.List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (Exception e) {
      return java.util.List.of();
    }
  }
}
