package io.kubeactor.controlplane.api.vpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a VerticalPodAutoscaler's spec says, read from its JSON (the admission plugin has the stored
 * tree, the controllers a typed object turned into one), as upstream's pkg/utils/vpa reads it:
 * update mode, the container policy that applies to a container (its own, else the "*" one),
 * controlled resources and values, and the capping of a recommendation to minAllowed/maxAllowed
 * (ApplyVPAPolicy). Amounts are CPU in millicores and memory in bytes, as the recommender's
 * ResourceAmount.
 */
public final class VpaPolicy {
  private VpaPolicy() {}

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  /** The update modes, in the order upstream's CRD lists them. */
  public static final List<String> UPDATE_MODES = List.of("Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto");
  public static final List<String> SCALING_MODES = List.of("Auto", "Off");
  public static final List<String> CONTROLLED_VALUES = List.of("RequestsAndLimits", "RequestsOnly");
  /** A container policy under this name applies to every container without one of its own. */
  public static final String DEFAULT_CONTAINER = "*";

  /** spec.updatePolicy.updateMode; "Auto" (upstream's default) when not given. */
  public static String updateMode(JsonNode vpa) {
    return vpa.path("spec").path("updatePolicy").path("updateMode").asText("Auto");
  }

  /** Whether the mode sets requests of new pods (every mode but Off). */
  public static boolean appliesAtCreation(String mode) {
    return !mode.equals("Off");
  }

  /** Whether the mode replaces running pods whose requests are out of the recommended range. */
  public static boolean evicts(String mode) {
    return mode.equals("Recreate") || mode.equals("Auto") || mode.equals("InPlaceOrRecreate");
  }

  /** GetContainerResourcePolicy: the container's own policy, else the default ("*") one, else a missing node. */
  public static JsonNode containerPolicy(JsonNode vpa, String container) {
    JsonNode fallback = Json.MAPPER.missingNode();
    for (JsonNode p : vpa.path("spec").path("resourcePolicy").path("containerPolicies")) {
      String name = p.path("containerName").asText();
      if (name.equals(container)) return p;
      if (name.equals(DEFAULT_CONTAINER)) fallback = p;
    }
    return fallback;
  }

  /** Whether the container is autoscaled (its policy's mode is not Off). */
  public static boolean scaled(JsonNode policy) {
    return !policy.path("mode").asText("Auto").equals("Off");
  }

  /** controlledResources: cpu and memory unless the policy names others. */
  public static List<String> controlledResources(JsonNode policy) {
    if (!policy.path("controlledResources").isArray()) return List.of(CPU, MEMORY);
    List<String> out = new ArrayList<>();
    for (JsonNode r : policy.path("controlledResources")) out.add(r.asText());
    return out;
  }

  /** Whether limits follow requests (controlledValues RequestsAndLimits, the default). */
  public static boolean controlsLimits(JsonNode policy) {
    return policy.path("controlledValues").asText("RequestsAndLimits").equals("RequestsAndLimits");
  }

  /** The container's entry of status.recommendation.containerRecommendations, or null. */
  public static JsonNode recommendationOf(JsonNode vpa, String container) {
    for (JsonNode r : vpa.path("status").path("recommendation").path("containerRecommendations")) {
      if (r.path("containerName").asText().equals(container)) return r;
    }
    return null;
  }

  // ---- amounts ----

  /** A quantity as the amount of its resource (millicores of cpu, bytes of anything else), rounding up; -1 if unreadable. */
  public static long amount(String resource, JsonNode quantity) {
    if (quantity == null || quantity.isMissingNode() || quantity.isNull()) return -1;
    return Quantities.value(quantity.asText())
        .map(v -> (resource.equals(CPU) ? v.movePointRight(3) : v).setScale(0, RoundingMode.CEILING).longValue())
        .orElse(-1L);
  }

  /** An amount as upstream's recommender writes it: cpu as milli (DecimalSI), memory as bytes (DecimalSI). */
  public static String quantity(String resource, long amount) {
    return Quantities.canonical(resource.equals(CPU) ? amount + "m" : String.valueOf(amount));
  }

  /** A resource list ({"cpu":"250m",...}) as amounts, unreadable entries left out. */
  public static Map<String, Long> amounts(JsonNode resources) {
    Map<String, Long> out = new TreeMap<>();
    resources.fields().forEachRemaining(e -> {
      long a = amount(e.getKey(), e.getValue());
      if (a >= 0) out.put(e.getKey(), a);
    });
    return out;
  }

  /** Amounts as a resource list. */
  public static ObjectNode resourceList(Map<String, Long> amounts) {
    ObjectNode out = Json.object();
    amounts.forEach((r, a) -> out.put(r, quantity(r, a)));
    return out;
  }

  /** Each amount raised to the policy's minAllowed and lowered to its maxAllowed (ApplyVPAPolicy's capping). */
  public static Map<String, Long> capped(Map<String, Long> amounts, JsonNode policy) {
    Map<String, Long> out = new TreeMap<>(amounts);
    for (Map.Entry<String, Long> e : out.entrySet()) {
      long min = amount(e.getKey(), policy.path("minAllowed").get(e.getKey()));
      long max = amount(e.getKey(), policy.path("maxAllowed").get(e.getKey()));
      long v = e.getValue();
      if (min >= 0 && v < min) v = min;
      if (max >= 0 && v > max) v = max;
      e.setValue(v);
    }
    return out;
  }

  /**
   * GetProportionalLimit: the limit that keeps the container's limit-to-request ratio at the new
   * request (rounded down), the new request itself when the container's limit equals its request or
   * it has no request, and -1 (no limit) when it has no limit.
   */
  public static long proportionalLimit(long originalLimit, long originalRequest, long newRequest) {
    if (originalLimit <= 0 || newRequest <= 0) return -1;
    if (originalRequest <= 0 || originalRequest == originalLimit) return newRequest;
    BigDecimal scaled = BigDecimal.valueOf(originalLimit).multiply(BigDecimal.valueOf(newRequest))
        .divide(BigDecimal.valueOf(originalRequest), 0, RoundingMode.DOWN);
    return scaled.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
  }

  /**
   * Sets one container's requests (and limits) from the target, as admission gives them to a new
   * pod and the updater to a pod it resizes in place; what it set, as the annotation names it.
   */
  public static List<String> setResources(ObjectNode container, JsonNode policy, JsonNode recommendation) {
    ObjectNode resources = container.withObjectProperty("resources");
    Map<String, Long> originalRequests = amounts(resources.path("requests"));
    Map<String, Long> originalLimits = amounts(resources.path("limits"));
    List<String> controlled = controlledResources(policy);
    boolean limitsToo = controlsLimits(policy);
    List<String> requestsSet = new ArrayList<>();
    List<String> limitsSet = new ArrayList<>();
    for (Map.Entry<String, Long> t : amounts(recommendation.path("target")).entrySet()) {
      String resource = t.getKey();
      if (!controlled.contains(resource)) continue;
      long request = t.getValue();
      long originalLimit = originalLimits.getOrDefault(resource, -1L);
      if (!limitsToo && originalLimit >= 0) request = Math.min(request, originalLimit);
      resources.withObjectProperty("requests").put(resource, quantity(resource, request));
      requestsSet.add(resource + " request");
      if (!limitsToo) continue;
      long limit = proportionalLimit(originalLimit, originalRequests.getOrDefault(resource, -1L), request);
      if (limit < 0) continue;
      resources.withObjectProperty("limits").put(resource, quantity(resource, limit));
      limitsSet.add(resource + " limit");
    }
    requestsSet.addAll(limitsSet);
    return requestsSet;
  }
}
