package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;

/**
 * StatefulSets (pkg/registry/apps/statefulset): named as DNS labels (their pods' hostnames derive
 * from the name), with a spec fixed once created but for its mutable fields.
 */
enum StatefulSetStrategy implements WorkloadStrategy {
  INSTANCE;

  @Override
  public Syntax.NameRule nameRule() {
    return Syntax.NameRule.DNS1123_LABEL;
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode statefulSet, AdmissionSettings settings) {
    Defaulter.statefulSet(statefulSet);
  }

  @Override
  public void validate(ObjectNode statefulSet, FieldErrors errors) {
    WorkloadValidation.statefulSet(statefulSet, errors);
  }

  /** The fixed spec covers the selector. */
  @Override
  public void validateUpdate(ObjectNode statefulSet, ObjectNode old, FieldErrors errors) {
    WorkloadValidation.statefulSet(statefulSet, errors);
    WorkloadValidation.statefulSetUpdate(statefulSet, old, errors);
  }
}
