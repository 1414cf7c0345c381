package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Equality of JSON trees as values (1 equals 1L), and a short account of where two trees differ. */
final class JsonDiff {
  private JsonDiff() {}

  private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
    return a.equals(b) ? 0 : 1;
  };

  static boolean same(JsonNode a, JsonNode b) {
    if (Nodes.absent(a) || Nodes.absent(b)) return Nodes.absent(a) && Nodes.absent(b);
    return a.equals(NUMBERS_BY_VALUE, b);
  }

  /**
   * One "- path: old" / "+ path: new" pair per changed leaf. Kubernetes appends a go-cmp diff of
   * its internal types here; this says the same in JSON terms.
   */
  static String describe(JsonNode before, JsonNode after) {
    List<String> lines = new ArrayList<>();
    collect("", before, after, lines);
    return String.join("\n", lines);
  }

  private static void collect(String path, JsonNode before, JsonNode after, List<String> lines) {
    if (same(before, after)) return;
    if (before != null && after != null && before.isObject() && after.isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      before.fieldNames().forEachRemaining(fields::add);
      after.fieldNames().forEachRemaining(fields::add);
      for (String f : fields) collect(path.isEmpty() ? f : path + "." + f, before.get(f), after.get(f), lines);
      return;
    }
    if (before != null && after != null && before.isArray() && after.isArray() && before.size() == after.size()) {
      for (int i = 0; i < before.size(); i++) collect(path + "[" + i + "]", before.get(i), after.get(i), lines);
      return;
    }
    if (!Nodes.absent(before)) lines.add("-\t" + path + ": " + before);
    if (!Nodes.absent(after)) lines.add("+\t" + path + ": " + after);
  }
}
