package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import io.kubeactor.controlplane.registry.admission.GoValue;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validation of a custom resource against its CRD version's schema, worded as kube-apiserver's
 * (kube-openapi's validator, whose results apiextensions turns into field errors): {@code
 * spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer:
 * "string"}, {@code spec.image: Required value}, {@code spec.mode: Unsupported value: "x":
 * supported values: "a", "b"}, {@code spec.name: Too long: may not be more than 2 bytes}. A value of
 * the wrong type is not looked into further. apiVersion, kind and metadata at the root are the
 * registry's to check.
 */
final class SchemaValidation {
  private SchemaValidation() {}

  private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");

  static void validate(JsonNode object, StructuralSchema schema, FieldErrors errors) {
    node(object, schema, "", true, errors);
  }

  /** Whether a value passes the schema, for anyOf, oneOf and not. */
  private static boolean passes(JsonNode value, StructuralSchema s, String path) {
    FieldErrors probe = new FieldErrors();
    node(value, s, path, false, probe);
    return probe.size() == 0;
  }

  private static void node(JsonNode value, StructuralSchema s, String path, boolean resourceRoot, FieldErrors errors) {
    if (s == null) return;
    FieldPath field = new FieldPath(path);
    if (value.isNull()) {
      if (!s.nullable() && !s.type().isEmpty()) typeMismatch(field, "null", s.type(), errors);
      return;
    }
    String type = s.intOrString() ? "integer,string" : s.type();
    if (!type.isEmpty() && !hasType(value, s)) {
      typeMismatch(field, jsonType(value), type, errors);
      return;
    }
    JsonNode raw = s.raw();
    for (StructuralSchema all : s.allOf()) node(value, all, path, resourceRoot, errors);
    if (!s.anyOf().isEmpty() && s.anyOf().stream().noneMatch(any -> passes(value, any, path))) {
      errors.invalid(field, GoValue.ofJson(value), path + " in body must validate at least one schema (anyOf)");
    }
    if (!s.oneOf().isEmpty() && s.oneOf().stream().filter(one -> passes(value, one, path)).count() != 1) {
      errors.invalid(field, GoValue.ofJson(value), path + " in body must validate one and only one schema (oneOf)");
    }
    if (s.not() != null && passes(value, s.not(), path)) {
      errors.invalid(field, GoValue.ofJson(value), path + " in body must not validate the schema (not)");
    }
    if (value.isTextual()) string(value.textValue(), raw, field, errors);
    if (value.isNumber()) number(value, raw, field, errors);
    if (raw.has("enum")) {
      boolean listed = false;
      List<String> supported = new ArrayList<>();
      for (JsonNode e : raw.get("enum")) {
        listed |= sameValue(e, value);
        supported.add(e.isTextual() ? e.textValue() : e.toString());
      }
      if (!listed) errors.notSupported(field, GoValue.ofJson(value), supported);
    }
    if (value.isArray()) array(value, s, path, errors);
    if (value.isObject()) object(value, s, path, resourceRoot, errors);
  }

  private static void typeMismatch(FieldPath field, String actual, String type, FieldErrors errors) {
    errors.typeInvalid(field, actual, field.text() + " in body must be of type " + type + ": " + GoStrings.quote(actual));
  }

  private static boolean hasType(JsonNode value, StructuralSchema s) {
    if (s.intOrString()) return value.isTextual() || isInteger(value);
    return switch (s.type()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> isInteger(value);
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  /** As Go reads JSON into float64 first: 2.0 is an integer. */
  private static boolean isInteger(JsonNode value) {
    if (value.isIntegralNumber()) return true;
    if (!value.isNumber()) return false;
    BigDecimal d = value.decimalValue();
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }

  private static String jsonType(JsonNode value) {
    if (value.isTextual()) return "string";
    if (value.isBoolean()) return "boolean";
    if (value.isObject()) return "object";
    if (value.isArray()) return "array";
    if (value.isNumber()) return isInteger(value) ? "integer" : "number";
    return "null";
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
    return a.equals(b);
  }

  private static void string(String value, JsonNode raw, FieldPath field, FieldErrors errors) {
    int length = value.codePointCount(0, value.length());
    if (raw.has("maxLength") && length > raw.get("maxLength").asLong()) {
      errors.tooLong(field, raw.get("maxLength").asInt());
    }
    if (raw.has("minLength") && length < raw.get("minLength").asLong()) {
      errors.invalid(field, value, field.text() + " in body should be at least " + raw.get("minLength").asLong() + " chars long");
    }
    if (raw.has("pattern")) {
      String pattern = raw.get("pattern").asText();
      boolean matches;
      try {
        matches = Pattern.compile(pattern).matcher(value).find();
      } catch (PatternSyntaxException e) {
        matches = true; // the CRD's validation refuses such a pattern; one stored before is not applied
      }
      if (!matches) errors.invalid(field, value, field.text() + " in body should match '" + pattern + "'");
    }
  }

  private static void number(JsonNode value, JsonNode raw, FieldPath field, FieldErrors errors) {
    BigDecimal v = value.decimalValue();
    Object shown = GoValue.ofJson(value);
    if (raw.has("maximum")) {
      BigDecimal max = raw.get("maximum").decimalValue();
      boolean exclusive = raw.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? v.compareTo(max) >= 0 : v.compareTo(max) > 0) {
        errors.invalid(field, shown, field.text() + " in body should be less than " + (exclusive ? "" : "or equal to ")
            + plain(max));
      }
    }
    if (raw.has("minimum")) {
      BigDecimal min = raw.get("minimum").decimalValue();
      boolean exclusive = raw.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? v.compareTo(min) <= 0 : v.compareTo(min) < 0) {
        errors.invalid(field, shown, field.text() + " in body should be greater than " + (exclusive ? "" : "or equal to ")
            + plain(min));
      }
    }
    if (raw.has("multipleOf")) {
      BigDecimal m = raw.get("multipleOf").decimalValue();
      if (m.signum() != 0 && v.remainder(m).signum() != 0) {
        errors.invalid(field, shown, field.text() + " in body should be a multiple of " + plain(m));
      }
    }
  }

  /** As Go's %v prints a float64 that holds a whole number: without a fraction. */
  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static void array(JsonNode value, StructuralSchema s, String path, FieldErrors errors) {
    FieldPath field = new FieldPath(path);
    JsonNode raw = s.raw();
    if (raw.has("maxItems") && value.size() > raw.get("maxItems").asLong()) {
      errors.tooMany(field, value.size(), raw.get("maxItems").asInt());
    }
    if (raw.has("minItems") && value.size() < raw.get("minItems").asLong()) {
      errors.invalid(field, GoValue.ofJson(value), path + " in body should have at least " + raw.get("minItems").asLong() + " items");
    }
    if (raw.path("uniqueItems").asBoolean(false) && new HashSet<>(toList(value)).size() != value.size()) {
      errors.invalid(field, GoValue.ofJson(value), path + " in body shouldn't contain duplicates");
    }
    for (int i = 0; i < value.size(); i++) node(value.get(i), s.items(), path + "[" + i + "]", false, errors);
    listType(value, s, path, errors);
  }

  /** x-kubernetes-list-type set and map: no item twice, no two items with the same keys. */
  private static void listType(JsonNode value, StructuralSchema s, String path, FieldErrors errors) {
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      FieldPath at = new FieldPath(path + "[" + i + "]");
      if (s.listType().equals("set")) {
        if (!seen.add(item)) errors.duplicate(at, GoValue.ofJson(item));
      } else if (s.listType().equals("map")) {
        if (!item.isObject()) {
          errors.typeInvalid(at, GoValue.ofJson(item), "must be an object for an array of list-type map");
          continue;
        }
        com.fasterxml.jackson.databind.node.ObjectNode keys = io.kubeactor.common.Json.object();
        for (String k : s.listMapKeys()) {
          JsonNode v = item.get(k);
          if (v == null && s.items() != null && s.items().properties().get(k) != null) {
            v = s.items().properties().get(k).defaultValue();
          }
          if (v != null) keys.set(k, v);
        }
        if (!seen.add(keys)) errors.duplicate(at, new GoValue.Literal(keys.toString()));
      }
    }
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static void object(JsonNode value, StructuralSchema s, String path, boolean resourceRoot, FieldErrors errors) {
    FieldPath field = new FieldPath(path);
    JsonNode raw = s.raw();
    if (raw.has("maxProperties") && value.size() > raw.get("maxProperties").asLong()) {
      errors.tooMany(field, value.size(), raw.get("maxProperties").asInt());
    }
    if (raw.has("minProperties") && value.size() < raw.get("minProperties").asLong()) {
      errors.invalid(field, GoValue.ofJson(value), path + " in body should have at least "
          + raw.get("minProperties").asLong() + " properties");
    }
    for (String required : s.required()) {
      if (!value.has(required)) errors.required(new FieldPath(child(path, required)), "");
    }
    for (Map.Entry<String, JsonNode> f : value.properties()) {
      if (resourceRoot && TYPE_META.contains(f.getKey()) && !s.properties().containsKey(f.getKey())) continue;
      StructuralSchema child = s.properties().get(f.getKey());
      if (child == null) child = s.additionalProperties();
      node(f.getValue(), child, child(path, f.getKey()), child != null && child.embeddedResource(), errors);
    }
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
