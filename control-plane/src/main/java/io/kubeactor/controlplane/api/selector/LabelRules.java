package io.kubeactor.controlplane.api.selector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for label keys and values, with the messages apimachinery v1.32 gives
 * (util/validation: IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain), and the way Go prints
 * a {@code field.Invalid} error and an aggregate of them. Clients match on these texts, so they are
 * reproduced word for word, double spaces included.
 */
final class LabelRules {
  private LabelRules() {}

  private static final String NAME_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String NAME_MESSAGE =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";
  private static final Pattern NAME = Pattern.compile(NAME_FORMAT);

  private static final String VALUE_FORMAT = "(" + NAME_FORMAT + ")?";
  private static final String VALUE_MESSAGE =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character";
  private static final Pattern VALUE = Pattern.compile(VALUE_FORMAT);

  private static final String DNS_LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN_FORMAT = DNS_LABEL_FORMAT + "(\\." + DNS_LABEL_FORMAT + ")*";
  private static final String SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character";
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FORMAT);

  private static final int NAME_MAX = 63;
  private static final int VALUE_MAX = 63;
  private static final int SUBDOMAIN_MAX = 253;

  /** What is wrong with a label key ("[prefix/]name"), or nothing. */
  static List<String> keyErrors(String key) {
    List<String> errors = new ArrayList<>();
    String[] parts = key.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errors.add("prefix part must be non-empty");
        } else {
          subdomainErrors(prefix).forEach(e -> errors.add("prefix part " + e));
        }
      }
      default -> {
        return List.of("a qualified name " + regexError(NAME_MESSAGE, NAME_FORMAT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      }
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (byteLength(name) > NAME_MAX) {
      errors.add("name part " + maxLength(NAME_MAX));
    }
    if (!NAME.matcher(name).matches()) {
      errors.add("name part " + regexError(NAME_MESSAGE, NAME_FORMAT, "MyName", "my.name", "123-abc"));
    }
    return errors;
  }

  /** What is wrong with a label value, or nothing; the empty string is a valid value. */
  static List<String> valueErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (byteLength(value) > VALUE_MAX) errors.add(maxLength(VALUE_MAX));
    if (!VALUE.matcher(value).matches()) {
      errors.add(regexError(VALUE_MESSAGE, VALUE_FORMAT, "MyValue", "my_value", "12345"));
    }
    return errors;
  }

  private static List<String> subdomainErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (byteLength(value) > SUBDOMAIN_MAX) errors.add(maxLength(SUBDOMAIN_MAX));
    if (!SUBDOMAIN.matcher(value).matches()) {
      errors.add(regexError(SUBDOMAIN_MESSAGE, SUBDOMAIN_FORMAT, "example.com"));
    }
    return errors;
  }

  // Go measures strings in bytes.
  private static int byteLength(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String maxLength(int max) {
    return "must be no more than " + max + " characters";
  }

  private static String regexError(String message, String format, String... examples) {
    StringBuilder out = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) out.append(" or ");
      out.append('\'').append(examples[i]).append("', ");
    }
    return out.append("regex used for validation is '").append(format).append("')").toString();
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
