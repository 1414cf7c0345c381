package io.kubeactor.controlplane.apiserver.table;

import io.kubeactor.common.Quantities;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the printers share: reading fields the way Go reads its typed structs (a missing string is
 * "", a missing number 0), ages, and Kubernetes' formats for labels, selectors and containers.
 */
final class Cells {
  private Cells() {}

  static String name(JsonNode object) {
    return text(object.path("metadata"), "name");
  }

  /** The AGE cell: time since metadata.creationTimestamp, "<unknown>" without one. */
  static TimedCell age(JsonNode object) {
    return since(object.path("metadata").path("creationTimestamp"));
  }

  static TimedCell since(JsonNode timestamp) {
    return TimedCell.since(instant(timestamp));
  }

  /** An RFC 3339 timestamp (metav1.Time or MicroTime), or null when absent or unreadable. */
  static Instant instant(JsonNode timestamp) {
    if (timestamp == null || !timestamp.isTextual() || timestamp.asText().isEmpty()) return null;
    try {
      return OffsetDateTime.parse(timestamp.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static boolean isDeleting(JsonNode object) {
    return instant(object.path("metadata").path("deletionTimestamp")) != null;
  }

  /** A string field, "" when missing (Go's zero value). */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : "";
  }

  /** A string field, or {@code fallback} when missing or empty (as the API server defaults it). */
  static String text(JsonNode node, String field, String fallback) {
    String value = text(node, field);
    return value.isEmpty() ? fallback : value;
  }

  static long number(JsonNode node, String field) {
    return node.path(field).asLong(0);
  }

  /** An integer field that the API server defaults when it is unset. */
  static long number(JsonNode node, String field, long fallback) {
    JsonNode value = node.path(field);
    return value.isNumber() ? value.asLong() : fallback;
  }

  /** The number of entries of a list or map field. */
  static long count(JsonNode node, String field) {
    return node.path(field).size();
  }

  /** The elements of a list field; empty when missing. */
  static List<JsonNode> list(JsonNode node, String field) {
    List<JsonNode> out = new ArrayList<>();
    node.path(field).forEach(out::add);
    return out;
  }

  /** {@code labels.FormatLabels}: sorted "k=v" pairs, or "<none>". */
  static String labels(JsonNode map) {
    TreeSet<String> pairs = new TreeSet<>();
    map.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
  }

  /**
   * A metav1.LabelSelector as a selector string ({@code LabelSelectorAsSelector(s).String()}):
   * requirements sorted by key, "k=v", "k in (a,b)", "k notin (a,b)", "k", "!k"; "" for none.
   */
  static String selector(JsonNode labelSelector) {
    record Requirement(String key, String text) {}
    List<Requirement> requirements = new ArrayList<>();
    labelSelector.path("matchLabels").fields().forEachRemaining(
        e -> requirements.add(new Requirement(e.getKey(), e.getKey() + "=" + e.getValue().asText())));
    for (JsonNode expression : labelSelector.path("matchExpressions")) {
      String key = text(expression, "key");
      String values = list(expression, "values").stream().map(JsonNode::asText).sorted()
          .collect(Collectors.joining(","));
      String text = switch (text(expression, "operator")) {
        case "In" -> key + " in (" + values + ")";
        case "NotIn" -> key + " notin (" + values + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> null;
      };
      if (text != null) requirements.add(new Requirement(key, text));
    }
    return requirements.stream().sorted((a, b) -> a.key().compareTo(b.key()))
        .map(Requirement::text).collect(Collectors.joining(","));
  }

  /** {@code metav1.FormatLabelSelector}: the selector string, or "<none>". */
  static String formatSelector(JsonNode labelSelector) {
    String s = selector(labelSelector);
    return s.isEmpty() ? "<none>" : s;
  }

  /** The CONTAINERS cell of a pod template spec: names joined by ",". */
  static String containerNames(JsonNode podSpec) {
    return list(podSpec, "containers").stream().map(c -> text(c, "name")).collect(Collectors.joining(","));
  }

  /** The IMAGES cell of a pod template spec: images joined by ",". */
  static String containerImages(JsonNode podSpec) {
    return list(podSpec, "containers").stream().map(c -> text(c, "image")).collect(Collectors.joining(","));
  }

  /** Up to {@code max} items joined by ",", then " + N more...", or "<unset>" for none. */
  static String listWithMore(List<String> items, int max) {
    String shown = String.join(",", items.subList(0, Math.min(max, items.size())));
    if (items.size() > max) return shown + " + " + (items.size() - max) + " more...";
    return shown.isEmpty() ? "<unset>" : shown;
  }

  /**
   * A load balancer's ingress points: sorted distinct IPs (or hostnames where no IP), joined by ",".
   * The API server prints wide, so nothing is clipped.
   */
  static String loadBalancerIngress(JsonNode loadBalancerStatus) {
    TreeSet<String> points = new TreeSet<>();
    for (JsonNode ingress : loadBalancerStatus.path("ingress")) {
      String ip = text(ingress, "ip");
      String hostname = text(ingress, "hostname");
      if (!ip.isEmpty()) points.add(ip);
      else if (!hostname.isEmpty()) points.add(hostname);
    }
    return String.join(",", points);
  }

  /** {@code helper.GetAccessModesAsString}: RWO,ROX,RWX,RWOP in that order. */
  static String accessModes(JsonNode modes) {
    List<String> present = new ArrayList<>();
    modes.forEach(m -> present.add(m.asText()));
    List<String> out = new ArrayList<>();
    if (present.contains("ReadWriteOnce")) out.add("RWO");
    if (present.contains("ReadOnlyMany")) out.add("ROX");
    if (present.contains("ReadWriteMany")) out.add("RWX");
    if (present.contains("ReadWriteOncePod")) out.add("RWOP");
    return String.join(",", out);
  }

  /** A quantity as Quantity.String() prints it; a missing one is the zero quantity, "0". */
  static String quantity(JsonNode value) {
    return value.isValueNode() && !value.isNull() ? Quantities.canonical(value.asText()) : "0";
  }

  /** An IntOrString as its String(): the number or the text. */
  static String intOrString(JsonNode value) {
    return value.asText();
  }
}
