package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the Deployment controller reads from its ReplicaSets: sizes, the counts their status
 * reports, the replica annotations, and the orders upstream sorts them in.
 */
final class ReplicaSets {
  private ReplicaSets() {}

  /** The desired replicas of the Deployment when the ReplicaSet was last scaled by it. */
  static final String DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
  /** The Deployment's replicas plus maxSurge then: the ReplicaSet's share in proportional scaling. */
  static final String MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";

  /** spec.replicas (defaulted to 1 by the API). */
  static int replicas(ReplicaSet rs) {
    Integer n = rs.getSpec() == null ? null : rs.getSpec().getReplicas();
    return n == null ? 1 : n;
  }

  static int statusReplicas(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
  }

  static int readyReplicas(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
  }

  static int availableReplicas(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
  }

  static long observedGeneration(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0 : rs.getStatus().getObservedGeneration();
  }

  static long generation(ReplicaSet rs) {
    Long g = rs.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /** GetReplicaCountForReplicaSets: the sum of spec.replicas (null entries, a missing new RS, count 0). */
  static int specTotal(Collection<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::replicas).sum();
  }

  /** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
  static int actualTotal(Collection<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::statusReplicas).sum();
  }

  static int readyTotal(Collection<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::readyReplicas).sum();
  }

  static int availableTotal(Collection<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::availableReplicas).sum();
  }

  /** FilterActiveReplicaSets: those asked to run pods. */
  static List<ReplicaSet> active(Collection<ReplicaSet> rss) {
    return rss.stream().filter(rs -> rs != null && replicas(rs) > 0).toList();
  }

  static String annotation(ReplicaSet rs, String key) {
    Map<String, String> a = rs.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  /** An int annotation, or null when absent or not a number. */
  static Integer intAnnotation(ReplicaSet rs, String key) {
    String v = annotation(rs, key);
    if (v == null) return null;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** SetReplicasAnnotations; whether anything changed. The annotations map must be the caller's copy. */
  static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
    Map<String, String> a = RevisionHistory.annotations(rs);
    boolean changed = !Integer.toString(desired).equals(a.put(DESIRED_REPLICAS_ANNOTATION, Integer.toString(desired)));
    changed |= !Integer.toString(max).equals(a.put(MAX_REPLICAS_ANNOTATION, Integer.toString(max)));
    return changed;
  }

  static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    return !Integer.toString(desired).equals(annotation(rs, DESIRED_REPLICAS_ANNOTATION))
        || !Integer.toString(max).equals(annotation(rs, MAX_REPLICAS_ANNOTATION));
  }

  static Instant created(ReplicaSet rs) {
    String t = rs.getMetadata().getCreationTimestamp();
    return t == null ? Instant.EPOCH : Instant.parse(t);
  }

  /** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
  static final Comparator<ReplicaSet> BY_CREATION = Comparator.comparing(ReplicaSets::created)
      .thenComparing(rs -> rs.getMetadata().getName());

  /** ReplicaSetsBySizeNewer: largest first; of the same size, the newer first (scale up the new first). */
  static final Comparator<ReplicaSet> BY_SIZE_NEWER = Comparator.comparingInt(ReplicaSets::replicas).reversed()
      .thenComparing(BY_CREATION.reversed());

  /** ReplicaSetsBySizeOlder: largest first; of the same size, the older first (scale down the old first). */
  static final Comparator<ReplicaSet> BY_SIZE_OLDER = Comparator.comparingInt(ReplicaSets::replicas).reversed()
      .thenComparing(BY_CREATION);

  static boolean sameObject(ReplicaSet a, ReplicaSet b) {
    return a != null && b != null && Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
  }
}
