package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.admission.DefaultIngressClass;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.NetworkingValidation;
import java.util.List;

/** Ingresses (pkg/registry/networking/ingress and the DefaultIngressClass admission plugin). */
enum IngressStrategy implements ResourceStrategy {
  INSTANCE;

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  /** An Ingress that names no class gets the default one. */
  @Override
  public void admit(ObjectNode ingress, AdmissionReads cluster) {
    DefaultIngressClass.admit(ingress, cluster::ingressClasses);
  }

  @Override
  public void validate(ObjectNode ingress, FieldErrors errors) {
    NetworkingValidation.ingress(ingress, null, errors);
  }

  @Override
  public void validateUpdate(ObjectNode ingress, ObjectNode old, FieldErrors errors) {
    NetworkingValidation.ingress(ingress, old, errors);
  }

  /** The class annotation of older controllers, on an Ingress that names no class by the field. */
  @Override
  public List<String> warnings(ObjectNode ingress, ObjectNode old) {
    JsonNode className = ingress.path("spec").path("ingressClassName");
    boolean annotated = ingress.path("metadata").path("annotations").has(DefaultIngressClass.INGRESS_CLASS_ANNOTATION);
    return annotated && (className.isMissingNode() || className.isNull())
        ? List.of("annotation \"" + DefaultIngressClass.INGRESS_CLASS_ANNOTATION
            + "\" is deprecated, please use 'spec.ingressClassName' instead")
        : List.of();
  }

  /** ValidateIngressStatusUpdate: the metadata's update rules and the addresses an ingress controller writes. */
  @Override
  public List<ApiException.Cause> statusFieldErrors(ObjectNode ingress, ObjectNode old) {
    return ResourceStrategy.statusUpdateErrors(ingress, old, NetworkingValidation::ingressStatus);
  }
}
