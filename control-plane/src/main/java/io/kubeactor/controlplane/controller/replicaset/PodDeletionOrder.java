package io.kubeactor.controlplane.controller.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a ReplicaSet's pods go first when it scales down: upstream's getPodsToDelete over
 * ActivePodsWithRanks (LogarithmicScaleDown on, as in v1.32). The earlier a pod sorts, the less
 * it costs to lose it:
 * <ol>
 *   <li>unassigned before assigned;
 *   <li>Pending before Unknown before Running;
 *   <li>not ready before ready;
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first;
 *   <li>pods on nodes with more related pods (of the same owner's ReplicaSets) first;
 *   <li>ready for a shorter time first (compared on a log2 scale of the age);
 *   <li>more container restarts first;
 *   <li>newer first (log2 scale too); equal log2 ages are ordered by uid, as upstream.
 * </ol>
 */
final class PodDeletionOrder {

  static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private static final Map<String, Integer> PHASE_ORDINAL = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  private final Map<String, Integer> relatedOnNode = new HashMap<>();
  private final Instant now;

  /**
   * @param related the active and inactive pods of the ReplicaSet and its siblings (those with the
   *     same controller): the active ones are counted per node
   */
  PodDeletionOrder(List<Pod> related, Instant now) {
    this.now = now;
    for (Pod p : related) {
      if (Pods.isActive(p)) relatedOnNode.merge(node(p), 1, Integer::sum);
    }
  }

  /** The {@code count} pods to delete, cheapest first. */
  List<Pod> choose(List<Pod> active, int count) {
    if (count >= active.size()) return List.copyOf(active);
    return sorted(active).subList(0, count);
  }

  /**
   * The pods in deletion order. Like upstream's ranking this is not a strict total order in every
   * tie (log2 buckets fall back on uids only when the times differ), which a merge sort may reject,
   * so the pods are placed by a stable insertion sort: a ReplicaSet has at most a few hundred.
   */
  List<Pod> sorted(List<Pod> pods) {
    List<Pod> out = new ArrayList<>(pods.size());
    for (Pod p : pods) {
      int i = out.size();
      while (i > 0 && less(p, out.get(i - 1))) i--;
      out.add(i, p);
    }
    return out;
  }

  /** Whether {@code a} should be deleted before {@code b}. */
  boolean less(Pod a, Pod b) {
    String nodeA = node(a);
    String nodeB = node(b);
    if (!nodeA.equals(nodeB) && (nodeA.isEmpty() || nodeB.isEmpty())) return nodeA.isEmpty();
    int phaseA = PHASE_ORDINAL.getOrDefault(phase(a), 0);
    int phaseB = PHASE_ORDINAL.getOrDefault(phase(b), 0);
    if (phaseA != phaseB) return phaseA < phaseB;
    boolean readyA = Pods.isReady(a);
    boolean readyB = Pods.isReady(b);
    if (readyA != readyB) return !readyA;
    int costA = deletionCost(a);
    int costB = deletionCost(b);
    if (costA != costB) return costA < costB;
    int rankA = relatedOnNode.getOrDefault(nodeA, 0);
    int rankB = relatedOnNode.getOrDefault(nodeB, 0);
    if (rankA != rankB) return rankA > rankB;
    if (readyA && readyB) {
      Instant readyTimeA = readyTime(a);
      Instant readyTimeB = readyTime(b);
      if (!java.util.Objects.equals(readyTimeA, readyTimeB)) return newerFirst(a, readyTimeA, b, readyTimeB);
    }
    int[] restartsA = maxRestarts(a);
    int[] restartsB = maxRestarts(b);
    if (restartsA[0] != restartsB[0]) return restartsA[0] > restartsB[0];
    if (restartsA[1] != restartsB[1]) return restartsA[1] > restartsB[1];
    Instant createdA = time(a.getMetadata().getCreationTimestamp());
    Instant createdB = time(b.getMetadata().getCreationTimestamp());
    if (!java.util.Objects.equals(createdA, createdB)) return newerFirst(a, createdA, b, createdB);
    return false;
  }

  /** Missing times first, then the more recent on a log2 scale of age, ties by uid. */
  private boolean newerFirst(Pod a, Instant ta, Pod b, Instant tb) {
    if (ta == null || tb == null) return ta == null;
    int diff = log2Age(ta) - log2Age(tb);
    if (diff == 0) return a.getMetadata().getUid().compareTo(b.getMetadata().getUid()) < 0;
    return diff < 0;
  }

  /** floor(log2(age in nanoseconds)), -1 for no age. */
  private int log2Age(Instant t) {
    long nanos = Duration.between(t, now).toNanos();
    return nanos > 0 ? 63 - Long.numberOfLeadingZeros(nanos) : -1;
  }

  /** The highest restart count of the regular containers, and of the restartable init (sidecar) ones. */
  private static int[] maxRestarts(Pod p) {
    int regular = 0;
    int sidecar = 0;
    if (p.getStatus() == null) return new int[] {0, 0};
    for (ContainerStatus s : nullToEmpty(p.getStatus().getContainerStatuses())) {
      regular = Math.max(regular, restarts(s));
    }
    java.util.Set<String> sidecars = new java.util.HashSet<>();
    if (p.getSpec() != null && p.getSpec().getInitContainers() != null) {
      p.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy()))
          .forEach(c -> sidecars.add(c.getName()));
    }
    for (ContainerStatus s : nullToEmpty(p.getStatus().getInitContainerStatuses())) {
      if (sidecars.contains(s.getName())) sidecar = Math.max(sidecar, restarts(s));
    }
    return new int[] {regular, sidecar};
  }

  private static int restarts(ContainerStatus s) {
    return s.getRestartCount() == null ? 0 : s.getRestartCount();
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static int deletionCost(Pod p) {
    Map<String, String> annotations = p.getMetadata().getAnnotations();
    String cost = annotations == null ? null : annotations.get(DELETION_COST);
    if (cost == null) return 0;
    try {
      return Integer.parseInt(cost);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant readyTime(Pod p) {
    return Pods.condition(p, "Ready").filter(c -> "True".equals(c.getStatus()))
        .map(c -> time(c.getLastTransitionTime())).orElse(null);
  }

  private static String node(Pod p) {
    String n = Pods.nodeName(p);
    return n == null ? "" : n;
  }

  private static String phase(Pod p) {
    return p.getStatus() == null || p.getStatus().getPhase() == null ? "" : p.getStatus().getPhase();
  }

  private static Instant time(String t) {
    return t == null || t.isEmpty() ? null : Instant.parse(t);
  }
}
