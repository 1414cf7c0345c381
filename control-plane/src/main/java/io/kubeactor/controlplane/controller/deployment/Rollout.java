package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One reconcile of one Deployment: the Deployment as last read or written (a private copy), the
 * ReplicaSets it controls at their latest versions, and its pods by ReplicaSet uid. Each write's
 * answer replaces what it changed, so later steps of the same reconcile build on it instead of on
 * the cache (and their resourceVersion preconditions hold). Never shared between reconciles.
 */
final class Rollout {

  Deployment d;
  final List<ReplicaSet> replicaSets;
  final Map<String, List<Pod>> podsByReplicaSet;
  /** When to look again even if nothing changes (the progress deadline). */
  Duration requeue;

  Rollout(Deployment d, List<ReplicaSet> replicaSets, Map<String, List<Pod>> podsByReplicaSet) {
    this.d = d;
    this.replicaSets = new ArrayList<>(replicaSets);
    this.podsByReplicaSet = podsByReplicaSet;
  }

  /** The latest version of a ReplicaSet this reconcile has seen (itself if not one of ours). */
  ReplicaSet latest(ReplicaSet rs) {
    if (rs == null) return null;
    for (ReplicaSet r : replicaSets) if (ReplicaSets.sameObject(r, rs)) return r;
    return rs;
  }

  /** The latest versions of ReplicaSets, without those this reconcile deleted. */
  List<ReplicaSet> latest(List<ReplicaSet> rss) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : rss) {
      for (ReplicaSet r : replicaSets) {
        if (ReplicaSets.sameObject(r, rs)) {
          out.add(r);
          break;
        }
      }
    }
    return out;
  }

  /** Runs the step for each item in turn, each after the previous one's writes; the first failure stops it. */
  static <T> CompletionStage<Void> eachInTurn(List<T> items, Function<T, CompletionStage<?>> step) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (T item : List.copyOf(items)) chain = chain.thenCompose(x -> step.apply(item).thenApply(y -> null));
    return chain;
  }

  /** A write's answer: the ReplicaSet's new version, or a new ReplicaSet. */
  void written(ReplicaSet rs) {
    for (int i = 0; i < replicaSets.size(); i++) {
      if (ReplicaSets.sameObject(replicaSets.get(i), rs)) {
        replicaSets.set(i, rs);
        return;
      }
    }
    replicaSets.add(rs);
  }

  void deleted(ReplicaSet rs) {
    replicaSets.removeIf(r -> ReplicaSets.sameObject(r, rs));
  }

  void requeueAfter(Duration after) {
    if (requeue == null || after.compareTo(requeue) < 0) requeue = after;
  }
}
