package io.kubeactor.controlplane.api.selector;

import io.kubeactor.controlplane.api.Syntax;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Label keys and values checked by the rules objects are validated with ({@link Syntax}), and the
 * way Go prints a {@code field.Invalid} error and an aggregate of them. Clients match on these texts, so they are
 * reproduced word for word, double spaces included.
 */
final class LabelRules {
  private LabelRules() {}

  /** What is wrong with a label key ("[prefix/]name"), or nothing: the same rules as object validation. */
  static List<String> keyErrors(String key) {
    return Syntax.qualifiedName(key);
  }

  /** What is wrong with a label value, or nothing; the empty string is a valid value. */
  static List<String> valueErrors(String value) {
    return Syntax.labelValue(value);
  }

  /**
   * A {@code field.Invalid} error as Go prints it: {@code path: Invalid value: <bad value>: detail}.
   * {@code badValue} is already rendered (a quoted string, or a Go slice literal).
   */
  static String invalid(String path, String badValue, String detail) {
    return path + ": Invalid value: " + badValue + (detail.isEmpty() ? "" : ": " + detail);
  }

  /** Go's aggregate error: one message alone, several de-duplicated inside brackets. */
  static String aggregate(List<String> messages) {
    Set<String> distinct = new LinkedHashSet<>(messages);
    return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
  }

  /** A string as Go's %q prints it. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }

  /** A string list as Go's %#v prints a []string. */
  static String goSlice(List<String> values) {
    if (values.isEmpty()) return "[]string(nil)";
    return "[]string{" + String.join(", ", values.stream().map(LabelRules::quote).toList()) + "}";
  }
}
