package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.Validator;

/** Leases (pkg/registry/coordination/lease). */
enum LeaseStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void validate(ObjectNode lease, FieldErrors errors) {
    Validator.lease(lease, errors);
  }
}
