package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.EndpointsValidation;
import io.kubeactor.controlplane.registry.admission.FieldErrors;

/** EndpointSlices (pkg/registry/discovery/endpointslice). */
enum EndpointSliceStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode slice, AdmissionSettings settings) {
    Defaulter.endpointSlice(slice);
  }

  @Override
  public void validate(ObjectNode slice, FieldErrors errors) {
    EndpointsValidation.endpointSlice(slice, null, errors);
  }

  @Override
  public void validateUpdate(ObjectNode slice, ObjectNode old, FieldErrors errors) {
    EndpointsValidation.endpointSlice(slice, old, errors);
  }

  /** A slice's generation also counts changes of its labels (its PrepareForUpdate). */
  @Override
  public boolean countsAsNewGeneration(ObjectNode desired, ObjectNode current) {
    JsonNode labels = desired.path("metadata").path("labels");
    JsonNode oldLabels = current.path("metadata").path("labels");
    return !(labels.isEmpty() && oldLabels.isEmpty()) && !labels.equals(oldLabels);
  }
}
