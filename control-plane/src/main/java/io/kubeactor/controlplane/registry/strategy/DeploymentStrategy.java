package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;

/** Deployments (pkg/registry/apps/deployment). */
enum DeploymentStrategy implements WorkloadStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode deployment, AdmissionSettings settings) {
    Defaulter.deployment(deployment);
  }

  @Override
  public void validate(ObjectNode deployment, FieldErrors errors) {
    WorkloadValidation.deployment(deployment, errors);
  }
}
