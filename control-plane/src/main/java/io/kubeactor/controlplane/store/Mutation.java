package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.CborSerializable;

/**
 * One change asked of the store. Objects arrive complete (admission already ran); the store only
 * checks existence and resourceVersion preconditions and stamps the new resourceVersion.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
  @JsonSubTypes.Type(value = Mutation.Create.class, name = "create"),
  @JsonSubTypes.Type(value = Mutation.Update.class, name = "update"),
  @JsonSubTypes.Type(value = Mutation.Delete.class, name = "delete")
})
public sealed interface Mutation extends CborSerializable {
  String key();

  /** Fails with ALREADY_EXISTS if the key is taken. */
  record Create(String key, ObjectNode object) implements Mutation {}

  /** Fails with NOT_FOUND, or CONFLICT when expectedResourceVersion (if non-zero) is not current. */
  record Update(String key, ObjectNode object, long expectedResourceVersion) implements Mutation {}

  /** Fails with NOT_FOUND, or CONFLICT when a non-zero expectedResourceVersion or a non-null expectedUid does not match. */
  record Delete(String key, long expectedResourceVersion, String expectedUid) implements Mutation {}
}
