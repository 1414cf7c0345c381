package io.kubeactor.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kubeactor.common.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Kubernetes' PodControl: pods made from a controller's template, owned by it, and deleted by it,
 * with an event for each as kube-controller-manager records them ("Created pod: web-x7k2p").
 */
public final class PodControl {

  /** Upstream's SlowStartInitialBatchSize: creations go in batches of 1, 2, 4, ... */
  public static final int SLOW_START_INITIAL_BATCH = 1;

  private final ControllerContext context;
  private final String component;

  public PodControl(ControllerContext context, String component) {
    this.context = context;
    this.component = component;
  }

  /**
   * A pod from the template: its labels, annotations and spec, named by {@code generateName} (or
   * {@code name} if given), controlled by the owner.
   */
  public static Pod fromTemplate(PodTemplateSpec template, HasMetadata owner, String name, String generateName) {
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(owner.getMetadata().getNamespace());
    if (name != null) meta.setName(name);
    else meta.setGenerateName(generateName);
    ObjectMeta tm = template.getMetadata();
    if (tm != null) {
      if (tm.getLabels() != null) meta.setLabels(new HashMap<>(tm.getLabels()));
      if (tm.getAnnotations() != null) meta.setAnnotations(new HashMap<>(tm.getAnnotations()));
      if (tm.getFinalizers() != null && !tm.getFinalizers().isEmpty()) meta.setFinalizers(List.copyOf(tm.getFinalizers()));
    }
    meta.setOwnerReferences(List.of(OwnerReferences.controllerRef(owner)));
    pod.setMetadata(meta);
    pod.setSpec(Json.fromTree(Json.toTree(template.getSpec()), io.fabric8.kubernetes.api.model.PodSpec.class));
    return pod;
  }

  /** Creates the pod and records "SuccessfulCreate" (or "FailedCreate" with the reason) on the owner. */
  public CompletionStage<Pod> create(Pod pod, HasMetadata owner) {
    return context.writer().create(pod).whenComplete((created, e) -> {
      if (e == null) {
        event(owner, "Normal", "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
      } else {
        event(owner, "Warning", "FailedCreate", "Error creating: " + message(e));
      }
    });
  }

  /** Deletes the pod (if it is still that pod) and records "SuccessfulDelete" on the owner. */
  public CompletionStage<Void> delete(Pod pod, HasMetadata owner) {
    return context.writer().delete(pod, null).whenComplete((x, e) -> {
      if (e == null) event(owner, "Normal", "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
      else if (!notFound(e)) event(owner, "Warning", "FailedDelete", "Error deleting: " + message(e));
    });
  }

  /**
   * Upstream's slowStartBatch: runs {@code count} creations in batches of 1, 2, 4, ..., stopping at
   * the first batch with a failure, so a template the API refuses costs one error, not hundreds.
   * The result is how many succeeded; {@code skipped} is told how many were never tried.
   */
  public static CompletionStage<Integer> slowStartBatch(int count, Function<Integer, CompletionStage<?>> create,
      java.util.function.IntConsumer skipped) {
    return batch(0, count, SLOW_START_INITIAL_BATCH, create, skipped);
  }

  private static CompletionStage<Integer> batch(int done, int count, int size,
      Function<Integer, CompletionStage<?>> create, java.util.function.IntConsumer skipped) {
    int n = Math.min(size, count - done);
    if (n <= 0) return CompletableFuture.completedFuture(done);
    CompletableFuture<?>[] batch = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) batch[i] = create.apply(done + i).toCompletableFuture();
    return CompletableFuture.allOf(batch).handle((x, e) -> e).thenCompose(e -> {
      int ok = 0;
      for (CompletableFuture<?> f : batch) if (!f.isCompletedExceptionally()) ok++;
      if (e != null) {
        skipped.accept(count - done - n);
        return CompletableFuture.<Integer>failedFuture(e);
      }
      return batch(done + ok, count, size * 2, create, skipped);
    });
  }

  public void event(HasMetadata owner, String type, String reason, String message) {
    context.events().record(Json.toTree(owner), type, reason, message, component, null);
  }

  private static boolean notFound(Throwable e) {
    return io.kubeactor.controlplane.api.ApiException.hasCode(e, 404);
  }

  static String message(Throwable e) {
    Throwable c = io.kubeactor.controlplane.api.ApiException.unwrap(e);
    return c.getMessage();
  }

  /** Labels of an object, never null. */
  public static Map<String, String> labels(HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }
}
