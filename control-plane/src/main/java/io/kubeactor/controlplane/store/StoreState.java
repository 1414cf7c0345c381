package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.CborSerializable;
import java.util.Map;
import org.pcollections.TreePMap;

/**
 * Every stored object by key, and the cluster's current resourceVersion. Immutable (a persistent
 * sorted map), so the same value serves the store actor, concurrent readers of the watch cache and
 * the snapshot serializer without copying or locking.
 */
public final class StoreState implements CborSerializable {
  public static final StoreState EMPTY = new StoreState(0, TreePMap.empty());

  private final long resourceVersion;
  private final TreePMap<String, ObjectNode> objects;

  private StoreState(long resourceVersion, TreePMap<String, ObjectNode> objects) {
    this.resourceVersion = resourceVersion;
    this.objects = objects;
  }

  @JsonCreator
  static StoreState fromSnapshot(
      @JsonProperty("resourceVersion") long resourceVersion,
      @JsonProperty("objects") Map<String, ObjectNode> objects) {
    return new StoreState(resourceVersion, TreePMap.from(objects));
  }

  @JsonProperty("resourceVersion")
  public long resourceVersion() {
    return resourceVersion;
  }

  @JsonProperty("objects")
  public TreePMap<String, ObjectNode> objects() {
    return objects;
  }

  public ObjectNode get(String key) {
    return objects.get(key);
  }

  /** Every object whose key starts with the prefix, in key order. */
  public Map<String, ObjectNode> withPrefix(String prefix) {
    // '\uffff' sorts after every character that can follow the prefix in a key
    return objects.subMap(prefix, prefix + '\uffff');
  }

  public StoreState apply(StoreEvent event) {
    TreePMap<String, ObjectNode> next =
        event instanceof StoreEvent.ObjectDeleted
            ? objects.minus(event.key())
            : objects.plus(event.key(), event.object());
    return new StoreState(event.resourceVersion(), next);
  }
}
