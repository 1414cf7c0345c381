package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * progress.go: the Progressing condition of a rollout. It is True with NewReplicaSetAvailable when
 * the rollout is complete, True with ReplicaSetUpdated (its lastUpdateTime moved on) whenever pods
 * are updated, become ready or available, or old ones go, and False with ProgressDeadlineExceeded
 * when nothing of that happened for progressDeadlineSeconds; {@code kubectl rollout status} fails
 * on the latter. A rollout that makes no progress is looked at again when its deadline falls due.
 */
final class RolloutProgress {

  /** Upstream adds a second to the requeue, so that the deadline has surely passed. */
  private static final Duration SKEW = Duration.ofSeconds(1);

  private final DeploymentSync sync;
  private final DeploymentWrites writes;
  private final Clock clock;

  RolloutProgress(DeploymentSync sync, DeploymentWrites writes, Clock clock) {
    this.sync = sync;
    this.writes = writes;
    this.clock = clock;
  }

  /** syncRolloutStatus: the status with the Progressing condition brought up to date. */
  CompletionStage<Void> syncRolloutStatus(Rollout r, NewAndOld s) {
    Deployment d = r.d;
    ReplicaSet newRS = s.newRS();
    Instant now = clock.instant();
    DeploymentStatus next = sync.calculateStatus(s.all(), newRS, d);
    if (!Deployments.hasProgressDeadline(d)) DeploymentConditions.remove(next, DeploymentConditions.PROGRESSING);

    Optional<DeploymentCondition> current = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    // one ReplicaSet with every replica and a rollout already reported done: a resync, nothing to estimate
    boolean alreadyComplete = Deployments.nz(next.getReplicas()) == Deployments.nz(next.getUpdatedReplicas())
        && current.isPresent() && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.get().getReason());
    if (Deployments.hasProgressDeadline(d) && !alreadyComplete) {
      String subject = newRS != null ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\""
          : "Deployment \"" + d.getMetadata().getName() + "\"";
      if (Deployments.complete(d, next)) {
        DeploymentConditions.set(next, DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
            DeploymentConditions.NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
      } else if (Deployments.progressing(d, next)) {
        DeploymentCondition c = DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
            DeploymentConditions.REPLICA_SET_UPDATED, subject + " is progressing.", now);
        // progress moves lastUpdateTime even when the reason stays; the transition time stays while True
        if (current.isPresent()) {
          if ("True".equals(current.get().getStatus())) c.setLastTransitionTime(current.get().getLastTransitionTime());
          DeploymentConditions.remove(next, DeploymentConditions.PROGRESSING);
        }
        DeploymentConditions.set(next, c);
      } else if (Deployments.timedOut(d, next, now)) {
        DeploymentConditions.set(next, DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "False",
            DeploymentConditions.TIMED_OUT, subject + " has timed out progressing.", now));
      }
    }

    List<DeploymentCondition> failures = replicaFailures(s.all(), newRS);
    if (!failures.isEmpty()) DeploymentConditions.set(next, failures.get(0));
    else DeploymentConditions.remove(next, DeploymentConditions.REPLICA_FAILURE);

    if (DeploymentSync.sameStatus(d.getStatus(), next)) {
      requeueStuck(r, next, now);
      return CompletableFuture.completedFuture(null);
    }
    r.d.setStatus(next);
    return writes.updateStatus(r).thenApply(x -> null);
  }

  /** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else the old ones'. */
  private static List<DeploymentCondition> replicaFailures(List<ReplicaSet> all, ReplicaSet newRS) {
    List<DeploymentCondition> out = new ArrayList<>();
    if (newRS != null) collectFailures(newRS, out);
    if (!out.isEmpty()) return out;
    for (ReplicaSet rs : all) collectFailures(rs, out);
    return out;
  }

  private static void collectFailures(ReplicaSet rs, List<DeploymentCondition> out) {
    if (rs == null || rs.getStatus() == null || rs.getStatus().getConditions() == null) return;
    for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
      if (DeploymentConditions.REPLICA_FAILURE.equals(c.getType())) out.add(DeploymentConditions.fromReplicaSet(c));
    }
  }

  /**
   * requeueStuckDeployment: a rollout neither complete nor timed out is looked at again when its
   * deadline (last progress + progressDeadlineSeconds) falls due, not only at the next resync.
   */
  private void requeueStuck(Rollout r, DeploymentStatus next, Instant now) {
    Deployment d = r.d;
    Optional<DeploymentCondition> current = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    if (!Deployments.hasProgressDeadline(d) || current.isEmpty()) return;
    if (Deployments.complete(d, next) || DeploymentConditions.TIMED_OUT.equals(current.get().getReason())) return;
    Instant deadline = Deployments.lastUpdate(current.get()).plusSeconds(d.getSpec().getProgressDeadlineSeconds());
    Duration after = Duration.between(now, deadline);
    r.requeueAfter((after.isNegative() ? Duration.ZERO : after).plus(SKEW));
  }
}
