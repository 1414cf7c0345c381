package io.kubeactor.controlplane.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.util.List;

/**
 * The bodies that carry one mutated field by each verb: the whole object (create, update, apply),
 * a JSON patch, and a merge or strategic merge patch. The value goes in as raw JSON text in place of
 * a placeholder, so literals a JSON tree cannot hold reach the server unchanged.
 */
public final class Bodies {
  private Bodies() {}

  private static final String PLACEHOLDER = "@@fuzz-value@@";
  private static final String QUOTED_PLACEHOLDER = "\"" + PLACEHOLDER + "\"";

  /** The object with the value at the path (intermediate objects and arrays made as needed). */
  public static String object(ObjectNode base, List<Object> path, String rawValue) {
    ObjectNode copy = base.deepCopy();
    put(copy, path, Json.MAPPER.getNodeFactory().textNode(PLACEHOLDER));
    return render(copy, rawValue);
  }

  /**
   * A JSON patch that sets the path: "add" on the first level the base object lacks (carrying the
   * rest of the path as nested objects), "replace" for an array element it has.
   */
  public static String jsonPatch(ObjectNode base, List<Object> path, String rawValue) {
    int firstAbsent = 0;
    JsonNode node = base;
    while (firstAbsent < path.size()) {
      JsonNode next = child(node, path.get(firstAbsent));
      if (next == null) break;
      node = next;
      firstAbsent++;
    }
    ArrayNode patch = Json.MAPPER.createArrayNode();
    ObjectNode op = patch.addObject();
    if (firstAbsent == path.size()) {
      op.put("op", path.get(path.size() - 1) instanceof Integer ? "replace" : "add");
      op.put("path", pointer(path));
      op.put("value", PLACEHOLDER);
    } else {
      op.put("op", "add");
      op.put("path", pointer(path.subList(0, firstAbsent + 1)));
      op.set("value", nested(path.subList(firstAbsent + 1, path.size())));
    }
    return render(patch, rawValue);
  }

  /**
   * A merge patch (also a valid strategic merge patch): nested objects down to the field; where the
   * path enters an array, the whole array of the base object with the element changed (a merge
   * patch replaces arrays, a strategic one merges lists by key).
   */
  public static String mergePatch(ObjectNode base, List<Object> path, String rawValue) {
    ObjectNode mutated = base.deepCopy();
    put(mutated, path, Json.MAPPER.getNodeFactory().textNode(PLACEHOLDER));
    ObjectNode patch = Json.object();
    ObjectNode at = patch;
    JsonNode source = mutated;
    for (int i = 0; i < path.size(); i++) {
      String key = (String) path.get(i);
      JsonNode value = source.get(key);
      boolean last = i == path.size() - 1;
      if (last || value.isArray()) {
        at.set(key, value.deepCopy());
        break;
      }
      at = at.putObject(key);
      source = value;
    }
    return render(patch, rawValue);
  }

  /** JSON pointer (RFC 6901) of a path. */
  public static String pointer(List<Object> path) {
    StringBuilder b = new StringBuilder();
    for (Object p : path) b.append('/').append(p.toString().replace("~", "~0").replace("/", "~1"));
    return b.toString();
  }

  private static JsonNode child(JsonNode node, Object step) {
    if (step instanceof Integer i) return node.isArray() && i < node.size() ? node.get(i) : null;
    return node.isObject() ? node.get((String) step) : null;
  }

  private static JsonNode nested(List<Object> rest) {
    if (rest.isEmpty()) return Json.MAPPER.getNodeFactory().textNode(PLACEHOLDER);
    JsonNode inner = nested(rest.subList(1, rest.size()));
    if (rest.get(0) instanceof Integer) {
      ArrayNode a = Json.MAPPER.createArrayNode();
      a.add(inner);
      return a;
    }
    ObjectNode o = Json.object();
    o.set((String) rest.get(0), inner);
    return o;
  }

  /** Sets the value at the path, making missing objects and arrays on the way. */
  static void put(JsonNode root, List<Object> path, JsonNode value) {
    JsonNode node = root;
    for (int i = 0; i < path.size(); i++) {
      Object step = path.get(i);
      boolean last = i == path.size() - 1;
      JsonNode next = last ? value : (path.get(i + 1) instanceof Integer ? Json.MAPPER.createArrayNode() : Json.object());
      if (step instanceof Integer idx) {
        ArrayNode a = (ArrayNode) node;
        if (idx < a.size()) {
          if (last || !(a.get(idx).isContainerNode())) a.set(idx, next);
        } else {
          a.add(next);
        }
        node = a.get(Math.min(idx, a.size() - 1));
      } else {
        ObjectNode o = (ObjectNode) node;
        JsonNode existing = o.get((String) step);
        if (last || existing == null || !existing.isContainerNode()) o.set((String) step, next);
        node = o.get((String) step);
      }
    }
  }

  private static String render(JsonNode tree, String rawValue) {
    String text = tree.toString();
    int at = text.indexOf(QUOTED_PLACEHOLDER);
    if (at < 0) throw new IllegalStateException("no placeholder in " + text);
    return text.substring(0, at) + rawValue + text.substring(at + QUOTED_PLACEHOLDER.length());
  }
}
