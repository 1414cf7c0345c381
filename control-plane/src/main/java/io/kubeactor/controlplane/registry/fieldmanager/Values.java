package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.util.Iterator;
import java.util.Map;

/** structured-merge-diff's view of JSON values: equality with numbers by value, a total order, and how they print. */
final class Values {
  private Values() {}

  /** Equal values; an int and a long (or a float) of the same number are equal. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
        return a.longValue() == b.longValue();
      }
      return a.doubleValue() == b.doubleValue();
    }
    if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) return false;
    if (a.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!same(e.getValue(), b.get(e.getKey()))) return false;
      }
      return true;
    }
    if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.equals(b);
  }

  /** value.Compare: numbers, then strings, booleans, lists, maps, and null last. */
  static int compare(JsonNode a, JsonNode b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    return switch (ra) {
      case 0 -> a.isIntegralNumber() && b.isIntegralNumber()
          ? Long.compare(a.longValue(), b.longValue()) : Double.compare(a.doubleValue(), b.doubleValue());
      case 1 -> a.textValue().compareTo(b.textValue());
      case 2 -> Boolean.compare(a.booleanValue(), b.booleanValue());
      case 3 -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = compare(a.get(i), b.get(i));
          if (c != 0) yield c;
        }
        yield Integer.compare(a.size(), b.size());
      }
      case 4 -> a.toString().compareTo(b.toString());
      default -> 0;
    };
  }

  private static int rank(JsonNode v) {
    if (v.isNumber()) return 0;
    if (v.isTextual()) return 1;
    if (v.isBoolean()) return 2;
    if (v.isArray()) return 3;
    if (v.isObject()) return 4;
    return 5;
  }

  /** value.ToString: strings quoted as Go's %q, numbers and booleans as they are. */
  static String toGoString(JsonNode v) {
    if (v.isTextual()) return GoStrings.quote(v.textValue());
    if (v.isNull()) return "null";
    return v.toString();
  }
}
