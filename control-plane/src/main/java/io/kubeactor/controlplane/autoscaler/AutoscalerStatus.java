package io.kubeactor.controlplane.autoscaler;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code status} of the cluster-autoscaler-status ConfigMap in kube-system, as cluster-autoscaler
 * (v1.30 on, clusterstate/api's ClusterAutoscalerStatus) writes it: YAML with the keys in
 * alphabetical order, as sigs.k8s.io/yaml orders them, the conditions' times as RFC 3339 strings,
 * and {@code time} as Go prints a time.Time. Each condition's lastTransitionTime is when its status
 * last changed; this object remembers them between loops.
 */
public final class AutoscalerStatus {
  public static final String NAMESPACE = "kube-system";
  public static final String NAME = "cluster-autoscaler-status";
  public static final String LAST_UPDATED = "cluster-autoscaler.kubernetes.io/last-updated";

  /** Go's time.Time.String(): "2026-09-15 04:05:52.354884346 +0000 UTC" (fraction without trailing zeros). */
  static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS");

  /** Counts of a group's (or the cluster's) registered nodes. */
  public record NodeCounts(int total, int ready, int notStarted, int beingDeleted, int unready, int unregistered) {}

  /** One loop's findings. */
  public record Snapshot(String group, int minSize, int maxSize, int target, NodeCounts cluster, NodeCounts groupCounts,
      String scaleUp, int candidates) {}

  private final Map<String, String[]> transitions = new HashMap<>();

  /** The status YAML for this loop, at {@code now}. */
  public String yaml(Snapshot s, Instant now) {
    String probe = rfc3339(now);
    String health = healthy(s.cluster()) ? "Healthy" : "Unhealthy";
    String groupHealth = healthy(s.groupCounts()) ? "Healthy" : "Unhealthy";
    String scaleDown = s.candidates() > 0 ? "CandidatesPresent" : "NoCandidates";
    StringBuilder y = new StringBuilder();
    y.append("autoscalerStatus: Running\n");
    y.append("clusterWide:\n");
    y.append("  health:\n");
    times(y, "    ", "cluster.health", health, probe);
    counts(y, "    ", s.cluster());
    y.append("    status: ").append(health).append('\n');
    y.append("  scaleDown:\n");
    if (s.candidates() > 0) y.append("    candidates: ").append(s.candidates()).append('\n');
    times(y, "    ", "cluster.scaleDown", scaleDown, probe);
    y.append("    status: ").append(scaleDown).append('\n');
    y.append("  scaleUp:\n");
    times(y, "    ", "cluster.scaleUp", s.scaleUp(), probe);
    y.append("    status: ").append(s.scaleUp()).append('\n');
    y.append("nodeGroups:\n");
    y.append("- health:\n");
    y.append("    cloudProviderTarget: ").append(s.target()).append('\n');
    times(y, "    ", "group.health", groupHealth, probe);
    y.append("    maxSize: ").append(s.maxSize()).append('\n');
    y.append("    minSize: ").append(s.minSize()).append('\n');
    counts(y, "    ", s.groupCounts());
    y.append("    status: ").append(groupHealth).append('\n');
    y.append("  name: ").append(s.group()).append('\n');
    y.append("  scaleDown:\n");
    if (s.candidates() > 0) y.append("    candidates: ").append(s.candidates()).append('\n');
    times(y, "    ", "group.scaleDown", scaleDown, probe);
    y.append("    status: ").append(scaleDown).append('\n');
    y.append("  scaleUp:\n");
    y.append("    backoffInfo: {}\n");
    times(y, "    ", "group.scaleUp", s.scaleUp(), probe);
    y.append("    status: ").append(s.scaleUp()).append('\n');
    y.append("time: ").append(goTime(now)).append('\n');
    return y.toString();
  }

  /** Upstream: unhealthy when more than 3 nodes and 45% of them are unready. */
  static boolean healthy(NodeCounts c) {
    int unready = c.unready() + c.notStarted();
    return !(unready > 3 && unready > 0.45 * (c.total() + c.unregistered()));
  }

  private void times(StringBuilder y, String indent, String condition, String status, String probe) {
    String[] last = transitions.get(condition);
    if (last == null || !last[0].equals(status)) {
      last = new String[] {status, probe};
      transitions.put(condition, last);
    }
    y.append(indent).append("lastProbeTime: \"").append(probe).append("\"\n");
    y.append(indent).append("lastTransitionTime: \"").append(last[1]).append("\"\n");
  }

  private static void counts(StringBuilder y, String indent, NodeCounts c) {
    y.append(indent).append("nodeCounts:\n");
    y.append(indent).append("  longUnregistered: 0\n");
    y.append(indent).append("  registered:\n");
    if (c.beingDeleted() > 0) y.append(indent).append("    beingDeleted: ").append(c.beingDeleted()).append('\n');
    y.append(indent).append("    notStarted: ").append(c.notStarted()).append('\n');
    y.append(indent).append("    ready: ").append(c.ready()).append('\n');
    y.append(indent).append("    total: ").append(c.total()).append('\n');
    y.append(indent).append("    unready:\n");
    y.append(indent).append("      resourceUnready: 0\n");
    y.append(indent).append("      total: ").append(c.unready()).append('\n');
    y.append(indent).append("  unregistered: ").append(c.unregistered()).append('\n');
  }

  static String rfc3339(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** As Go's time.Time.String() prints a UTC time (without the monotonic clock reading). */
  public static String goTime(Instant t) {
    String s = GO_TIME.format(t.atOffset(ZoneOffset.UTC));
    int dot = s.indexOf('.');
    String fraction = s.substring(dot + 1).replaceAll("0+$", "");
    return (fraction.isEmpty() ? s.substring(0, dot) : s.substring(0, dot + 1) + fraction) + " +0000 UTC";
  }
}
