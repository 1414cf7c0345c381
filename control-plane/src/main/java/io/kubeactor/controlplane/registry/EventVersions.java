package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.Map;

/**
 * events.k8s.io/v1 Events are the core/v1 Events, stored once (kube-apiserver keeps both versions
 * in one etcd resource): the same object with other names for some fields, as
 * pkg/apis/events/v1/conversion.go maps them. Recorders of either version write events that
 * {@code kubectl describe} (core/v1) shows.
 */
public final class EventVersions {
  private EventVersions() {}

  /** core/v1 field name to events.k8s.io/v1 field name; the other fields have the same names. */
  private static final Map<String, String> RENAMED = Map.of(
      "involvedObject", "regarding",
      "message", "note",
      "source", "deprecatedSource",
      "firstTimestamp", "deprecatedFirstTimestamp",
      "lastTimestamp", "deprecatedLastTimestamp",
      "count", "deprecatedCount",
      "reportingComponent", "reportingController");

  public static boolean isEventsV1(ResourceType t) {
    return t.group().equals("events.k8s.io") && t.kind().equals("Event");
  }

  /** A core/v1 Event (a copy the caller owns) shown as events.k8s.io/v1, in place. */
  public static void toEventsV1(ObjectNode event) {
    RENAMED.values().forEach(event::remove);
    RENAMED.forEach((core, v1) -> move(event, core, v1));
  }

  /** An events.k8s.io/v1 Event (a copy the caller owns) in core/v1's names, in place. */
  public static void toCore(ObjectNode event) {
    // a core name in an events.k8s.io body is an unknown field there: dropped, not taken
    RENAMED.keySet().forEach(event::remove);
    RENAMED.forEach((core, v1) -> move(event, v1, core));
  }

  private static void move(ObjectNode event, String from, String to) {
    JsonNode value = event.remove(from);
    if (value != null) event.set(to, value);
  }
}
