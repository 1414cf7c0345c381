package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.CborSerializable;

/** What became of one {@link Mutation}. Replied only once the change is durable. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
  @JsonSubTypes.Type(value = WriteResult.Written.class, name = "written"),
  @JsonSubTypes.Type(value = WriteResult.Rejected.class, name = "rejected")
})
public sealed interface WriteResult extends CborSerializable {

  /** The object as stored (for a delete: its last state, stamped with the deletion's resourceVersion). */
  record Written(ObjectNode object) implements WriteResult {}

  record Rejected(Failure failure, ObjectNode current) implements WriteResult {}

  enum Failure { NOT_FOUND, ALREADY_EXISTS, CONFLICT, UNAVAILABLE }
}
