package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import java.time.Instant;

/**
 * A PodDisruptionBudget's status conditions as the disruption controller and the eviction
 * subresource keep them (pkg/apis/policy/helper: UpdateDisruptionAllowedCondition, apimeta's
 * SetStatusCondition), on the object's JSON.
 */
public final class PodDisruptionBudgets {
  private PodDisruptionBudgets() {}

  public static final String DISRUPTION_ALLOWED = "DisruptionAllowed";
  public static final String SUFFICIENT_PODS = "SufficientPods";
  public static final String INSUFFICIENT_PODS = "InsufficientPods";
  public static final String SYNC_FAILED = "SyncFailed";

  /** DisruptionAllowed True (SufficientPods) when status.disruptionsAllowed is above 0, else False (InsufficientPods). */
  public static void updateDisruptionAllowed(ObjectNode status, Instant now) {
    boolean allowed = status.path("disruptionsAllowed").asInt(0) > 0;
    setCondition(status, DISRUPTION_ALLOWED, allowed ? "True" : "False", allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS, "",
        status.path("observedGeneration").asLong(0), now);
  }

  /** Whether the DisruptionAllowed condition says what status.disruptionsAllowed does, for the current generation. */
  public static boolean conditionsUpToDate(JsonNode pdb) {
    JsonNode status = pdb.path("status");
    JsonNode c = find(status.path("conditions"), DISRUPTION_ALLOWED);
    if (c == null) return false;
    if (status.path("observedGeneration").asLong(0) != pdb.path("metadata").path("generation").asLong(0)) return false;
    return status.path("disruptionsAllowed").asInt(0) > 0
        ? "True".equals(c.path("status").asText()) && SUFFICIENT_PODS.equals(c.path("reason").asText())
        : "False".equals(c.path("status").asText()) && INSUFFICIENT_PODS.equals(c.path("reason").asText());
  }

  /**
   * apimeta.SetStatusCondition: adds the condition, or updates it, its transition time changing only
   * with its status.
   */
  public static void setCondition(ObjectNode status, String type, String conditionStatus, String reason, String message,
      long observedGeneration, Instant now) {
    ArrayNode conditions = status.withArrayProperty("conditions");
    ObjectNode c = (ObjectNode) find(conditions, type);
    if (c == null) {
      c = conditions.addObject().put("type", type).put("status", conditionStatus);
      c.put("lastTransitionTime", Registry.timestamp(now));
    } else if (!conditionStatus.equals(c.path("status").asText())) {
      c.put("status", conditionStatus).put("lastTransitionTime", Registry.timestamp(now));
    }
    if (observedGeneration != 0) c.put("observedGeneration", observedGeneration);
    else c.remove("observedGeneration");
    c.put("reason", reason).put("message", message);
  }

  /**
   * The PDB's selector as the eviction subresource reads it: a null or empty selector matches no pod
   * (unlike the disruption controller, for which an empty one matches every pod of the namespace).
   */
  public static boolean coversForEviction(JsonNode pdb, JsonNode podLabels) {
    LabelSelector selector;
    try {
      selector = LabelSelector.fromJson(pdb.path("spec").get("selector"));
    } catch (ApiException e) {
      return false;
    }
    return !selector.isEverything() && selector.matches(podLabels);
  }

  private static JsonNode find(JsonNode conditions, String type) {
    for (JsonNode c : conditions) if (type.equals(c.path("type").asText())) return c;
    return null;
  }
}
