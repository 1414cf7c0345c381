package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.VerticalPodAutoscalerValidation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * VerticalPodAutoscalers (autoscaling.k8s.io/v1), a custom resource upstream: the generation
 * counts spec changes as for any CRD with a status subresource; the CRD's schema refuses with a 422
 * as a CRD's validation does, and what the schema takes goes to the checks of the VPA admission
 * controller's webhook, which refuses with the 400 kube-apiserver answers for a denying webhook.
 */
enum VerticalPodAutoscalerStrategy implements ResourceStrategy {
  INSTANCE;

  /** The name upstream's admission controller registers its webhook under. */
  static final String WEBHOOK = "vpa.k8s.io";

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void validate(ObjectNode vpa, FieldErrors errors) {
    VerticalPodAutoscalerValidation.schema(vpa, errors);
  }

  @Override
  public List<ApiException.Cause> fieldErrors(ResourceType type, ObjectNode object, ObjectNode old) {
    List<ApiException.Cause> schema = ResourceStrategy.super.fieldErrors(type, object, old);
    if (!schema.isEmpty()) return schema;
    FieldErrors webhook = new FieldErrors();
    VerticalPodAutoscalerValidation.webhook(object, webhook);
    List<ApiException.Cause> denied = webhook.causes();
    if (denied.isEmpty()) return schema;
    // utilerrors.Aggregate's text: one error alone, several in brackets
    String text = denied.stream().map(c -> c.field() + ": " + c.message()).collect(Collectors.joining(", "));
    throw ApiException.badRequest("admission webhook \"" + WEBHOOK + "\" denied the request: "
        + (denied.size() == 1 ? text : "[" + text + "]"));
  }
}
