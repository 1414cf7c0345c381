package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How Kubernetes v1.32 renders a bad value inside an error message: strings quoted as Go's
 * {@code %q}, numbers plain, and composite values as Go's {@code %#v} of the internal type, e.g.
 * {@code map[string]string{"app":"web"}} (field/errors.go ErrorBody).
 */
public final class GoValue {
  private GoValue() {}

  /** A JSON value as field errors print it: strings quoted, anything else as its JSON. */
  public static Object ofJson(JsonNode value) {
    return value.isTextual() ? value.textValue() : new Literal(value.toString());
  }

  /** A value already written in Go syntax, printed as is. */
  public record Literal(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** The text that follows "Invalid value: " for a Java value. */
  static String render(Object value) {
    // A nil pointer prints as the quoted string "null".
    if (value == null) return quote("null");
    if (value instanceof String s) return quote(s);
    if (value instanceof Literal l) return l.text();
    return value.toString();
  }

  /** Go's strconv.Quote. */
  static String quote(String s) {
    return GoStrings.quote(s);
  }

  /** {@code map[string]string{"a":"b", "c":"d"}}, keys sorted as fmt sorts them; nil when absent. */
  static Literal stringMap(JsonNode map) {
    if (Nodes.absent(map)) return new Literal("map[string]string(nil)");
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> entries = new ArrayList<>();
    sorted.forEach((k, v) -> entries.add(quote(k) + ":" + quote(v)));
    return new Literal("map[string]string{" + String.join(", ", entries) + "}");
  }

  /** {@code []string{"a", "b"}}; nil when absent. */
  static Literal stringSlice(JsonNode list) {
    if (Nodes.absent(list)) return new Literal("[]string(nil)");
    List<String> items = new ArrayList<>();
    list.forEach(v -> items.add(quote(v.asText())));
    return new Literal("[]string{" + String.join(", ", items) + "}");
  }

  /** {@code []string{"a", "b"}} of Java strings. */
  public static Literal stringSlice(List<String> list) {
    return new Literal("[]string{" + String.join(", ", list.stream().map(GoValue::quote).toList()) + "}");
  }

  /** A metav1.LabelSelector as {@code %#v} prints it, the value of selector errors. */
  static Literal labelSelector(JsonNode selector) {
    JsonNode expressions = selector.get("matchExpressions");
    String requirements;
    if (Nodes.absent(expressions)) {
      requirements = "[]v1.LabelSelectorRequirement(nil)";
    } else {
      List<String> items = new ArrayList<>();
      for (JsonNode r : expressions) {
        items.add("v1.LabelSelectorRequirement{Key:" + quote(Nodes.text(r, "key"))
            + ", Operator:" + quote(Nodes.text(r, "operator"))
            + ", Values:" + stringSlice(r.get("values")) + "}");
      }
      requirements = "[]v1.LabelSelectorRequirement{" + String.join(", ", items) + "}";
    }
    return new Literal("v1.LabelSelector{MatchLabels:" + stringMap(selector.get("matchLabels"))
        + ", MatchExpressions:" + requirements + "}");
  }

  /**
   * A []metav1.OwnerReference as {@code %#v} prints it; Go prints pointer addresses, which no
   * client can rely on, so set pointers show a fixed one.
   */
  static Literal ownerReferences(JsonNode refs) {
    List<String> items = new ArrayList<>();
    for (JsonNode r : refs) {
      items.add("v1.OwnerReference{APIVersion:" + quote(Nodes.text(r, "apiVersion"))
          + ", Kind:" + quote(Nodes.text(r, "kind")) + ", Name:" + quote(Nodes.text(r, "name"))
          + ", UID:" + quote(Nodes.text(r, "uid")) + ", Controller:" + boolPointer(r.get("controller"))
          + ", BlockOwnerDeletion:" + boolPointer(r.get("blockOwnerDeletion")) + "}");
    }
    return new Literal("[]v1.OwnerReference{" + String.join(", ", items) + "}");
  }

  private static String boolPointer(JsonNode value) {
    return Nodes.absent(value) ? "(*bool)(nil)" : "(*bool)(0xc000000000)";
  }

  /** An IntOrString prints through its String method: the text or the number, unquoted. */
  static Literal intOrString(JsonNode value) {
    return new Literal(Nodes.absent(value) ? "0" : value.asText());
  }

  /** The (protocol, port) key Kubernetes reports for duplicate Service ports. */
  static Literal servicePortKey(String protocol, long port) {
    return new Literal("core.ServicePort{Name:\"\", Protocol:" + quote(protocol)
        + ", AppProtocol:(*string)(nil), Port:" + port
        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}");
  }
}
