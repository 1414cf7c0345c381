package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * rolling.go: the RollingUpdate strategy. The new ReplicaSet grows while all ReplicaSets together
 * stay within replicas + maxSurge; old ones shrink only as far as keeps replicas - maxUnavailable
 * pods available, counting the new ReplicaSet's pods as unavailable until its status says
 * otherwise. So when the new pods never become available (an image that cannot be pulled), the
 * old pods keep serving and the rollout stops there. Each reconcile takes one step: scale up, or
 * else scale down, then the status.
 */
final class RollingUpdate {

  private final DeploymentSync sync;
  private final RolloutProgress progress;
  private final DeploymentWrites writes;

  RollingUpdate(DeploymentSync sync, RolloutProgress progress, DeploymentWrites writes) {
    this.sync = sync;
    this.progress = progress;
    this.writes = writes;
  }

  /** rolloutRolling. */
  CompletionStage<Void> rollout(Rollout r) {
    return sync.newAndOld(r, true).thenCompose(s -> reconcileNew(r, s).thenCompose(scaledUp -> {
      if (scaledUp) return progress.syncRolloutStatus(r, s.latest(r));
      NewAndOld now = s.latest(r);
      return reconcileOld(r, now).thenCompose(scaledDown -> {
        if (scaledDown) return progress.syncRolloutStatus(r, s.latest(r));
        CompletionStage<Void> cleaned = Deployments.complete(r.d, r.d.getStatus())
            ? RevisionHistory.cleanup(r, writes, s.latest(r).oldRSs()) : CompletableFuture.completedFuture(null);
        return cleaned.thenCompose(x -> progress.syncRolloutStatus(r, s.latest(r)));
      });
    }));
  }

  /** reconcileNewReplicaSet: grows the new ReplicaSet as far as maxSurge allows (or shrinks it to replicas). */
  private CompletionStage<Boolean> reconcileNew(Rollout r, NewAndOld s) {
    Deployment d = r.d;
    ReplicaSet newRS = s.newRS();
    int desired = Deployments.replicas(d);
    if (ReplicaSets.replicas(newRS) == desired) return CompletableFuture.completedFuture(false);
    int target = ReplicaSets.replicas(newRS) > desired ? desired : Deployments.newRSNewReplicas(d, s.all(), newRS);
    return sync.scaleAndRecordEvent(r, newRS, target).thenApply(Scaled::scaled);
  }

  /**
   * reconcileOldReplicaSets: at most allPods - minAvailable - (new pods not yet available) old
   * pods may go; unhealthy old pods go first (they cost no availability), then available ones as
   * far as availability allows.
   */
  private CompletionStage<Boolean> reconcileOld(Rollout r, NewAndOld s) {
    Deployment d = r.d;
    List<ReplicaSet> oldActive = ReplicaSets.active(s.oldRSs());
    if (ReplicaSets.specTotal(oldActive) == 0) return CompletableFuture.completedFuture(false);
    int allPods = ReplicaSets.specTotal(s.all());
    int minAvailable = Deployments.replicas(d) - Deployments.maxUnavailable(d);
    ReplicaSet newRS = s.newRS();
    int newUnavailable = ReplicaSets.replicas(newRS) - ReplicaSets.availableReplicas(newRS);
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return CompletableFuture.completedFuture(false);
    int[] cleaned = {0};
    return cleanupUnhealthyReplicas(r, oldActive, maxScaledDown, cleaned)
        .thenCompose(x -> {
          List<ReplicaSet> old = r.latest(oldActive);
          List<ReplicaSet> all = new ArrayList<>(old);
          all.add(r.latest(newRS));
          return scaleDownOldForRollingUpdate(r, all, old);
        })
        .thenApply(scaledDown -> cleaned[0] + scaledDown > 0);
  }

  /**
   * cleanupUnhealthyReplicas: shrinks old ReplicaSets by their pods that are not available, oldest
   * ReplicaSet first (its controller deletes not-ready pods before ready ones).
   */
  private CompletionStage<Void> cleanupUnhealthyReplicas(Rollout r, List<ReplicaSet> oldRSs, int maxCleanup, int[] total) {
    List<ReplicaSet> sorted = new ArrayList<>(oldRSs);
    sorted.sort(ReplicaSets.BY_CREATION);
    return Rollout.eachInTurn(sorted, rs -> {
      ReplicaSet current = r.latest(rs);
      int size = ReplicaSets.replicas(current);
      int available = ReplicaSets.availableReplicas(current);
      if (total[0] >= maxCleanup || size == 0 || size == available) return CompletableFuture.completedFuture(null);
      int down = Math.min(maxCleanup - total[0], size - available);
      return sync.scaleAndRecordEvent(r, current, size - down).thenAccept(x -> total[0] += down);
    });
  }

  /** scaleDownOldReplicaSetsForRollingUpdate: old pods go while more than minAvailable are available. */
  private CompletionStage<Integer> scaleDownOldForRollingUpdate(Rollout r, List<ReplicaSet> all, List<ReplicaSet> oldRSs) {
    Deployment d = r.d;
    int minAvailable = Deployments.replicas(d) - Deployments.maxUnavailable(d);
    int available = ReplicaSets.availableTotal(all);
    if (available <= minAvailable) return CompletableFuture.completedFuture(0);
    int toScaleDown = available - minAvailable;
    List<ReplicaSet> sorted = new ArrayList<>(oldRSs);
    sorted.sort(ReplicaSets.BY_CREATION);
    int[] total = {0};
    return Rollout.eachInTurn(sorted, rs -> {
      ReplicaSet current = r.latest(rs);
      int size = ReplicaSets.replicas(current);
      if (total[0] >= toScaleDown || size == 0) return CompletableFuture.completedFuture(null);
      int down = Math.min(size, toScaleDown - total[0]);
      return sync.scaleAndRecordEvent(r, current, size - down).thenAccept(x -> total[0] += down);
    }).thenApply(x -> total[0]);
  }
}
