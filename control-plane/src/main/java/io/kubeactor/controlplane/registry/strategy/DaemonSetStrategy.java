package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.WorkloadValidation;

/**
 * DaemonSets (pkg/registry/apps/daemonset), which also count their template's changes (the
 * {@link TemplateGeneration}).
 */
enum DaemonSetStrategy implements WorkloadStrategy {
  INSTANCE;

  @Override
  public void applyDefaults(ResourceType type, ObjectNode daemonSet, AdmissionSettings settings) {
    Defaulter.daemonSet(daemonSet);
  }

  @Override
  public void validate(ObjectNode daemonSet, FieldErrors errors) {
    WorkloadValidation.daemonSet(daemonSet, errors);
  }

  @Override
  public void completeCreate(ObjectNode daemonSet) {
    TemplateGeneration.onCreate(daemonSet);
  }

  @Override
  public void completeUpdate(ObjectNode desired, ObjectNode current) {
    TemplateGeneration.onUpdate(desired, current);
  }
}
