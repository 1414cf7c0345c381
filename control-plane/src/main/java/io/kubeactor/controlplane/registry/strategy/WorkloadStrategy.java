package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;

/** What the apps/v1 workloads' strategies share: a generation per spec change, a selector fixed once created. */
interface WorkloadStrategy extends ResourceStrategy {

  @Override
  default boolean tracksGeneration() {
    return true;
  }

  @Override
  default void validateUpdate(ObjectNode workload, ObjectNode old, FieldErrors errors) {
    validate(workload, errors);
    WorkloadValidation.selectorUnchanged(workload, old, errors);
  }
}
