package io.kubeactor.controlplane.controller.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The taints the node lifecycle controller keeps in line with a node's conditions and
 * spec.unschedulable (upstream's nodeConditionToTaintKeyStatusMap and taint templates), and how a
 * change of them is applied to the node as it is in the store.
 */
public final class NodeTaints {
  private NodeTaints() {}

  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  public static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  public static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  public static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  public static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
  /** Set by an administrator on a node that is gone for good: its terminating pods are force-deleted (PodGC). */
  public static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  /** Condition type → condition status → the NoSchedule taint it calls for. */
  private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
      "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
      "MemoryPressure", Map.of("True", MEMORY_PRESSURE),
      "DiskPressure", Map.of("True", DISK_PRESSURE),
      "NetworkUnavailable", Map.of("True", NETWORK_UNAVAILABLE),
      "PIDPressure", Map.of("True", PID_PRESSURE));

  private static final Set<String> CONDITION_TAINT_KEYS =
      Set.of(NOT_READY, UNREACHABLE, MEMORY_PRESSURE, DISK_PRESSURE, NETWORK_UNAVAILABLE, PID_PRESSURE);

  /** The keys of the NoSchedule taints the node's conditions and spec.unschedulable call for. */
  static Set<String> wantedNoSchedule(Node node) {
    Set<String> keys = new LinkedHashSet<>();
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      for (NodeCondition c : node.getStatus().getConditions()) {
        String key = CONDITION_TAINTS.getOrDefault(c.getType(), Map.of()).get(c.getStatus());
        if (key != null) keys.add(key);
      }
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) keys.add(UNSCHEDULABLE);
    return keys;
  }

  /** A NoSchedule taint this controller owns: one of a condition's, or the unschedulable one. */
  static boolean managedNoSchedule(Taint t) {
    return NO_SCHEDULE.equals(t.getEffect()) && (UNSCHEDULABLE.equals(t.getKey()) || CONDITION_TAINT_KEYS.contains(t.getKey()));
  }

  /** The NoExecute taint the Ready condition's status calls for: not-ready (False), unreachable (Unknown), none. */
  static String noExecuteKey(String readyStatus) {
    if ("False".equals(readyStatus)) return NOT_READY;
    if ("Unknown".equals(readyStatus)) return UNREACHABLE;
    return null;
  }

  /** The node's taints, never null. */
  public static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  static boolean has(Node node, String key, String effect) {
    return taints(node).stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
  }

  /** A controller taint, stamped with when it was added (as upstream's SwapNodeControllerTaint does). */
  static Taint taint(String key, String effect, Instant now) {
    Taint t = new Taint();
    t.setKey(key);
    t.setEffect(effect);
    t.setTimeAdded(Timestamps.format(now));
    return t;
  }

  /**
   * Adds taints not there yet (by key and effect) and removes taints (by key and effect) on the
   * node's JSON as it is now, leaving every other taint alone.
   */
  static ObjectNode apply(ObjectNode node, List<Taint> add, List<Taint> remove) {
    ObjectNode spec = node.withObjectProperty("spec");
    ArrayNode taints = spec.withArrayProperty("taints");
    for (int i = taints.size() - 1; i >= 0; i--) {
      JsonNode t = taints.get(i);
      for (Taint r : remove) {
        if (matches(t, r)) {
          taints.remove(i);
          break;
        }
      }
    }
    for (Taint a : add) {
      boolean present = false;
      for (JsonNode t : taints) present |= matches(t, a);
      if (!present) taints.add(Json.toTree(a));
    }
    if (taints.isEmpty()) spec.remove("taints");
    return node;
  }

  private static boolean matches(JsonNode taint, Taint t) {
    return taint.path("key").asText().equals(t.getKey()) && taint.path("effect").asText().equals(t.getEffect());
  }
}
