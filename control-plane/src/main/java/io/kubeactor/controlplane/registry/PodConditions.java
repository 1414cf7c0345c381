package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Setting a condition in a pod's JSON status, as upstream's podutil.UpdatePodCondition does. */
public final class PodConditions {
  private PodConditions() {}

  /** The type upstream sets on a pod that is about to be deleted by a disruption (eviction, taint, PodGC). */
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  /**
   * Sets the condition, keeping its lastTransitionTime while its status holds; false when nothing
   * changed.
   */
  public static boolean set(ObjectNode pod, String type, String status, String reason, String message, Instant now) {
    ArrayNode conditions = pod.withObjectProperty("status").withArrayProperty("conditions");
    String transition = Registry.timestamp(now);
    int index = -1;
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.get(i).path("type").asText())) index = i;
    }
    JsonNode old = index < 0 ? null : conditions.get(index);
    if (old != null && status.equals(old.path("status").asText())) {
      transition = old.path("lastTransitionTime").asText(transition);
    }
    ObjectNode c = conditions.objectNode();
    c.put("type", type).put("status", status).putNull("lastProbeTime").put("lastTransitionTime", transition);
    if (reason != null) c.put("reason", reason);
    if (message != null) c.put("message", message);
    if (old != null && same(old, c)) return false;
    if (index < 0) conditions.add(c);
    else conditions.set(index, c);
    return true;
  }

  private static boolean same(JsonNode a, JsonNode b) {
    for (String f : new String[] {"status", "reason", "message", "lastTransitionTime"}) {
      if (!a.path(f).asText("").equals(b.path(f).asText(""))) return false;
    }
    return true;
  }
}
