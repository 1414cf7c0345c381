package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.vpa.VpaPolicy;
import java.util.Iterator;
import java.util.Map;

/**
 * VerticalPodAutoscalers as upstream refuses them, in two stages as there: what the CRD's schema
 * (deploy/vpa-v1-crd-gen.yaml: required fields, enums) refuses, then, for an object the schema
 * takes, what the VPA admission controller's webhook refuses
 * (pkg/admission-controller/resource/vpa/validation.go).
 */
public final class VerticalPodAutoscalerValidation {
  private VerticalPodAutoscalerValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");

  /** The structural schema's checks. */
  public static void schema(JsonNode vpa, FieldErrors errors) {
    JsonNode spec = vpa.path("spec");
    if (Nodes.absent(spec.get("targetRef"))) {
      errors.required(SPEC.child("targetRef"), "");
    } else {
      for (String field : new String[] {"kind", "name"}) {
        if (Nodes.absent(spec.path("targetRef").get(field))) errors.required(SPEC.child("targetRef").child(field), "");
      }
    }
    JsonNode mode = spec.path("updatePolicy").get("updateMode");
    if (!Nodes.absent(mode) && !VpaPolicy.UPDATE_MODES.contains(mode.asText())) {
      errors.notSupported(SPEC.child("updatePolicy").child("updateMode"), mode.asText(), VpaPolicy.UPDATE_MODES);
    }
    int i = 0;
    for (JsonNode policy : spec.path("resourcePolicy").path("containerPolicies")) {
      FieldPath at = SPEC.child("resourcePolicy").child("containerPolicies").index(i++);
      JsonNode scaling = policy.get("mode");
      if (!Nodes.absent(scaling) && !VpaPolicy.SCALING_MODES.contains(scaling.asText())) {
        errors.notSupported(at.child("mode"), scaling.asText(), VpaPolicy.SCALING_MODES);
      }
      JsonNode values = policy.get("controlledValues");
      if (!Nodes.absent(values) && !VpaPolicy.CONTROLLED_VALUES.contains(values.asText())) {
        errors.notSupported(at.child("controlledValues"), values.asText(), VpaPolicy.CONTROLLED_VALUES);
      }
    }
  }

  /** The admission webhook's checks (validateVPA), for an object that passed {@link #schema}. */
  public static void webhook(JsonNode vpa, FieldErrors errors) {
    JsonNode spec = vpa.path("spec");
    JsonNode updatePolicy = spec.get("updatePolicy");
    if (!Nodes.absent(updatePolicy)) {
      FieldPath at = SPEC.child("updatePolicy");
      if (Nodes.absent(updatePolicy.get("updateMode"))) {
        errors.required(at.child("updateMode"), "updateMode is required if UpdatePolicy is used");
      }
      if (Nodes.has(updatePolicy, "minReplicas") && Nodes.number(updatePolicy, "minReplicas") <= 0) {
        errors.invalid(at.child("minReplicas"), Nodes.number(updatePolicy, "minReplicas"), "minReplicas has to be positive");
      }
    }
    int i = 0;
    for (JsonNode policy : spec.path("resourcePolicy").path("containerPolicies")) {
      FieldPath at = SPEC.child("resourcePolicy").child("containerPolicies").index(i++);
      if (text(policy, "containerName").isEmpty()) errors.required(at.child("containerName"), "");
      JsonNode min = policy.path("minAllowed");
      JsonNode max = policy.path("maxAllowed");
      for (Iterator<Map.Entry<String, JsonNode>> it = min.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        resolution(at.child("minAllowed").key(e.getKey()), e.getKey(), e.getValue(), errors);
        JsonNode maxValue = max.get(e.getKey());
        if (maxValue != null && VpaPolicy.amount(e.getKey(), maxValue) < VpaPolicy.amount(e.getKey(), e.getValue())) {
          errors.invalid(at.child("maxAllowed").key(e.getKey()), canonical(maxValue),
              "max resource for " + e.getKey() + " is lower than min of \"" + canonical(e.getValue()) + "\"");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = max.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        resolution(at.child("maxAllowed").key(e.getKey()), e.getKey(), e.getValue(), errors);
      }
      if (text(policy, "mode").equals("Off") && text(policy, "controlledValues").equals("RequestsAndLimits")) {
        errors.forbidden(at.child("controlledValues"), "controlledValues shouldn't be specified if container scaling mode is off");
      }
    }
    if (spec.path("recommenders").size() > 1) errors.tooMany(SPEC.child("recommenders"), spec.path("recommenders").size(), 1);
  }

  /** CPU in whole millicores, memory in whole bytes. */
  private static void resolution(FieldPath at, String resource, JsonNode quantity, FieldErrors errors) {
    java.util.Optional<java.math.BigDecimal> value = io.kubeactor.common.Quantities.value(quantity.asText());
    if (value.isEmpty()) return;
    if (resource.equals(VpaPolicy.CPU) && value.get().movePointRight(3).stripTrailingZeros().scale() > 0) {
      errors.invalid(at, canonical(quantity), "must be a whole number of milli CPUs");
    } else if (resource.equals(VpaPolicy.MEMORY) && value.get().stripTrailingZeros().scale() > 0) {
      errors.invalid(at, canonical(quantity), "must be a whole number of bytes");
    }
  }

  private static String canonical(JsonNode quantity) {
    return io.kubeactor.common.Quantities.canonical(quantity.asText());
  }
}
