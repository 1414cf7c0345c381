package io.kubeactor.controlplane.api.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a CustomResourceDefinition version's openAPIV3Schema, in the structural form
 * apiextensions requires (pkg/apiserver/schema/structural.go): the parts that say what a value is
 * (type, properties, items, additionalProperties, the x-kubernetes extensions) parsed into a tree,
 * and the raw node for the value validations (enum, limits, pattern) that read it as it is. Pruning,
 * defaulting, validation and the printed columns all walk this tree.
 */
public final class StructuralSchema {

  private final ObjectNode raw;
  private final Map<String, StructuralSchema> properties;
  private final StructuralSchema additionalProperties;
  private final StructuralSchema items;
  private final List<StructuralSchema> allOf;
  private final List<StructuralSchema> anyOf;
  private final List<StructuralSchema> oneOf;
  private final StructuralSchema not;

  private StructuralSchema(ObjectNode raw) {
    this.raw = raw;
    Map<String, StructuralSchema> props = new LinkedHashMap<>();
    raw.path("properties").fields().forEachRemaining(e -> props.put(e.getKey(), of(e.getValue())));
    this.properties = Collections.unmodifiableMap(props);
    JsonNode additional = raw.get("additionalProperties");
    // additionalProperties: true (or {}) allows any value; a schema types them
    this.additionalProperties = additional == null || additional.isBoolean() && !additional.asBoolean() ? null
        : additional.isObject() ? of(additional) : of(ANY);
    this.items = raw.get("items") instanceof ObjectNode i ? of(i) : null;
    this.allOf = list(raw.get("allOf"));
    this.anyOf = list(raw.get("anyOf"));
    this.oneOf = list(raw.get("oneOf"));
    this.not = raw.get("not") instanceof ObjectNode n ? of(n) : null;
  }

  private static final ObjectNode ANY = io.kubeactor.common.Json.object().put("x-kubernetes-preserve-unknown-fields", true);

  /** The schema of a node (an openAPIV3Schema, or any schema inside one). */
  public static StructuralSchema of(JsonNode node) {
    return new StructuralSchema(node instanceof ObjectNode o ? o : io.kubeactor.common.Json.object());
  }

  private static List<StructuralSchema> list(JsonNode node) {
    if (node == null || !node.isArray()) return List.of();
    List<StructuralSchema> out = new ArrayList<>();
    node.forEach(n -> out.add(of(n)));
    return List.copyOf(out);
  }

  public ObjectNode raw() {
    return raw;
  }

  /** "object", "array", "string", "integer", "number", "boolean", or "" (any: int-or-string, preserved). */
  public String type() {
    return raw.path("type").asText("");
  }

  public boolean nullable() {
    return raw.path("nullable").asBoolean(false);
  }

  public String format() {
    return raw.path("format").asText("");
  }

  /** The default, or null. */
  public JsonNode defaultValue() {
    return raw.get("default");
  }

  public String description() {
    return raw.path("description").asText("");
  }

  public Map<String, StructuralSchema> properties() {
    return properties;
  }

  /** The schema of a map's values, or null when the object has no additionalProperties. */
  public StructuralSchema additionalProperties() {
    return additionalProperties;
  }

  public StructuralSchema items() {
    return items;
  }

  public List<StructuralSchema> allOf() {
    return allOf;
  }

  public List<StructuralSchema> anyOf() {
    return anyOf;
  }

  public List<StructuralSchema> oneOf() {
    return oneOf;
  }

  public StructuralSchema not() {
    return not;
  }

  public boolean preservesUnknownFields() {
    return raw.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
  }

  public boolean intOrString() {
    return raw.path("x-kubernetes-int-or-string").asBoolean(false);
  }

  /** An object that is a whole Kubernetes object: apiVersion, kind and metadata are kept as at the root. */
  public boolean embeddedResource() {
    return raw.path("x-kubernetes-embedded-resource").asBoolean(false);
  }

  /** "atomic", "set", "map", or "" (atomic). */
  public String listType() {
    return raw.path("x-kubernetes-list-type").asText("");
  }

  public List<String> listMapKeys() {
    List<String> keys = new ArrayList<>();
    raw.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
    return keys;
  }

  public List<String> required() {
    List<String> out = new ArrayList<>();
    raw.path("required").forEach(r -> out.add(r.asText()));
    return out;
  }

  /** The schema of a field by a dotted path from this node ("spec.replicas"), or null. */
  public StructuralSchema at(List<String> path) {
    StructuralSchema s = this;
    for (String field : path) {
      StructuralSchema next = s.properties.get(field);
      if (next == null) next = s.additionalProperties;
      if (next == null) return null;
      s = next;
    }
    return s;
  }
}
