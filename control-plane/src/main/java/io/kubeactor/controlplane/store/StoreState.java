package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.CborSerializable;
import java.util.Map;
import org.pcollections.TreePMap;

/**
 * Every stored object by key, and the cluster's current resourceVersion. Immutable (a persistent
 * sorted map of immutable {@link StoredObject}s), so the same value serves the store actor,
 * concurrent readers of the watch cache and the snapshot serializer without copying or locking.
 */
public final class StoreState implements CborSerializable {
  public static final StoreState EMPTY = new StoreState(0, TreePMap.empty());

  private final long resourceVersion;
  private final TreePMap<String, StoredObject> objects;

  private StoreState(long resourceVersion, TreePMap<String, StoredObject> objects) {
    this.resourceVersion = resourceVersion;
    this.objects = objects;
  }

  @JsonCreator
  static StoreState fromSnapshot(
      @JsonProperty("resourceVersion") long resourceVersion,
      @JsonProperty("objects") Map<String, StoredObject> objects) {
    return new StoreState(resourceVersion, TreePMap.from(objects));
  }

  @JsonProperty("resourceVersion")
  public long resourceVersion() {
    return resourceVersion;
  }

  @JsonProperty("objects")
  public TreePMap<String, StoredObject> objects() {
    return objects;
  }

  /** A fresh tree of the object (the caller's own), or null. */
  public ObjectNode get(String key) {
    StoredObject o = objects.get(key);
    return o == null ? null : o.tree();
  }

  /** The object as stored, or null. */
  public StoredObject stored(String key) {
    return objects.get(key);
  }

  public boolean contains(String key) {
    return objects.containsKey(key);
  }

  /** Every object whose key starts with the prefix, in key order. */
  public Map<String, StoredObject> withPrefix(String prefix) {
    // '\uffff' sorts after every character that can follow the prefix in a key
    return objects.subMap(prefix, prefix + '\uffff');
  }

  /** Fresh trees (the caller's own) of every object whose key starts with the prefix, in key order. */
  public java.util.List<ObjectNode> trees(String prefix) {
    return withPrefix(prefix).values().stream().map(StoredObject::tree).toList();
  }

  /** The same state with this copy of a stored object (its recovered, opened form). */
  StoreState with(String key, StoredObject object) {
    return new StoreState(resourceVersion, objects.plus(key, object));
  }

  public StoreState apply(StoreEvent event) {
    TreePMap<String, StoredObject> next =
        event instanceof StoreEvent.ObjectDeleted
            ? objects.minus(event.key())
            : objects.plus(event.key(), event.object());
    return new StoreState(event.resourceVersion(), next);
  }
}
