package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** PodDisruptionBudgets as pkg/apis/policy/validation of Kubernetes v1.32 checks them (ValidatePodDisruptionBudgetSpec). */
public final class PolicyValidation {
  private PolicyValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> UNHEALTHY_POD_EVICTION_POLICIES = List.of("AlwaysAllow", "IfHealthyBudget");

  public static void podDisruptionBudget(JsonNode budget, FieldErrors errors) {
    JsonNode spec = budget.path("spec");
    JsonNode minAvailable = spec.get("minAvailable");
    JsonNode maxUnavailable = spec.get("maxUnavailable");
    if (!Nodes.absent(minAvailable) && !Nodes.absent(maxUnavailable)) {
      errors.invalid(SPEC, specLiteral(spec), "minAvailable and maxUnavailable cannot be both set");
    }
    for (String field : List.of("minAvailable", "maxUnavailable")) {
      JsonNode value = spec.get(field);
      if (Nodes.absent(value)) continue;
      WorkloadValidation.positiveIntOrPercent(value, SPEC.child(field), errors);
      WorkloadValidation.notMoreThan100Percent(value, SPEC.child(field), errors);
    }
    LabelSelectors.validate(spec.get("selector"), SPEC.child("selector"), errors);
    if (Nodes.has(spec, "unhealthyPodEvictionPolicy")) {
      String policy = text(spec, "unhealthyPodEvictionPolicy");
      if (!UNHEALTHY_POD_EVICTION_POLICIES.contains(policy)) {
        errors.notSupported(SPEC.child("unhealthyPodEvictionPolicy"), policy, UNHEALTHY_POD_EVICTION_POLICIES);
      }
    }
  }

  /** The spec as Go's %#v prints it; Go prints pointer addresses, which no client can rely on, so set pointers show a fixed one. */
  private static GoValue.Literal specLiteral(JsonNode spec) {
    return new GoValue.Literal("policy.PodDisruptionBudgetSpec{MinAvailable:" + pointer(spec, "minAvailable", "intstr.IntOrString")
        + ", Selector:" + pointer(spec, "selector", "v1.LabelSelector")
        + ", MaxUnavailable:" + pointer(spec, "maxUnavailable", "intstr.IntOrString")
        + ", UnhealthyPodEvictionPolicy:" + pointer(spec, "unhealthyPodEvictionPolicy", "policy.UnhealthyPodEvictionPolicyType") + "}");
  }

  private static String pointer(JsonNode spec, String field, String type) {
    return "(*" + type + ")(" + (Nodes.has(spec, field) ? "0xc000000000" : "nil") + ")";
  }
}
