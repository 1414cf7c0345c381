package io.kubeactor.controlplane.controller.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.registry.patch.PatchEngine;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The garbage collector's writes, all through the API's write path: deletions with the object's
 * uid as precondition, and merge patches of metadata (ownerReferences, finalizers) computed from
 * the object as stored now and carrying its resourceVersion, so a concurrent change makes the
 * patch fail with a conflict (and the key retry) instead of being overwritten. An object already
 * gone is not an error.
 */
final class MetadataWrites {

  private final ApiWriter writer;
  private final ObjectGraph graph;

  MetadataWrites(ApiWriter writer, ObjectGraph graph) {
    this.writer = writer;
    this.graph = graph;
  }

  /** Deletes the object if it is still the one with its uid, with the propagation policy. */
  CompletionStage<Void> delete(HasMetadata o, String propagationPolicy) {
    return ignoreNotFound(writer.delete(o, propagationPolicy));
  }

  /** Removes the references to these owner uids from the object. */
  CompletionStage<Void> removeOwnerReferences(ObjectId id, HasMetadata o, Set<String> ownerUids) {
    return patchMetadata(id, o, "ownerReferences", ref -> ownerUids.contains(ref.path("uid").asText()));
  }

  /** Removes a finalizer from the object (the registry deletes it once none is left). */
  CompletionStage<Void> removeFinalizer(ObjectId id, HasMetadata o, String finalizer) {
    return patchMetadata(id, o, "finalizers", f -> f.asText().equals(finalizer));
  }

  private CompletionStage<Void> patchMetadata(ObjectId id, HasMetadata o, String field,
      java.util.function.Predicate<JsonNode> removed) {
    ObjectNode stored = graph.stored(id);
    if (stored == null || !stored.path("metadata").path("uid").asText().equals(o.getMetadata().getUid())) {
      return CompletableFuture.completedFuture(null);
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    JsonNode current = stored.path("metadata").path(field);
    for (JsonNode item : current) if (!removed.test(item)) kept.add(item);
    if (kept.size() == current.size()) return CompletableFuture.completedFuture(null);
    ObjectNode patch = Json.object();
    ObjectNode meta = patch.putObject("metadata");
    if (kept.isEmpty()) meta.putNull(field);
    else meta.set(field, kept);
    meta.put("resourceVersion", stored.path("metadata").path("resourceVersion").asText());
    @SuppressWarnings("unchecked")
    Class<HasMetadata> model = (Class<HasMetadata>) o.getClass();
    return ignoreNotFound(writer.patch(model, id.namespaceOrNull(), id.name(), PatchEngine.MERGE_PATCH, patch)
        .thenApply(x -> null));
  }

  private static CompletionStage<Void> ignoreNotFound(CompletionStage<?> write) {
    return write.handle((x, e) -> {
      if (e == null) return null;
      Throwable cause = ApiException.unwrap(e);
      if (cause instanceof ApiException api && api.code == 404) return null;
      throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    });
  }
}
