package io.kubeactor.controlplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.util.concurrent.CompletionStage;

/**
 * How controllers write: typed objects through the registry, the same path (admission, validation,
 * preconditions) as a client's request. Updates carry the resourceVersion the controller read, so
 * a write based on a stale cache fails with a conflict and the key is retried from fresh state.
 */
public final class ApiWriter {

  private final Registry registry;
  private final Informers informers;

  public ApiWriter(Registry registry, Informers informers) {
    this.registry = registry;
    this.informers = informers;
  }

  public <T extends HasMetadata> CompletionStage<T> create(T object) {
    ResourceType t = informers.typeOf(object.getClass());
    ObjectNode body = Json.toTree(object);
    return registry.create(t, object.getMetadata().getNamespace(), body, WriteOptions.internal())
        .thenApply(o -> typed(o, object));
  }

  /** PUT of the whole object; its resourceVersion is the precondition. */
  public <T extends HasMetadata> CompletionStage<T> update(T object) {
    return put(object, null);
  }

  /** PUT of the object's status; its resourceVersion is the precondition. */
  public <T extends HasMetadata> CompletionStage<T> updateStatus(T object) {
    return put(object, "status");
  }

  private <T extends HasMetadata> CompletionStage<T> put(T object, String subresource) {
    ResourceType t = informers.typeOf(object.getClass());
    ObjectNode body = Json.toTree(object);
    return registry.update(t, object.getMetadata().getNamespace(), object.getMetadata().getName(), subresource,
        body, WriteOptions.internal()).thenApply(o -> typed(o, object));
  }

  /** A patch (e.g. "application/merge-patch+json") of the main resource, read-modify-write in the registry. */
  public <T extends HasMetadata> CompletionStage<T> patch(Class<T> model, String namespace, String name,
      String contentType, JsonNode patch) {
    ResourceType t = informers.typeOf(model);
    return registry.patch(t, namespace, name, null, contentType, patch, WriteOptions.internal())
        .thenApply(o -> Json.fromTree(o, model));
  }

  /** Deletes the object if it is still the one with this uid, with the propagation policy (null: the kind's default). */
  public CompletionStage<Void> delete(HasMetadata object, String propagationPolicy) {
    ResourceType t = informers.typeOf(object.getClass());
    DeleteOptions opts = new DeleteOptions(null, propagationPolicy, object.getMetadata().getUid(), null, false);
    return registry.delete(t, object.getMetadata().getNamespace(), object.getMetadata().getName(), opts)
        .thenApply(o -> null);
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T typed(ObjectNode o, T like) {
    return (T) Json.fromTree(o, like.getClass());
  }
}
