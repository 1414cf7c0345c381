package io.kubeactor.controlplane.controller.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A ReplicaSet's status from the pods it controls (upstream's calculateStatus): replicas,
 * fullyLabeledReplicas (pods carrying every label of the template), readyReplicas,
 * availableReplicas (ready for minReadySeconds), and the ReplicaFailure condition while creating
 * or deleting pods fails. Zero counts are left out as upstream's omitempty fields are.
 */
final class ReplicaSetStatuses {
  private ReplicaSetStatuses() {}

  static final String REPLICA_FAILURE = "ReplicaFailure";

  /**
   * The status the ReplicaSet should have.
   *
   * @param active the active pods it controls
   * @param manageError why creating or deleting pods failed in this sync, or null
   */
  static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> active, Throwable manageError, Instant now) {
    ReplicaSetStatus current = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
    LabelSelector templateLabels = LabelSelector.fromMap(
        rs.getSpec().getTemplate().getMetadata() == null ? null : rs.getSpec().getTemplate().getMetadata().getLabels());
    int minReady = minReadySeconds(rs);
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : active) {
      if (templateLabels.matches(PodControl.labels(p))) fullyLabeled++;
      if (Pods.isReady(p)) {
        ready++;
        if (Pods.isAvailable(p, minReady, now)) available++;
      }
    }
    List<ReplicaSetCondition> conditions = new ArrayList<>(
        current.getConditions() == null ? List.of() : current.getConditions());
    boolean hasFailure = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
    if (manageError != null && !hasFailure) {
      int diff = active.size() - replicas(rs);
      String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
      ReplicaSetCondition c = new ReplicaSetCondition();
      c.setType(REPLICA_FAILURE);
      c.setStatus("True");
      c.setReason(reason);
      c.setMessage(manageError.getMessage());
      c.setLastTransitionTime(Timestamps.format(now));
      conditions.add(c);
    } else if (manageError == null && hasFailure) {
      conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
    }
    ReplicaSetStatus status = new ReplicaSetStatus();
    status.setReplicas(active.size());
    status.setFullyLabeledReplicas(omitZero(fullyLabeled));
    status.setReadyReplicas(omitZero(ready));
    status.setAvailableReplicas(omitZero(available));
    status.setObservedGeneration(current.getObservedGeneration());
    status.setConditions(conditions.isEmpty() ? null : conditions);
    return status;
  }

  /** Whether the ReplicaSet already shows this status for its current generation (no write needed). */
  static boolean upToDate(ReplicaSet rs, ReplicaSetStatus status) {
    ReplicaSetStatus cur = rs.getStatus();
    if (cur == null) return false;
    return count(cur.getReplicas()) == count(status.getReplicas())
        && count(cur.getFullyLabeledReplicas()) == count(status.getFullyLabeledReplicas())
        && count(cur.getReadyReplicas()) == count(status.getReadyReplicas())
        && count(cur.getAvailableReplicas()) == count(status.getAvailableReplicas())
        && Objects.equals(rs.getMetadata().getGeneration(), cur.getObservedGeneration())
        && Objects.equals(emptyToNull(cur.getConditions()), emptyToNull(status.getConditions()));
  }

  /**
   * How long until the next ready pod becomes available (ready for minReadySeconds), so the
   * ReplicaSet is synced again then; null if none is waiting.
   */
  static Duration untilNextAvailable(ReplicaSet rs, List<Pod> active, Instant now) {
    int minReady = minReadySeconds(rs);
    if (minReady <= 0) return null;
    Instant soonest = null;
    for (Pod p : active) {
      if (!Pods.isReady(p) || Pods.isAvailable(p, minReady, now)) continue;
      Instant at = Pods.availableAt(p, minReady);
      if (at != null && (soonest == null || at.isBefore(soonest))) soonest = at;
    }
    if (soonest == null) return null;
    Duration d = Duration.between(now, soonest);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** spec.replicas, 1 when unset (admission defaults it). */
  static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  static int minReadySeconds(ReplicaSet rs) {
    return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
  }

  private static Integer omitZero(int n) {
    return n == 0 ? null : n;
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }

  private static <T> List<T> emptyToNull(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }
}
