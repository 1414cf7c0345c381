package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.customresource.CustomResourceDecoding;
import io.kubeactor.controlplane.registry.decoding.TypedDecoder;

/**
 * The store's invariant: every object written decodes into its kind's typed model, with no field
 * the model does not know. The registry decodes every body and patch result before it admits it, so
 * this holds by construction; tests turn the check on ({@code -Dkubeactor.store.verify-decoding=true})
 * so that any write path that skips decoding fails loudly instead of storing what clients cannot read.
 */
final class StoredObjects {
  private StoredObjects() {}

  private static final boolean VERIFY = Boolean.getBoolean("kubeactor.store.verify-decoding");

  static void verify(ResourceType storageType, ObjectNode obj) {
    if (!VERIFY) return;
    TypedDecoder.Outcome outcome = storageType.isCustom() ? CustomResourceDecoding.check(obj, storageType.custom())
        : TypedDecoder.check(obj, storageType.model());
    String problem = outcome.error() != null ? outcome.error()
        : !outcome.strictProblems().isEmpty() ? String.join(", ", outcome.strictProblems()) : null;
    if (problem == null && !storageType.isCustom()) {
      try {
        Json.MAPPER.treeToValue(obj, storageType.model());
      } catch (Exception e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      throw new IllegalStateException("refusing to store a " + storageType.kind() + " that does not decode: " + problem);
    }
  }
}
