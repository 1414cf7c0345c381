package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Small reads and writes on JSON trees with Go's zero-value view of absent fields. */
final class Nodes {
  private Nodes() {}

  static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** The field's text, or "" when absent (a Go string's zero value). */
  static String text(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return absent(n) ? "" : n.asText();
  }

  /** The field's number, or 0 when absent. */
  static long number(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return absent(n) ? 0 : n.asLong();
  }

  static boolean has(JsonNode parent, String field) {
    return parent != null && !absent(parent.get(field));
  }

  /** The child object, created empty when absent. */
  static ObjectNode object(ObjectNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n instanceof ObjectNode o) return o;
    return parent.putObject(field);
  }

  /** The child object if present, else null. */
  static ObjectNode objectOrNull(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n instanceof ObjectNode o ? o : null;
  }

  /** The objects of an array field; empty when absent. */
  static List<ObjectNode> objects(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    List<ObjectNode> out = new ArrayList<>();
    if (n instanceof ArrayNode array) {
      for (JsonNode item : array) {
        if (item instanceof ObjectNode o) out.add(o);
      }
    }
    return out;
  }

  /** Number of entries of an array or object field; 0 when absent. */
  static int size(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return absent(n) ? 0 : n.size();
  }

  static void defaultText(ObjectNode o, String field, String value) {
    if (absent(o.get(field)) || o.get(field).asText().isEmpty()) o.put(field, value);
  }

  static void defaultNumber(ObjectNode o, String field, int value) {
    if (absent(o.get(field))) o.put(field, value);
  }

  static void defaultBoolean(ObjectNode o, String field, boolean value) {
    if (absent(o.get(field))) o.put(field, value);
  }
}
