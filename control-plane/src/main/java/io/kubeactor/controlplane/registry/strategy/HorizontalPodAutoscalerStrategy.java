package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.Validator;

/** HorizontalPodAutoscalers of autoscaling/v1 and v2 (pkg/registry/autoscaling/horizontalpodautoscaler). */
enum HorizontalPodAutoscalerStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode autoscaler, AdmissionSettings settings) {
    Defaulter.horizontalPodAutoscaler(autoscaler, type.version());
  }

  @Override
  public void validate(ObjectNode autoscaler, FieldErrors errors) {
    Validator.horizontalPodAutoscaler(autoscaler, errors);
  }
}
