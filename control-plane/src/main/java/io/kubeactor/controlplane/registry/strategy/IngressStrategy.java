package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.NetworkingValidation;

/** Ingresses (pkg/registry/networking/ingress). */
enum IngressStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void validate(ObjectNode ingress, FieldErrors errors) {
    NetworkingValidation.ingress(ingress, null, errors);
  }

  @Override
  public void validateUpdate(ObjectNode ingress, ObjectNode old, FieldErrors errors) {
    NetworkingValidation.ingress(ingress, old, errors);
  }
}
