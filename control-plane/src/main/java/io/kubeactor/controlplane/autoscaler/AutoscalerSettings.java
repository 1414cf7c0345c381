package io.kubeactor.controlplane.autoscaler;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The cluster autoscaler's settings (kubeactor.cluster-autoscaler), named after cluster-autoscaler's
 * flags. {@code nodes} is upstream's {@code --nodes=MIN:MAX:NAME}; without it there is no autoscaler.
 *
 * @param group the node group the autoscaler may grow and shrink, null when none is declared
 * @param scanInterval how often the cluster is looked at (--scan-interval, 10 s)
 * @param scaleDownEnabled --scale-down-enabled
 * @param scaleDownUnneededTime how long a node must be unneeded before it is removed (10 min)
 * @param scaleDownDelayAfterAdd no scale-down this long after a scale-up (10 min)
 * @param scaleDownUtilizationThreshold requested cpu and memory, each over allocatable, below which a node may go (0.5)
 * @param maxNodeProvisionTime a node asked for and not registered within this is given up (15 min)
 * @param maxPodEvictionTime how long a drain keeps trying to evict a node's pods (2 min)
 * @param provider how the local node provider starts agents
 */
public record AutoscalerSettings(GroupSpec group, Duration scanInterval, boolean scaleDownEnabled,
    Duration scaleDownUnneededTime, Duration scaleDownDelayAfterAdd, double scaleDownUtilizationThreshold,
    Duration maxNodeProvisionTime, Duration maxPodEvictionTime, LocalProviderSpec provider) {

  /** A node group as upstream's --nodes declares it. */
  public record GroupSpec(int minSize, int maxSize, String name) {
    /** "MIN:MAX:NAME", as upstream parses --nodes; refused with a message that says why. */
    public static GroupSpec parse(String spec) {
      String[] parts = spec.split(":", 3);
      if (parts.length != 3) throw new IllegalArgumentException("--nodes " + spec + " is not MIN:MAX:NAME");
      int min;
      int max;
      try {
        min = Integer.parseInt(parts[0]);
        max = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--nodes " + spec + ": MIN and MAX must be whole numbers");
      }
      if (min < 0) throw new IllegalArgumentException("--nodes " + spec + ": min size must be >= 0");
      if (max < min) throw new IllegalArgumentException("--nodes " + spec + ": max size must be greater or equal to min size");
      if (max < 1) throw new IllegalArgumentException("--nodes " + spec + ": max size must be at least 1");
      if (!parts[2].matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || parts[2].length() > 50) {
        throw new IllegalArgumentException("--nodes " + spec + ": NAME must be a DNS label (nodes are named after it)");
      }
      return new GroupSpec(min, max, parts[2]);
    }
  }

  /**
   * How the local node provider starts an agent: {@code java} (empty: this JVM's) with the JVM
   * options and the agent's classpath, each node's data in nodesDir/NAME, its output in
   * logDir/node-NAME.log and its pid in runDir/node-NAME.pid (the launcher's layout, so that
   * {@code ./kubeactor status} and {@code down} see the nodes it added), and these agent flags.
   */
  public record LocalProviderSpec(String java, List<String> jvmOptions, String classpath, Path nodesDir, Path logDir,
      Path runDir, List<String> agentFlags) {}

  public boolean enabled() {
    return group != null;
  }

  public static AutoscalerSettings from(Config k) {
    Config c = k.getConfig("cluster-autoscaler");
    String nodes = c.getString("nodes").trim();
    Config p = c.getConfig("local-node-provider");
    LocalProviderSpec provider = new LocalProviderSpec(p.getString("java"),
        List.of(p.getString("jvm-options").trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList(),
        p.getString("classpath"), nodesDir(k, p), path(p.getString("log-dir")), path(p.getString("run-dir")),
        p.getStringList("agent-flags"));
    return new AutoscalerSettings(nodes.isEmpty() ? null : GroupSpec.parse(nodes), c.getDuration("scan-interval"),
        c.getBoolean("scale-down-enabled"), c.getDuration("scale-down-unneeded-time"),
        c.getDuration("scale-down-delay-after-add"), c.getDouble("scale-down-utilization-threshold"),
        c.getDuration("max-node-provision-time"), c.getDuration("max-pod-eviction-time"), provider);
  }

  /** nodes-dir, or "nodes" beside the data directory, where the launcher keeps its nodes' data. */
  private static Path nodesDir(Config k, Config p) {
    Path configured = path(p.getString("nodes-dir"));
    if (configured != null || !k.hasPath("data-dir")) return configured;
    Path data = Path.of(k.getString("data-dir")).toAbsolutePath();
    return data.getParent() == null ? data.resolve("nodes") : data.getParent().resolve("nodes");
  }

  private static Path path(String s) {
    return s.isBlank() ? null : Path.of(s).toAbsolutePath();
  }
}
