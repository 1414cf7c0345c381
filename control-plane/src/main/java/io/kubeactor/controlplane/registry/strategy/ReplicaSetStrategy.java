package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;

/** ReplicaSets (pkg/registry/apps/replicaset). */
enum ReplicaSetStrategy implements WorkloadStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode replicaSet, AdmissionSettings settings) {
    Defaulter.replicaSet(replicaSet);
  }

  @Override
  public void validate(ObjectNode replicaSet, FieldErrors errors) {
    WorkloadValidation.replicaSet(replicaSet, errors);
  }
}
