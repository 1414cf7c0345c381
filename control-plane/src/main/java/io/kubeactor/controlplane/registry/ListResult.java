package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.store.StoredObject;
import java.util.List;

/**
 * One page of a list: the objects as stored, the resourceVersion they were read at, and the token
 * for the next page (or null). {@code storedAsRequested}: the stored objects are already at the
 * version asked for, so their bytes can be sent as they are.
 */
public record ListResult(ResourceType type, List<StoredObject> stored, boolean storedAsRequested, long resourceVersion,
    String continueToken, long remainingItemCount) {

  /** The items as the requested version shows them, each a fresh tree. */
  public List<ObjectNode> items() {
    return stored.stream().map(this::view).toList();
  }

  /** One of the stored objects as the requested version shows it, a fresh tree. */
  public ObjectNode view(StoredObject object) {
    return storedAsRequested ? object.tree() : Conversions.toVersion(type, object.tree());
  }
}
