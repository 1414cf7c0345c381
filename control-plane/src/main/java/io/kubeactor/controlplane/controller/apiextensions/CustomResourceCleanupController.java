package io.kubeactor.controlplane.controller.apiextensions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * apiextensions' CRD finalizer: a CustomResourceDefinition being deleted is Terminating while its
 * objects are deleted (each as a user's deletion would: their own finalizers are honoured), and
 * once none is left its finalizer goes, and with it the definition and its kind. Keys are
 * definition names.
 */
public final class CustomResourceCleanupController implements Reconciler {

  /** How soon to look again while objects with finalizers of their own are still there. */
  private static final Duration REMAINING_RECHECK = Duration.ofSeconds(1);

  private final ControllerContext context;
  private final Informer<CustomResourceDefinition> definitions;

  public CustomResourceCleanupController(ControllerContext context) {
    this.context = context;
    this.definitions = context.informers().of(CustomResourceDefinition.class);
  }

  @Override
  public String name() {
    return "crd-finalizer";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(definitions, e -> terminating(e.object()) ? List.of(e.object().getMetadata().getName()) : List.of());
  }

  @Override
  public Collection<String> keys() {
    return definitions.list().stream().filter(CustomResourceCleanupController::terminating)
        .map(d -> d.getMetadata().getName()).toList();
  }

  private static boolean terminating(CustomResourceDefinition d) {
    return d.getMetadata().getDeletionTimestamp() != null && d.getMetadata().getFinalizers() != null
        && d.getMetadata().getFinalizers().contains(CustomResource.CLEANUP_FINALIZER);
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    CustomResourceDefinition crd = definitions.get(key);
    if (crd == null || !terminating(crd)) return CompletableFuture.completedFuture(Result.done());
    String now = Timestamps.format(context.clock().instant());
    ResourceType type = context.informers().types().all().stream()
        .filter(t -> t.isCustom() && t.custom().definition().equals(key)).findFirst().orElse(null);
    List<ObjectNode> remaining = type == null ? List.of() : context.fresh().list(type, null);
    if (!remaining.isEmpty()) {
      CustomResourceDefinition marked = copy(crd);
      NamingConditionController.setCondition(marked.getStatus(), "Terminating", "True", "InstanceDeletionInProgress",
          "CustomResource deletion is in progress", now);
      List<CompletableFuture<?>> deletions = new ArrayList<>();
      for (ObjectNode o : remaining) {
        if (o.path("metadata").hasNonNull("deletionTimestamp")) continue;
        deletions.add(context.writer().delete(type, o.path("metadata").path("namespace").asText(null),
            o.path("metadata").path("name").asText(), DeleteOptions.defaults()).toCompletableFuture()
            .exceptionally(e -> null)); // gone already, or refused: looked at again below
      }
      CompletionStage<?> status = sameStatus(marked, crd) ? CompletableFuture.completedFuture(null)
          : context.writer().updateStatus(marked);
      return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
          .thenCompose(x -> status).thenApply(x -> Result.requeueAfter(REMAINING_RECHECK));
    }
    CustomResourceDefinition done = copy(crd);
    NamingConditionController.setCondition(done.getStatus(), "Terminating", "False", "InstanceDeletionCompleted",
        "removed all instances", now);
    return context.writer().updateStatus(done).thenCompose(written -> {
      List<String> finalizers = new ArrayList<>(written.getMetadata().getFinalizers());
      finalizers.remove(CustomResource.CLEANUP_FINALIZER);
      written.getMetadata().setFinalizers(finalizers);
      return context.writer().update(written);
    }).thenApply(gone -> Result.done());
  }

  private static CustomResourceDefinition copy(CustomResourceDefinition crd) {
    CustomResourceDefinition out = Json.MAPPER.convertValue(Json.toTree(crd), CustomResourceDefinition.class);
    if (out.getStatus() == null) out.setStatus(new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus());
    return out;
  }

  private static boolean sameStatus(CustomResourceDefinition a, CustomResourceDefinition b) {
    return Json.toTree(a.getStatus()).equals(Json.toTree(b.getStatus()));
  }
}
