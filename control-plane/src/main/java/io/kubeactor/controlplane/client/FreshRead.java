package io.kubeactor.controlplane.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.Scales;
import io.kubeactor.controlplane.store.StoredObject;
import java.util.List;

/**
 * A deliberate fresh read: objects as the store holds them right now, for the few decisions that
 * must not rest on an informer that may lag a write (an owner that seems gone before its dependents
 * are deleted, a Lease before a node is declared dead, an object this component has just written).
 * Everything else reads the informers. Trees returned are the caller's own.
 */
public final class FreshRead {

  private final Registry registry;

  public FreshRead(Registry registry) {
    this.registry = registry;
  }

  /** The object's stored JSON (its storage version), or null. */
  public ObjectNode get(ResourceType type, String namespace, String name) {
    StoredObject o = stored(type, namespace, name);
    return o == null ? null : o.tree();
  }

  /** The object read as a typed model (its storage version), or null. */
  public <T> T get(ResourceType type, String namespace, String name, Class<T> model) {
    StoredObject o = stored(type, namespace, name);
    return o == null ? null : o.decode(model);
  }

  /**
   * The object's scale subresource as GET /scale answers it (an autoscaling/v1 Scale with
   * status.selector as a string), or null when there is no such object; an ApiException NotFound
   * when the kind has no /scale.
   */
  public Scale scale(ResourceType type, String namespace, String name) {
    if (!Scales.scalable(type)) throw ApiException.notFound(type.group(), type.plural() + "/scale", name);
    ObjectNode o = get(registry.types().storageType(type), namespace, name);
    return o == null ? null : Json.fromTree(Scales.scaleOf(type, o), Scale.class);
  }

  public boolean exists(ResourceType type, String namespace, String name) {
    return stored(type, namespace, name) != null;
  }

  /** Every object of the type, or of one namespace (null: all), in key order. */
  public List<ObjectNode> list(ResourceType type, String namespace) {
    return registry.cache().state().trees(Registry.keyPrefix(type, namespace));
  }

  private StoredObject stored(ResourceType type, String namespace, String name) {
    return registry.cache().state().stored(type.storeKey(type.namespaced() ? namespace : null, name));
  }
}
