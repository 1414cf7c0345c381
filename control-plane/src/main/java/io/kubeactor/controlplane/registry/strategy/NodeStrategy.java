package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.Defaulter;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.Validator;

/** Nodes (pkg/registry/core/node): a kubelet registers its Node with the status it reports. */
enum NodeStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode node) {}

  @Override
  public void applyDefaults(ResourceType type, ObjectNode node, AdmissionSettings settings) {
    Defaulter.node(node);
  }

  @Override
  public void validate(ObjectNode node, FieldErrors errors) {
    Validator.node(node, errors);
  }

  @Override
  public void validateUpdate(ObjectNode node, ObjectNode old, FieldErrors errors) {
    Validator.node(node, errors);
    Validator.nodeUpdate(node, old, errors);
  }
}
