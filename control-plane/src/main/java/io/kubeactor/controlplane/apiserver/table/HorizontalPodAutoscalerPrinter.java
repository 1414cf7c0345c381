package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;
import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kubeactor.common.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers (autoscaling/v1 and v2): NAME REFERENCE TARGETS MINPODS MAXPODS
 * REPLICAS AGE (printHorizontalPodAutoscaler). TARGETS reads like "cpu: 10%/50%".
 */
final class HorizontalPodAutoscalerPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Reference", "scaleTargetRef points to the target resource to scale, and is used"
          + " to the pods for which metrics should be collected, as well as to actually change the"
          + " replica count."),
      Column.string("Targets", "metrics contains the specifications for which to use to calculate"
          + " the desired replica count."),
      Column.string("MinPods", "minReplicas is the lower limit for the number of replicas to which"
          + " the autoscaler can scale down."),
      Column.string("MaxPods", "maxReplicas is the upper limit for the number of replicas to which"
          + " the autoscaler can scale up."),
      Column.string("Replicas", "currentReplicas is current number of replicas of pods managed by"
          + " this autoscaler, as last seen by the autoscaler."),
      Column.AGE);

  private static final int MAX_SHOWN = 2;
  /** The target the API server gives an autoscaler without metrics. */
  private static final int DEFAULT_CPU_UTILIZATION = 80;

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode hpa) {
    JsonNode spec = hpa.path("spec");
    JsonNode status = hpa.path("status");
    JsonNode target = spec.path("scaleTargetRef");
    return List.of(Cells.name(hpa), text(target, "kind") + "/" + text(target, "name"),
        targets(specMetrics(spec), currentMetrics(status)),
        String.valueOf(number(spec, "minReplicas", 1)), number(spec, "maxReplicas"),
        number(status, "currentReplicas"), Cells.age(hpa));
  }

  /** v2 spec.metrics; a v1 targetCPUUtilizationPercentage or nothing reads as one cpu metric. */
  private static JsonNode specMetrics(JsonNode spec) {
    if (spec.path("metrics").size() > 0) return spec.path("metrics");
    int percent = (int) number(spec, "targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION);
    ArrayNode metrics = Json.MAPPER.createArrayNode();
    metrics.addObject().put("type", "Resource").putObject("resource").put("name", "cpu")
        .putObject("target").put("type", "Utilization").put("averageUtilization", percent);
    return metrics;
  }

  /** v2 status.currentMetrics, or a v1 currentCPUUtilizationPercentage as a cpu metric. */
  private static JsonNode currentMetrics(JsonNode status) {
    if (status.path("currentMetrics").size() > 0) return status.path("currentMetrics");
    ArrayNode metrics = Json.MAPPER.createArrayNode();
    if (status.path("currentCPUUtilizationPercentage").isNumber()) {
      metrics.addObject().put("type", "Resource").putObject("resource").put("name", "cpu")
          .putObject("current").put("averageUtilization", status.path("currentCPUUtilizationPercentage").asInt());
    }
    return metrics;
  }

  /** formatHPAMetrics: "current/target" per metric, two at most, then " + N more...". */
  private static String targets(JsonNode specs, JsonNode statuses) {
    if (specs.size() == 0) return "<none>";
    List<String> list = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      JsonNode spec = specs.get(i);
      JsonNode status = statuses.path(i); // statuses line up with specs by index
      list.add(switch (text(spec, "type")) {
        case "External" -> valueTarget(spec.path("external").path("target"), status.path("external"));
        case "Pods" -> current(status.path("pods"), "averageValue") + "/"
            + quantity(spec.path("pods").path("target").path("averageValue"));
        case "Object" -> valueTarget(spec.path("object").path("target"), status.path("object"));
        case "Resource" -> resourceTarget(spec.path("resource"), status.path("resource"));
        case "ContainerResource" -> resourceTarget(spec.path("containerResource"), status.path("containerResource"));
        default -> "<unknown type>";
      });
    }
    String joined = String.join(", ", list.subList(0, Math.min(MAX_SHOWN, list.size())));
    return list.size() > MAX_SHOWN ? joined + " + " + (list.size() - MAX_SHOWN) + " more..." : joined;
  }

  /** Object and External metrics: by average value ("(avg)") or by value. */
  private static String valueTarget(JsonNode target, JsonNode status) {
    if (target.has("averageValue")) {
      String current = status.path("current").has("averageValue") ? current(status, "averageValue") : "<unknown>";
      return current + "/" + quantity(target.path("averageValue")) + " (avg)";
    }
    return current(status, "value") + "/" + quantity(target.path("value"));
  }

  /** Resource and ContainerResource metrics: "cpu: 10%/50%" or "memory: 100Mi/200Mi". */
  private static String resourceTarget(JsonNode spec, JsonNode status) {
    String name = text(spec, "name");
    JsonNode target = spec.path("target");
    if (target.has("averageValue")) {
      return name + ": " + current(status, "averageValue") + "/" + quantity(target.path("averageValue"));
    }
    JsonNode utilization = status.path("current").path("averageUtilization");
    String current = status.isObject() && utilization.isNumber() ? utilization.asInt() + "%" : "<unknown>";
    String wanted = target.path("averageUtilization").isNumber()
        ? target.path("averageUtilization").asInt() + "%" : "<auto>";
    return name + ": " + current + "/" + wanted;
  }

  /** A current quantity of a metric status; "<unknown>" when the status has no such metric. */
  private static String current(JsonNode status, String field) {
    return status.isObject() ? quantity(status.path("current").path(field)) : "<unknown>";
  }

  /** A *Quantity as Go prints it: a nil one is "<nil>". */
  private static String quantity(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "<nil>" : Cells.quantity(value);
  }
}
