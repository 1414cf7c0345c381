package io.kubeactor.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * metav1.DeleteOptions as far as the registry uses it: what a client, or an in-process component
 * through the writer, asks of a deletion.
 */
public record DeleteOptions(
    Long gracePeriodSeconds,
    String propagationPolicy,
    String preconditionUid,
    String preconditionResourceVersion,
    boolean dryRun) {

  public static DeleteOptions defaults() {
    return new DeleteOptions(null, null, null, null, false);
  }

  /** Reads a DeleteOptions body; query parameters (already parsed) win where both are given. */
  public static DeleteOptions from(JsonNode body, Long queryGrace, String queryPolicy, boolean queryDryRun) {
    Long grace = queryGrace != null ? queryGrace
        : body != null && body.hasNonNull("gracePeriodSeconds") ? body.get("gracePeriodSeconds").asLong() : null;
    String policy = queryPolicy != null ? queryPolicy
        : body != null && body.hasNonNull("propagationPolicy") ? body.get("propagationPolicy").asText() : null;
    if (policy == null && body != null && body.hasNonNull("orphanDependents")) {
      policy = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
    }
    JsonNode pre = body == null ? null : body.get("preconditions");
    String uid = pre != null && pre.hasNonNull("uid") ? pre.get("uid").asText() : null;
    String rv = pre != null && pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null;
    boolean dry = queryDryRun || (body != null && body.path("dryRun").isArray() && body.path("dryRun").size() > 0);
    return new DeleteOptions(grace, policy, uid, rv, dry);
  }
}
