package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * recreate.go: the Recreate strategy. Every old ReplicaSet goes to 0 first; the new ReplicaSet is
 * created (at full size) only when no old pod runs any more — neither as an old ReplicaSet's
 * status reports it nor as a pod not yet finished — so old and new never run side by side.
 */
final class RecreateUpdate {

  private final DeploymentSync sync;
  private final RolloutProgress progress;
  private final DeploymentWrites writes;

  RecreateUpdate(DeploymentSync sync, RolloutProgress progress, DeploymentWrites writes) {
    this.sync = sync;
    this.progress = progress;
    this.writes = writes;
  }

  /** rolloutRecreate. */
  CompletionStage<Void> rollout(Rollout r) {
    // no new ReplicaSet yet: it must not start before the old pods are gone
    return sync.newAndOld(r, false).thenCompose(s -> scaleDownOld(r, ReplicaSets.active(s.oldRSs())).thenCompose(scaledDown -> {
      NewAndOld now = s.latest(r);
      if (scaledDown || oldPodsRunning(now.newRS(), now.oldRSs(), r.podsByReplicaSet)) {
        return progress.syncRolloutStatus(r, now);
      }
      CompletionStage<NewAndOld> withNew = now.newRS() == null ? sync.newAndOld(r, true)
          : CompletableFuture.completedFuture(now);
      return withNew.thenCompose(n -> sync.scaleAndRecordEvent(r, n.newRS(), Deployments.replicas(r.d))
          .thenCompose(x -> Deployments.complete(r.d, r.d.getStatus())
              ? RevisionHistory.cleanup(r, writes, n.latest(r).oldRSs()) : CompletableFuture.<Void>completedFuture(null))
          .thenCompose(x -> progress.syncRolloutStatus(r, n.latest(r))));
    }));
  }

  /** scaleDownOldReplicaSetsForRecreate: whether any old ReplicaSet was scaled down now. */
  private CompletionStage<Boolean> scaleDownOld(Rollout r, List<ReplicaSet> oldActive) {
    boolean[] scaled = {false};
    return Rollout.eachInTurn(oldActive, rs -> sync.scaleAndRecordEvent(r, rs, 0).thenAccept(x -> scaled[0] |= x.scaled()))
        .thenApply(x -> scaled[0]);
  }

  /**
   * oldPodsRunning: an old ReplicaSet reports pods, or a pod of an old ReplicaSet has not finished
   * (Unknown counts as running: it may be).
   */
  static boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> oldRSs, Map<String, List<Pod>> podsByReplicaSet) {
    if (ReplicaSets.actualTotal(oldRSs) > 0) return true;
    String newUid = newRS == null ? null : newRS.getMetadata().getUid();
    for (Map.Entry<String, List<Pod>> e : podsByReplicaSet.entrySet()) {
      if (e.getKey().equals(newUid)) continue;
      for (Pod p : e.getValue()) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) return true;
      }
    }
    return false;
  }
}
