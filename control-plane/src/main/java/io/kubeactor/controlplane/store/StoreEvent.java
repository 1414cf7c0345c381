package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kubeactor.common.CborSerializable;

/**
 * What the journal holds: whole objects, each change with its own resourceVersion (one global,
 * gap-free sequence, as etcd's revision). The names are the watch event types they become.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
  @JsonSubTypes.Type(value = StoreEvent.ObjectAdded.class, name = "added"),
  @JsonSubTypes.Type(value = StoreEvent.ObjectModified.class, name = "modified"),
  @JsonSubTypes.Type(value = StoreEvent.ObjectDeleted.class, name = "deleted")
})
public sealed interface StoreEvent extends CborSerializable {
  String key();

  long resourceVersion();

  /** The object after the change; for a deletion its last state. */
  StoredObject object();

  /** The same change, of this copy of the object (its recovered, opened form). */
  StoreEvent with(StoredObject object);

  record ObjectAdded(String key, long resourceVersion, StoredObject object) implements StoreEvent {
    @Override
    public StoreEvent with(StoredObject o) {
      return new ObjectAdded(key, resourceVersion, o);
    }
  }

  record ObjectModified(String key, long resourceVersion, StoredObject object) implements StoreEvent {
    @Override
    public StoreEvent with(StoredObject o) {
      return new ObjectModified(key, resourceVersion, o);
    }
  }

  record ObjectDeleted(String key, long resourceVersion, StoredObject object) implements StoreEvent {
    @Override
    public StoreEvent with(StoredObject o) {
      return new ObjectDeleted(key, resourceVersion, o);
    }
  }
}
