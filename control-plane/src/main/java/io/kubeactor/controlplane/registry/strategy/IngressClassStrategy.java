package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.NetworkingValidation;

/** IngressClasses (pkg/registry/networking/ingressclass). */
enum IngressClassStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public void validate(ObjectNode ingressClass, FieldErrors errors) {
    NetworkingValidation.ingressClass(ingressClass, null, errors);
  }

  @Override
  public void validateUpdate(ObjectNode ingressClass, ObjectNode old, FieldErrors errors) {
    NetworkingValidation.ingressClass(ingressClass, old, errors);
  }
}
