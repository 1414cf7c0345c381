package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Expectations;
import io.kubeactor.controlplane.controller.PodControl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Makes and deletes daemon pods (syncNodes): expectations are raised first, so the informers'
 * catching up is awaited before the next decision; pods are made in slow-start batches from the
 * template with the revision hash, each pinned to its node by node affinity; a write that fails
 * lowers the expectations again. At most 250 of each per sync (BurstReplicas).
 */
final class DaemonPodChanges {

  static final int BURST_REPLICAS = 250;

  private final ControllerContext context;
  private final PodControl podControl;
  private final Expectations expectations;

  DaemonPodChanges(ControllerContext context, PodControl podControl, Expectations expectations) {
    this.context = context;
    this.podControl = podControl;
    this.expectations = expectations;
  }

  /**
   * Deletes {@code podsToDelete} (gracefully) and {@code orphanedPods} (at once: their node is gone)
   * and makes a pod on each of {@code nodesToCreate}; fails if any write failed.
   */
  CompletionStage<Void> apply(DaemonSet ds, String key, List<Pod> podsToDelete, List<Pod> orphanedPods,
      List<String> nodesToCreate, String hash) {
    List<String> creations = nodesToCreate.subList(0, Math.min(nodesToCreate.size(), BURST_REPLICAS));
    List<Pod> deletions = new ArrayList<>(podsToDelete);
    orphanedPods.forEach(p -> { if (!deletions.contains(p)) deletions.add(p); });
    List<Pod> limited = deletions.subList(0, Math.min(deletions.size(), BURST_REPLICAS));
    Set<String> uids = new HashSet<>();
    limited.forEach(p -> uids.add(p.getMetadata().getUid()));
    if (creations.isEmpty() && limited.isEmpty()) return CompletableFuture.completedFuture(null);
    expectations.expect(key, creations.size(), uids);

    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    PodTemplateSpec template = DaemonPodTemplates.podTemplate(ds.getSpec().getTemplate(), DaemonSets.templateGeneration(ds), hash);
    CompletionStage<?> created = creations.isEmpty() ? CompletableFuture.completedFuture(0)
        : PodControl.slowStartBatch(creations.size(), i -> create(ds, key, template, creations.get(i), errors),
            skipped -> { for (int i = 0; i < skipped; i++) expectations.creationObserved(key); })
            .handle((n, e) -> null);
    return created.thenCompose(x -> {
      List<CompletableFuture<?>> deletes = new ArrayList<>();
      for (Pod pod : limited) {
        boolean orphaned = orphanedPods.contains(pod);
        CompletionStage<Void> delete = orphaned ? forceDelete(pod, ds) : podControl.delete(pod, ds);
        deletes.add(delete.handle((v, e) -> {
          if (e != null) {
            expectations.deletionObserved(key, pod.getMetadata().getUid());
            if (!notFound(e)) errors.add(e);
          }
          return null;
        }).toCompletableFuture());
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }).thenCompose(x -> {
      synchronized (errors) {
        return errors.isEmpty() ? CompletableFuture.<Void>completedFuture(null) : CompletableFuture.<Void>failedFuture(errors.get(0));
      }
    });
  }

  private CompletionStage<Pod> create(DaemonSet ds, String key, PodTemplateSpec template, String nodeName, List<Throwable> errors) {
    Pod pod = PodControl.fromTemplate(template, ds, null, ds.getMetadata().getName() + "-");
    pod.getSpec().setAffinity(DaemonPodTemplates.pinnedTo(pod.getSpec().getAffinity(), nodeName));
    return podControl.create(pod, ds).whenComplete((p, e) -> {
      if (e != null) {
        expectations.creationObserved(key);
        errors.add(e);
      }
    });
  }

  /** A pod of a node that is gone: deleted with no grace period, as the pod GC deletes such pods. */
  private CompletionStage<Void> forceDelete(Pod pod, DaemonSet ds) {
    var type = context.informers().typeOf(Pod.class);
    DeleteOptions now = new DeleteOptions(0L, null, pod.getMetadata().getUid(), null, false);
    return context.writer().delete(type, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), now)
        .thenAccept(o -> podControl.event(ds, "Normal", "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName()));
  }

  private static boolean notFound(Throwable e) {
    return ApiException.hasCode(e, 404);
  }
}
