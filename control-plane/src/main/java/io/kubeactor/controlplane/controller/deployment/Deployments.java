package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * deployment_util.go's arithmetic over a Deployment's spec and status: the rolling update's
 * fenceposts, proportions in a scaling event, and whether a rollout is complete, progressing or
 * past its deadline. Pure functions of their arguments.
 */
final class Deployments {
  private Deployments() {}

  static final String RECREATE = "Recreate";
  static final String ROLLING_UPDATE = "RollingUpdate";

  static int replicas(Deployment d) {
    Integer n = d.getSpec().getReplicas();
    return n == null ? 1 : n;
  }

  static long generation(Deployment d) {
    Long g = d.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  static String strategy(Deployment d) {
    return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
        ? ROLLING_UPDATE : d.getSpec().getStrategy().getType();
  }

  static boolean isRollingUpdate(Deployment d) {
    return ROLLING_UPDATE.equals(strategy(d));
  }

  static boolean paused(Deployment d) {
    return Boolean.TRUE.equals(d.getSpec().getPaused());
  }

  static int minReadySeconds(Deployment d) {
    Integer s = d.getSpec().getMinReadySeconds();
    return s == null ? 0 : s;
  }

  /** HasProgressDeadline: set and not MaxInt32 (which means "never"). */
  static boolean hasProgressDeadline(Deployment d) {
    Integer s = d.getSpec().getProgressDeadlineSeconds();
    return s != null && s != Integer.MAX_VALUE;
  }

  /** HasRevisionHistoryLimit: set and not MaxInt32 (which means "keep all"). */
  static boolean hasRevisionHistoryLimit(Deployment d) {
    Integer l = d.getSpec().getRevisionHistoryLimit();
    return l != null && l != Integer.MAX_VALUE;
  }

  private static IntOrString maxSurgeValue(Deployment d) {
    var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return ru == null ? null : ru.getMaxSurge();
  }

  private static IntOrString maxUnavailableValue(Deployment d) {
    var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return ru == null ? null : ru.getMaxUnavailable();
  }

  /**
   * intstr.GetScaledValueFromIntOrPercent: an int as is, a percentage of {@code total} rounded up
   * or down. Absent is 0; validation refuses anything else.
   */
  static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v == null) return 0;
    if (v.getIntVal() != null) return v.getIntVal();
    String s = v.getStrVal();
    if (s == null || s.isEmpty()) return 0;
    if (!s.endsWith("%")) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
    }
    long percent = Long.parseLong(s.substring(0, s.length() - 1));
    long scaled = percent * total;
    return (int) (roundUp ? Math.floorDiv(scaled + 99, 100) : Math.floorDiv(scaled, 100));
  }

  /**
   * ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down; when both come to 0,
   * maxUnavailable is 1 (surge might be impossible, e.g. under a quota).
   */
  static int[] fenceposts(Deployment d) {
    int desired = replicas(d);
    int surge = scaled(maxSurgeValue(d), desired, true);
    int unavailable = scaled(maxUnavailableValue(d), desired, false);
    if (surge == 0 && unavailable == 0) unavailable = 1;
    return new int[] {surge, unavailable};
  }

  static int maxSurge(Deployment d) {
    return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
  }

  static int maxUnavailable(Deployment d) {
    int desired = replicas(d);
    if (!isRollingUpdate(d) || desired == 0) return 0;
    return Math.min(fenceposts(d)[1], desired);
  }

  /** NewRSNewReplicas: the size the new ReplicaSet may grow to now. */
  static int newRSNewReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    if (RECREATE.equals(strategy(d))) return replicas(d);
    int maxTotal = replicas(d) + maxSurge(d);
    int current = ReplicaSets.specTotal(all);
    int newSize = ReplicaSets.replicas(newRS);
    if (current >= maxTotal) return newSize;
    int up = Math.min(maxTotal - current, replicas(d) - newSize);
    return newSize + up;
  }

  /**
   * IsSaturated: the new ReplicaSet holds all the Deployment's replicas, both agree on that
   * (desired-replicas annotation), and all of them are available.
   */
  static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) return false;
    Integer desired = ReplicaSets.intAnnotation(rs, ReplicaSets.DESIRED_REPLICAS_ANNOTATION);
    if (desired == null) return false;
    return ReplicaSets.replicas(rs) == replicas(d) && desired == replicas(d)
        && ReplicaSets.availableReplicas(rs) == replicas(d);
  }

  /**
   * GetReplicaSetProportion: the ReplicaSet's share of the replicas being added (or removed, when
   * negative) in a scaling event, bounded by what is left to distribute.
   */
  static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || ReplicaSets.replicas(rs) == 0 || toAdd == 0 || toAdd == added) return 0;
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private static int fraction(ReplicaSet rs, Deployment d) {
    int size = ReplicaSets.replicas(rs);
    if (replicas(d) == 0) return -size;
    int deploymentReplicas = replicas(d) + maxSurge(d);
    Integer annotated = ReplicaSets.intAnnotation(rs, ReplicaSets.MAX_REPLICAS_ANNOTATION);
    if (annotated == null) annotated = d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
    if (annotated == 0) return 0;
    double newSize = (double) size * deploymentReplicas / annotated;
    return (int) Math.round(newSize) - size;
  }

  /** DeploymentComplete: every replica updated and available, no old one left, the spec observed. */
  static boolean complete(Deployment d, DeploymentStatus s) {
    int n = replicas(d);
    return nz(s.getUpdatedReplicas()) == n && nz(s.getReplicas()) == n && nz(s.getAvailableReplicas()) == n
        && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration()) >= generation(d);
  }

  /**
   * DeploymentProgressing: compared with the status the controller last wrote, more pods are
   * updated, ready or available, or fewer old ones are left.
   */
  static boolean progressing(Deployment d, DeploymentStatus next) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = nz(old.getReplicas()) - nz(old.getUpdatedReplicas());
    int newOld = nz(next.getReplicas()) - nz(next.getUpdatedReplicas());
    return nz(next.getUpdatedReplicas()) > nz(old.getUpdatedReplicas()) || newOld < oldOld
        || nz(next.getReadyReplicas()) > nz(old.getReadyReplicas())
        || nz(next.getAvailableReplicas()) > nz(old.getAvailableReplicas());
  }

  /**
   * DeploymentTimedOut: the last progress (Progressing's lastUpdateTime) is older than
   * progressDeadlineSeconds, or the deadline was already reported. A completed rollout never times out.
   */
  static boolean timedOut(Deployment d, DeploymentStatus next, Instant now) {
    if (!hasProgressDeadline(d)) return false;
    Optional<DeploymentCondition> c = DeploymentConditions.get(next, DeploymentConditions.PROGRESSING);
    if (c.isEmpty()) return false;
    if (DeploymentConditions.NEW_RS_AVAILABLE.equals(c.get().getReason())) return false;
    if (DeploymentConditions.TIMED_OUT.equals(c.get().getReason())) return true;
    Instant from = lastUpdate(c.get());
    return from.plus(Duration.ofSeconds(d.getSpec().getProgressDeadlineSeconds())).isBefore(now);
  }

  /** A condition's lastUpdateTime; Go's zero time when there is none. */
  static Instant lastUpdate(DeploymentCondition c) {
    return c.getLastUpdateTime() == null ? Instant.EPOCH : Instant.parse(c.getLastUpdateTime());
  }

  /** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
  static ReplicaSet findNew(Deployment d, List<ReplicaSet> rss) {
    List<ReplicaSet> sorted = new ArrayList<>(rss);
    sorted.sort(ReplicaSets.BY_CREATION);
    for (ReplicaSet rs : sorted) {
      if (PodTemplates.equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) return rs;
    }
    return null;
  }

  /** FindOldReplicaSets (all of them, with pods or not): every ReplicaSet but the new one. */
  static List<ReplicaSet> findOld(Deployment d, List<ReplicaSet> rss) {
    ReplicaSet newRS = findNew(d, rss);
    return rss.stream().filter(rs -> !ReplicaSets.sameObject(rs, newRS)).toList();
  }

  /**
   * FindActiveOrLatest: the one ReplicaSet with replicas, or the newest when none has any; null
   * when several have replicas (they are then scaled proportionally).
   */
  static ReplicaSet findActiveOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    if (newRS == null && oldRSs.isEmpty()) return null;
    List<ReplicaSet> all = new ArrayList<>(oldRSs);
    if (newRS != null) all.add(newRS);
    List<ReplicaSet> active = ReplicaSets.active(all);
    if (active.size() == 1) return active.get(0);
    if (!active.isEmpty()) return null;
    if (newRS != null) return newRS;
    return oldRSs.stream().max(ReplicaSets.BY_CREATION).orElse(null);
  }

  static int nz(Integer n) {
    return n == null ? 0 : n;
  }
}
