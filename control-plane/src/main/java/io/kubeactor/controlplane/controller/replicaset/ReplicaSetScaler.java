package io.kubeactor.controlplane.controller.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.controller.Expectations;
import io.kubeactor.controlplane.controller.PodControl;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Upstream's manageReplicas: brings a ReplicaSet's active pods to spec.replicas, at most
 * {@link #BURST_REPLICAS} creations or deletions per sync. Expectations are raised before any
 * write and lowered for each write that fails or is never tried, so the next sync waits only for
 * what will really show up in the informer.
 */
final class ReplicaSetScaler {

  /** Upstream's BurstReplicas: the most pods one sync creates or deletes. */
  static final int BURST_REPLICAS = 500;

  private final PodControl pods;
  private final Expectations expectations;

  ReplicaSetScaler(PodControl pods, Expectations expectations) {
    this.pods = pods;
    this.expectations = expectations;
  }

  /**
   * Creates or deletes pods of the ReplicaSet; the stage completes with the first error (null if
   * none) once every write has answered.
   *
   * @param active the active pods it controls
   * @param related the pods of it and its sibling ReplicaSets, to spread deletions over nodes
   */
  CompletionStage<Throwable> scale(String key, ReplicaSet rs, List<Pod> active, List<Pod> related, Instant now) {
    int diff = active.size() - ReplicaSetStatuses.replicas(rs);
    if (diff < 0) return create(key, rs, Math.min(-diff, BURST_REPLICAS));
    if (diff > 0) {
      List<Pod> doomed = new PodDeletionOrder(related, now).choose(active, Math.min(diff, BURST_REPLICAS));
      return delete(key, rs, doomed);
    }
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Throwable> create(String key, ReplicaSet rs, int count) {
    expectations.expect(key, count, java.util.Set.of());
    String prefix = rs.getMetadata().getName() + "-";
    return PodControl.slowStartBatch(count,
        i -> {
          Pod pod = PodControl.fromTemplate(rs.getSpec().getTemplate(), rs, null, prefix);
          return pods.create(pod, rs).handle((created, e) -> {
            if (e == null) return created;
            // a creation that failed will never be observed
            expectations.creationObserved(key);
            // in a namespace being deleted every creation fails; that is not the ReplicaSet's failure
            if (namespaceTerminating(e)) return null;
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
          });
        },
        skipped -> {
          for (int i = 0; i < skipped; i++) expectations.creationObserved(key);
        })
        .handle((created, e) -> e == null ? null : cause(e));
  }

  private CompletionStage<Throwable> delete(String key, ReplicaSet rs, List<Pod> doomed) {
    expectations.expect(key, 0, doomed.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet()));
    AtomicReference<Throwable> first = new AtomicReference<>();
    CompletableFuture<?>[] deletions = doomed.stream().map(p -> pods.delete(p, rs).handle((x, e) -> {
      if (e != null) {
        // a deletion that failed will never be observed
        expectations.deletionObserved(key, p.getMetadata().getUid());
        if (!notFound(e)) first.compareAndSet(null, cause(e));
      }
      return null;
    }).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(deletions).thenApply(x -> first.get());
  }

  static Throwable cause(Throwable e) {
    return ApiException.unwrap(e);
  }

  private static boolean notFound(Throwable e) {
    return cause(e) instanceof ApiException api && api.code == 404;
  }

  private static boolean namespaceTerminating(Throwable e) {
    return cause(e) instanceof ApiException api && api.code == 403
        && api.getMessage() != null && api.getMessage().endsWith("because it is being terminated");
  }
}
