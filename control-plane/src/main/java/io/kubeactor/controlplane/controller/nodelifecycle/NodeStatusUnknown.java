package io.kubeactor.controlplane.controller.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Timestamps;
import java.time.Instant;
import java.util.List;

/**
 * What the node lifecycle controller writes when a node stops reporting (upstream's
 * tryUpdateNodeHealth): Ready, MemoryPressure, DiskPressure and PIDPressure become Unknown,
 * "Kubelet stopped posting node status." (or "Kubelet never posted node status." for one it never
 * reported), each keeping its last heartbeat time. The NodeGateway writes the same when the cluster
 * loses the node's agent, so both paths look alike to kubectl.
 */
public final class NodeStatusUnknown {
  private NodeStatusUnknown() {}

  public static final String REASON = "NodeStatusUnknown";
  public static final String MESSAGE = "Kubelet stopped posting node status.";
  public static final String NEVER_REASON = "NodeStatusNeverUpdated";
  public static final String NEVER_MESSAGE = "Kubelet never posted node status.";

  /** The conditions kubelet owns; NetworkUnavailable belongs to the network plugin and is left as it is. */
  static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  /** Marks the node's (JSON) kubelet conditions Unknown in place; false if they all were already. */
  public static boolean mark(ObjectNode node, Instant now) {
    String at = Timestamps.format(now);
    ArrayNode conditions = node.withObjectProperty("status").withArrayProperty("conditions");
    boolean changed = false;
    for (String type : KUBELET_CONDITIONS) {
      ObjectNode condition = find(conditions, type);
      if (condition == null) {
        conditions.addObject().put("type", type).put("status", "Unknown")
            .put("lastHeartbeatTime", node.path("metadata").path("creationTimestamp").asText(at))
            .put("lastTransitionTime", at).put("reason", NEVER_REASON).put("message", NEVER_MESSAGE);
        changed = true;
      } else if (!"Unknown".equals(condition.path("status").asText())) {
        condition.put("status", "Unknown").put("reason", REASON).put("message", MESSAGE).put("lastTransitionTime", at);
        changed = true;
      }
    }
    return changed;
  }

  /** The status of the node's Ready condition ("True", "False", "Unknown"), null when it has none. */
  public static String readyStatus(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) return c.path("status").asText(null);
    }
    return null;
  }

  private static ObjectNode find(ArrayNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (c instanceof ObjectNode o && type.equals(c.path("type").asText())) return o;
    }
    return null;
  }
}
