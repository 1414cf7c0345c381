package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;

/**
 * Between the versions a kind is served at and the one it is stored at (its group's first). Two
 * kinds have two shapes: HorizontalPodAutoscaler, autoscaling/v1 (a CPU percentage) over the stored
 * autoscaling/v2 (a list of metrics), converted as Kubernetes' autoscaling conversion does (a v1
 * write keeps the v2 metrics it cannot express); and Event, events.k8s.io/v1 over the stored core/v1
 * ({@link EventVersions}).
 */
final class Conversions {
  private Conversions() {}

  /** The stored object as the requested version shows it. */
  static ObjectNode toVersion(ResourceType requested, ObjectNode stored) {
    if (stored.path("apiVersion").asText().equals(requested.apiVersion())) return stored;
    ObjectNode out = stored.deepCopy();
    out.put("apiVersion", requested.apiVersion());
    if (isHpaV1(requested)) hpaToV1(out);
    if (EventVersions.isEventsV1(requested)) EventVersions.toEventsV1(out);
    return out;
  }

  /** An object written at the requested version, in the stored version's shape. */
  static ObjectNode toStorage(ResourceType storage, ResourceType requested, ObjectNode written, ObjectNode currentStored) {
    if (storage == requested) return written;
    ObjectNode out = written.deepCopy();
    out.put("apiVersion", storage.apiVersion());
    if (isHpaV1(requested)) hpaToV2(out, currentStored);
    if (EventVersions.isEventsV1(requested)) EventVersions.toCore(out);
    return out;
  }

  private static boolean isHpaV1(ResourceType t) {
    return t.kind().equals("HorizontalPodAutoscaler") && t.version().equals("v1");
  }

  /**
   * The object's field as an object to convert in place (made when missing or null), or null when
   * it holds something else: typed decoding then refuses the write with a 400, as it would the
   * same body at the stored version.
   */
  private static ObjectNode convertible(ObjectNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) return parent.putObject(field);
    return value instanceof ObjectNode object ? object : null;
  }

  private static void hpaToV1(ObjectNode hpa) {
    ObjectNode spec = convertible(hpa, "spec");
    if (spec == null) return;
    JsonNode metrics = spec.remove("metrics");
    spec.remove("behavior");
    if (metrics != null) {
      for (JsonNode m : metrics) {
        if (isCpuUtilization(m)) {
          spec.put("targetCPUUtilizationPercentage", m.at("/resource/target/averageUtilization").asInt());
        }
      }
    }
    if (hpa.get("status") instanceof ObjectNode status) {
      // v1's replica counts are not omitempty: Go writes its zero, and clients require them
      if (!status.path("currentReplicas").isNumber()) status.put("currentReplicas", 0);
      if (!status.path("desiredReplicas").isNumber()) status.put("desiredReplicas", 0);
      JsonNode current = status.remove("currentMetrics");
      status.remove("conditions");
      if (current != null) {
        for (JsonNode m : current) {
          if (m.path("type").asText().equals("Resource") && m.at("/resource/name").asText().equals("cpu")
              && m.at("/resource/current/averageUtilization").isNumber()) {
            status.put("currentCPUUtilizationPercentage", m.at("/resource/current/averageUtilization").asInt());
          }
        }
      }
    }
  }

  private static void hpaToV2(ObjectNode hpa, ObjectNode currentStored) {
    ObjectNode spec = convertible(hpa, "spec");
    if (spec == null) return;
    JsonNode target = spec.remove("targetCPUUtilizationPercentage");
    ArrayNode metrics = spec.putArray("metrics");
    if (currentStored != null) {
      // what v1 cannot say stays as it was
      for (JsonNode m : currentStored.path("spec").path("metrics")) {
        if (!isCpuUtilization(m)) metrics.add(m.deepCopy());
      }
      JsonNode behavior = currentStored.path("spec").get("behavior");
      if (behavior != null) spec.set("behavior", behavior.deepCopy());
    }
    if (target != null && target.canConvertToInt()) {
      ObjectNode m = metrics.insertObject(0);
      m.put("type", "Resource");
      ObjectNode r = m.putObject("resource");
      r.put("name", "cpu");
      r.putObject("target").put("type", "Utilization").put("averageUtilization", target.asInt());
    }
    if (metrics.isEmpty()) spec.remove("metrics");
    if (hpa.get("status") instanceof ObjectNode status) {
      JsonNode cpu = status.remove("currentCPUUtilizationPercentage");
      if (cpu != null) {
        ObjectNode m = status.putArray("currentMetrics").addObject();
        m.put("type", "Resource");
        ObjectNode r = m.putObject("resource");
        r.put("name", "cpu");
        r.putObject("current").put("averageUtilization", cpu.asInt());
      }
    }
  }

  private static boolean isCpuUtilization(JsonNode m) {
    return m.path("type").asText().equals("Resource") && m.at("/resource/name").asText().equals("cpu")
        && m.at("/resource/target/type").asText().equals("Utilization");
  }
}
