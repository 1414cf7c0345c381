package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;

/** ReplicationControllers (pkg/registry/core/replicationcontroller): unlike apps/v1 workloads, their selector may change. */
enum ReplicationControllerStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode controller, AdmissionSettings settings) {
    Defaulter.replicationController(controller);
  }

  @Override
  public void validate(ObjectNode controller, FieldErrors errors) {
    WorkloadValidation.replicationController(controller, errors);
  }
}
