package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.EndpointsValidation;
import io.kubeactor.controlplane.registry.admission.FieldErrors;

/** Endpoints (pkg/registry/core/endpoint). */
enum EndpointsStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode endpoints, AdmissionSettings settings) {
    Defaulter.endpoints(endpoints);
  }

  @Override
  public void validate(ObjectNode endpoints, FieldErrors errors) {
    EndpointsValidation.endpoints(endpoints, errors);
  }
}
