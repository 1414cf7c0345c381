package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.PodControl;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;

/**
 * One sync of a StatefulSet (stateful_set_control.go): find the current and update revisions, then
 * bring the pods towards {@code replicas} pods {@code <set>-<ordinal>} for the ordinals
 * [start, start+replicas), and write the status.
 *
 * <p>With OrderedReady (monotonic) management, pods are made in ordinal order, each Running and
 * Ready (and available for minReadySeconds) before the next; nothing more happens while one is
 * unhealthy or terminating; pods beyond the range go from the highest ordinal down, one at a time,
 * each gone before the next. Parallel management does each step for all pods at once.
 *
 * <p>A pod comes back under its name only once the old pod is gone from the API: the informer
 * shows a terminating pod in its slot, so no second pod of one identity is ever asked for (and the
 * name could not be taken twice anyway). Failed and succeeded pods are deleted, then made again.
 *
 * <p>A RollingUpdate deletes the highest-ordinal pod not at the update revision, down to the
 * partition, one at a time, waiting for each replacement to be available; OnDelete leaves pods to
 * be replaced when someone deletes them.
 */
final class StatefulSetControl {

  /** What a sync computed, and the first error it met (the status is written even then). */
  private record Outcome(StatefulSetStatuses.Tally status, Throwable error) {}

  private final ApiWriter writer;
  private final Clock clock;
  private final StatefulPodControl podControl;
  private final StatefulSetRevisions revisions;

  StatefulSetControl(ApiWriter writer, Clock clock, StatefulPodControl podControl, StatefulSetRevisions revisions) {
    this.writer = writer;
    this.clock = clock;
    this.podControl = podControl;
    this.revisions = revisions;
  }

  /**
   * Syncs the set with its pods (UpdateStatefulSet): completes with the status written, or fails
   * with the first error after the status is written and the history truncated.
   */
  CompletionStage<StatefulSetStatuses.Tally> sync(StatefulSet set, List<Pod> pods) {
    List<ControllerRevision> history = revisions.list(set);
    return revisions.resolve(set, history).handle((resolved, resolveError) -> {
      if (resolveError != null) {
        return truncateThen(set, pods, history, null, null, null, resolveError);
      }
      return updateStatefulSet(set, resolved, pods).thenCompose(outcome -> writeStatus(set, outcome.status())
          .handle((x, statusError) -> truncateThen(set, pods, history, resolved, outcome.status(),
              outcome.error() != null ? outcome.error() : statusError, null))
          .thenCompose(f -> f));
    }).thenCompose(f -> f);
  }

  private CompletionStage<StatefulSetStatuses.Tally> truncateThen(StatefulSet set, List<Pod> pods,
      List<ControllerRevision> history, StatefulSetRevisions.Resolved resolved, StatefulSetStatuses.Tally status,
      Throwable error, Throwable resolveError) {
    ControllerRevision current = resolved == null ? null : resolved.current();
    ControllerRevision update = resolved == null ? null : resolved.update();
    return revisions.truncate(set, pods, history, current, update).handle((x, truncateError) -> {
      Throwable first = resolveError != null ? resolveError : error != null ? error : truncateError;
      if (first != null) throw first instanceof CompletionException c ? c : new CompletionException(first);
      return status;
    });
  }

  /** Writes the status when it differs from the stored one, completing a finished rolling update first. */
  private CompletionStage<Void> writeStatus(StatefulSet set, StatefulSetStatuses.Tally status) {
    status.completeRollingUpdate(set);
    if (!status.differsFrom(set.getStatus())) return CompletableFuture.completedFuture(null);
    StatefulSet copy = ControllerRefManager.copy(set);
    copy.setStatus(status.toStatus(set.getStatus()));
    return writer.updateStatus(copy).thenApply(x -> null);
  }

  private CompletionStage<Outcome> updateStatefulSet(StatefulSet set, StatefulSetRevisions.Resolved resolved, List<Pod> pods) {
    ControllerRevision currentRevision = resolved.current();
    ControllerRevision updateRevision = resolved.update();
    StatefulSet currentSet = StatefulSetRevisions.apply(set, currentRevision);
    StatefulSet updateSet = StatefulSetRevisions.apply(set, updateRevision);
    String currentName = currentRevision.getMetadata().getName();
    String updateName = updateRevision.getMetadata().getName();
    Instant now = clock.instant();
    int minReadySeconds = StatefulPods.minReadySeconds(set);

    StatefulSetStatuses.Tally status = new StatefulSetStatuses.Tally();
    status.observedGeneration = set.getMetadata().getGeneration() == null ? 0 : set.getMetadata().getGeneration();
    status.currentRevision = currentName;
    status.updateRevision = updateName;
    status.collisionCount = resolved.collisionCount();
    status.count(minReadySeconds, now, List.of(pods));

    // the pods in the ordinal range by their index, and the condemned ones beyond it
    int start = StatefulIdentity.startOrdinal(set);
    Pod[] slots = new Pod[StatefulIdentity.replicas(set)];
    List<Pod> condemned = new ArrayList<>();
    for (Pod pod : pods) {
      if (StatefulIdentity.inOrdinalRange(pod, set)) slots[StatefulIdentity.ordinalOf(pod) - start] = pod;
      else if (StatefulIdentity.ordinalOf(pod) >= 0) condemned.add(pod);
    }
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null) slots[i] = StatefulPods.newVersionedPod(currentSet, updateSet, currentName, updateName, start + i);
    }
    List<Pod> replicas = Arrays.asList(slots);
    condemned.sort(Comparator.comparingInt(StatefulIdentity::ordinalOf).reversed());

    // the first unhealthy pod: in the range in ordinal order, then the condemned from the lowest
    Pod firstUnavailable = null;
    for (Pod p : replicas) {
      if (firstUnavailable == null && StatefulPods.isUnavailable(p, minReadySeconds, now)) firstUnavailable = p;
    }
    for (int i = condemned.size() - 1; i >= 0 && firstUnavailable == null; i--) {
      if (StatefulPods.isUnavailable(condemned.get(i), minReadySeconds, now)) firstUnavailable = condemned.get(i);
    }

    // a set being deleted only has its status kept
    if (set.getMetadata().getDeletionTimestamp() != null) {
      return CompletableFuture.completedFuture(new Outcome(status, null));
    }

    boolean monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    Pod firstUnhealthy = firstUnavailable;
    CompletionStage<Boolean> steps =
        runForAll(replicas, i -> processReplica(set, updateSet, monotonic, replicas.get(i), now), monotonic)
            .thenCompose(exit -> exit ? done(true) : runForAll(condemned, i -> fixClaims(updateSet, condemned.get(i)), monotonic))
            .thenCompose(exit -> exit ? done(true)
                : runForAll(condemned, i -> processCondemned(set, firstUnhealthy, monotonic, condemned.get(i), now), monotonic));
    return steps.handle((exit, error) -> {
      status.count(minReadySeconds, now, List.of(replicas, condemned));
      if (error != null || exit) return CompletableFuture.completedFuture(new Outcome(status, error));
      var strategy = set.getSpec().getUpdateStrategy();
      if (strategy != null && "OnDelete".equals(strategy.getType())) {
        return CompletableFuture.completedFuture(new Outcome(status, null));
      }
      return rollingUpdate(set, replicas, updateName, status, minReadySeconds, now);
    }).thenCompose(f -> f);
  }

  /**
   * Deletes the highest-ordinal pod (down to the partition) not at the update revision, unless a
   * pod above it is still unavailable; one pod per sync.
   */
  private CompletionStage<Outcome> rollingUpdate(StatefulSet set, List<Pod> replicas, String updateName,
      StatefulSetStatuses.Tally status, int minReadySeconds, Instant now) {
    int updateMin = StatefulPods.partition(set);
    for (int target = replicas.size() - 1; target >= updateMin; target--) {
      Pod pod = replicas.get(target);
      if (!StatefulPods.revisionOf(pod).equals(updateName) && !StatefulPods.isTerminating(pod)) {
        return podControl.deletePod(set, pod).handle((x, e) -> {
          if (e != null && !StatefulPodControl.notFound(e)) return new Outcome(status, e);
          status.currentReplicas--;
          return new Outcome(status, null);
        });
      }
      if (StatefulPods.isUnavailable(pod, minReadySeconds, now)) break;
    }
    return CompletableFuture.completedFuture(new Outcome(status, null));
  }

  /**
   * One pod in the range (processReplica); true when the sync must stop here. A finished pod is
   * deleted; a missing one is created (after its claims); a pending one gets its missing claims;
   * with monotonic management, a pod that is terminating, not running and ready, or not yet
   * available holds back everything after it; a pod whose identity, storage or claim references
   * drifted is mended.
   */
  private CompletionStage<Boolean> processReplica(StatefulSet set, StatefulSet updateSet, boolean monotonic, Pod pod,
      Instant now) {
    if (StatefulPods.isFailed(pod) || StatefulPods.isSucceeded(pod)) {
      if (StatefulPods.isTerminating(pod)) return done(true);
      // the pod is made again in a later sync, once the old one is gone
      return podControl.deletePod(set, pod).thenApply(x -> true);
    }
    if (!StatefulPods.isCreated(pod)) {
      // a claim still owned by an earlier pod of this name is about to be collected: wait for it
      if (podControl.claimIsStale(set, pod)) return done(true);
      return podControl.createPod(set, pod).thenCompose(x -> monotonic ? done(true) : settle(set, updateSet, false, pod, now));
    }
    return settle(set, updateSet, monotonic, pod, now);
  }

  private CompletionStage<Boolean> settle(StatefulSet set, StatefulSet updateSet, boolean monotonic, Pod pod, Instant now) {
    CompletionStage<Void> claims = StatefulPods.isPending(pod)
        ? podControl.createMissingClaims(set, pod) : CompletableFuture.completedFuture(null);
    return claims.thenCompose(x -> {
      if (monotonic && (StatefulPods.isTerminating(pod) || !StatefulPods.isRunningAndReady(pod)
          || !StatefulPods.isRunningAndAvailable(pod, StatefulPods.minReadySeconds(set), now))) {
        return done(true);
      }
      boolean retentionMatches = podControl.claimsMatchRetention(updateSet, pod);
      if (StatefulIdentity.identityMatches(set, pod) && StatefulIdentity.storageMatches(set, pod) && retentionMatches) {
        return done(false);
      }
      return podControl.updatePod(updateSet, pod).thenApply(y -> false);
    });
  }

  /** The claims of a condemned pod get the references whenScaled asks for before it goes. */
  private CompletionStage<Boolean> fixClaims(StatefulSet updateSet, Pod pod) {
    if (podControl.claimsMatchRetention(updateSet, pod)) return done(false);
    return podControl.updateClaimsForRetention(updateSet, pod).thenApply(x -> false);
  }

  /**
   * One pod beyond the range (processCondemned): deleted, unless monotonic management waits for a
   * terminating pod to go, or for an unhealthy pod other than the first unhealthy one.
   */
  private CompletionStage<Boolean> processCondemned(StatefulSet set, Pod firstUnhealthy, boolean monotonic, Pod pod,
      Instant now) {
    if (StatefulPods.isTerminating(pod)) return done(monotonic);
    if (monotonic && pod != firstUnhealthy && (!StatefulPods.isRunningAndReady(pod)
        || !StatefulPods.isRunningAndAvailable(pod, StatefulPods.minReadySeconds(set), now))) {
      return done(true);
    }
    return podControl.deletePod(set, pod).thenApply(x -> true);
  }

  /**
   * Runs a step for each pod: in order, stopping at the first that says stop (monotonic), or all at
   * once in slow-start batches, stopping at a failed batch (burst).
   */
  private static CompletionStage<Boolean> runForAll(List<Pod> pods, IntFunction<CompletionStage<Boolean>> step,
      boolean monotonic) {
    if (monotonic) return inOrder(0, pods.size(), step);
    return PodControl.slowStartBatch(pods.size(), step::apply, skipped -> { }).thenApply(n -> false);
  }

  private static CompletionStage<Boolean> inOrder(int i, int n, IntFunction<CompletionStage<Boolean>> step) {
    if (i >= n) return done(false);
    return step.apply(i).thenCompose(exit -> exit ? done(true) : inOrder(i + 1, n, step));
  }

  private static CompletionStage<Boolean> done(boolean exit) {
    return CompletableFuture.completedFuture(exit);
  }
}
