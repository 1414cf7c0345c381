package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.FieldPath;
import io.kubeactor.controlplane.registry.admission.GoValue;
import io.kubeactor.controlplane.registry.customresource.ValidationRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CustomResourceDefinitions (apiextensions pkg/registry/customresourcedefinition and
 * pkg/apis/apiextensions/validation): v1's defaults, the status a new definition starts with (only
 * its stored version: the naming controller accepts its names and establishes it), and the checks
 * of names, versions, schemas, subresources and printer columns, worded as upstream's.
 */
enum CustomResourceDefinitionStrategy implements ResourceStrategy {
  INSTANCE;

  private static final List<String> COLUMN_TYPES = List.of("boolean", "date", "integer", "number", "string");
  private static final List<String> COLUMN_FORMATS =
      List.of("byte", "date", "date-time", "double", "float", "int32", "int64", "password");

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public String finalizerOnDelete() {
    return CustomResource.CLEANUP_FINALIZER;
  }

  /** SetDefaults of apiextensions v1: conversion None, singular and listKind from the kind. */
  @Override
  public void applyDefaults(ResourceType type, ObjectNode crd, AdmissionSettings settings) {
    ObjectNode spec = crd.withObjectProperty("spec");
    ObjectNode conversion = spec.withObjectProperty("conversion");
    if (!conversion.has("strategy")) conversion.put("strategy", "None");
    ObjectNode names = spec.withObjectProperty("names");
    String kind = names.path("kind").asText("");
    if (!names.has("singular") && !kind.isEmpty()) names.put("singular", kind.toLowerCase());
    if (!names.has("listKind") && !kind.isEmpty()) names.put("listKind", kind + "List");
    for (JsonNode v : spec.path("versions")) {
      for (JsonNode c : v.path("additionalPrinterColumns")) {
        if (c instanceof ObjectNode column && !column.has("priority")) column.put("priority", 0);
      }
    }
  }

  /** A new definition's status: its storage version stored, no names accepted yet. */
  @Override
  public void prepareForCreate(ResourceType type, ObjectNode crd) {
    ObjectNode status = crd.putObject("status");
    status.putObject("acceptedNames").put("plural", "").put("kind", "");
    status.putArray("conditions");
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(v.path("name").asText());
        break;
      }
    }
  }

  /** A new storage version joins storedVersions, which lists every version objects may be stored at. */
  @Override
  public void completeUpdate(ObjectNode desired, ObjectNode current) {
    ArrayNode stored = desired.withObjectProperty("status").withArrayProperty("storedVersions");
    for (JsonNode v : desired.path("spec").path("versions")) {
      if (!v.path("storage").asBoolean(false)) continue;
      String name = v.path("name").asText();
      boolean listed = false;
      for (JsonNode s : stored) listed |= s.asText().equals(name);
      if (!listed) stored.add(name);
    }
  }

  @Override
  public void validate(ObjectNode crd, FieldErrors errors) {
    JsonNode spec = crd.path("spec");
    String name = crd.path("metadata").path("name").asText("");
    String required = spec.path("names").path("plural").asText("") + "." + spec.path("group").asText("");
    if (!name.equals(required)) {
      errors.invalid(FieldPath.root("metadata").child("name"), name, "must be spec.names.plural+\".\"+spec.group");
    }
    FieldPath specPath = FieldPath.root("spec");
    String group = spec.path("group").asText("");
    if (group.isEmpty()) {
      errors.required(specPath.child("group"), "");
    } else if (!Syntax.dns1123Subdomain(group).isEmpty()) {
      errors.invalid(specPath.child("group"), group, String.join(",", Syntax.dns1123Subdomain(group)));
    } else if (!group.contains(".")) {
      errors.invalid(specPath.child("group"), group, "should be a domain with at least one dot");
    }
    enumString(specPath.child("scope"), spec.path("scope").asText(""), List.of("Cluster", "Namespaced"), errors);
    versions(spec, specPath, errors);
    names(spec.path("names"), specPath.child("names"), errors);
    enumString(specPath.child("conversion").child("strategy"), spec.path("conversion").path("strategy").asText(""),
        List.of("None", "Webhook"), errors);
  }

  @Override
  public void validateUpdate(ObjectNode crd, ObjectNode old, FieldErrors errors) {
    validate(crd, errors);
    JsonNode spec = crd.path("spec");
    JsonNode oldSpec = old.path("spec");
    FieldPath specPath = FieldPath.root("spec");
    boolean established = false;
    for (JsonNode c : old.path("status").path("conditions")) {
      established |= c.path("type").asText().equals("Established") && c.path("status").asText().equals("True");
    }
    if (established) {
      immutable(specPath.child("scope"), spec.path("scope"), oldSpec.path("scope"), errors);
      immutable(specPath.child("names").child("kind"), spec.path("names").path("kind"), oldSpec.path("names").path("kind"), errors);
    }
    immutable(specPath.child("group"), spec.path("group"), oldSpec.path("group"), errors);
    immutable(specPath.child("names").child("plural"), spec.path("names").path("plural"),
        oldSpec.path("names").path("plural"), errors);
  }

  private static void immutable(FieldPath path, JsonNode value, JsonNode old, FieldErrors errors) {
    if (!value.equals(old)) errors.invalid(path, value.asText(), Syntax.FIELD_IMMUTABLE);
  }

  private static void enumString(FieldPath path, String value, List<String> accepted, FieldErrors errors) {
    if (value.isEmpty()) errors.required(path, "");
    else if (!accepted.contains(value)) errors.notSupported(path, value, accepted);
  }

  private static void versions(JsonNode spec, FieldPath specPath, FieldErrors errors) {
    JsonNode versions = spec.path("versions");
    FieldPath versionsPath = specPath.child("versions");
    Set<String> seen = new HashSet<>();
    boolean unique = true;
    int storage = 0;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      FieldPath at = new FieldPath(versionsPath.text() + "[" + i + "]");
      String name = v.path("name").asText("");
      if (v.path("storage").asBoolean(false)) storage++;
      unique &= seen.add(name);
      List<String> nameErrors = Syntax.dns1035Label(name);
      if (!nameErrors.isEmpty()) errors.invalid(at.child("name"), name, String.join(",", nameErrors));
      schema(v.path("schema").path("openAPIV3Schema"), at.child("schema").child("openAPIV3Schema"), errors);
      scale(v.path("subresources").path("scale"), at.child("subresources"), errors);
      JsonNode columns = v.path("additionalPrinterColumns");
      for (int c = 0; c < columns.size(); c++) {
        column(columns.get(c), new FieldPath(at.child("additionalPrinterColumns").text() + "[" + c + "]"), errors);
      }
    }
    Object shown = GoValue.ofJson(versions.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : versions);
    if (versions.isEmpty()) errors.invalid(versionsPath, shown, "must have exactly one version marked as storage version");
    else if (!unique) errors.invalid(versionsPath, shown, "must contain unique version names");
    if (!versions.isEmpty() && storage != 1) {
      errors.invalid(versionsPath, shown, "must have exactly one version marked as storage version");
    }
  }

  /**
   * The checks of a version's schema that every CRD meets (v1 requires one): an object at the
   * root, and a type on every specified field (structural), unless it preserves unknown fields or
   * is an int-or-string.
   */
  private static void schema(JsonNode schema, FieldPath path, FieldErrors errors) {
    if (schema.isMissingNode() || schema.isNull()) {
      errors.required(path, "schemas are required");
      return;
    }
    String type = schema.path("type").asText("");
    if (type.isEmpty()) errors.required(path.child("type"), "must not be empty at the root");
    else if (!type.equals("object")) errors.invalid(path.child("type"), type, "must be object at the root");
    if (schema.has("additionalProperties") && schema.path("properties").size() > 0
        && !(schema.get("additionalProperties").isBoolean() && schema.get("additionalProperties").asBoolean())) {
      errors.forbidden(path.child("additionalProperties"), "additionalProperties and properties are mutual exclusive");
    }
    fields(schema, path, errors);
  }

  private static void fields(JsonNode schema, FieldPath path, FieldErrors errors) {
    JsonNode rules = schema.path("x-kubernetes-validations");
    for (int i = 0; i < rules.size(); i++) {
      String rule = rules.get(i).path("rule").asText("");
      FieldPath at = new FieldPath(path.text() + ".x-kubernetes-validations[" + i + "]").child("rule");
      if (rule.isBlank()) errors.required(at, "");
      else ValidationRules.compileError(rule).ifPresent(e -> errors.invalid(at, rule, "compilation failed: " + e));
    }
    schema.path("properties").fields().forEachRemaining(p -> {
      FieldPath at = new FieldPath(path.text() + ".properties[" + p.getKey() + "]");
      typed(p.getValue(), at, "must not be empty for specified object fields", errors);
      fields(p.getValue(), at, errors);
    });
    JsonNode items = schema.get("items");
    if (items != null && items.isObject()) {
      typed(items, path.child("items"), "must not be empty for specified array items", errors);
      fields(items, path.child("items"), errors);
    } else if (schema.path("type").asText().equals("array")) {
      errors.required(path.child("items"), "must be specified");
    }
    if (schema.get("additionalProperties") instanceof ObjectNode additional) {
      fields(additional, path.child("additionalProperties"), errors);
    }
  }

  private static void typed(JsonNode schema, FieldPath path, String detail, FieldErrors errors) {
    boolean free = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        || schema.path("x-kubernetes-int-or-string").asBoolean(false);
    if (!free && schema.path("type").asText("").isEmpty()) errors.required(path.child("type"), detail);
    if (schema.path("type").asText("").equals("null")) errors.forbidden(path.child("type"), "type cannot be set to null");
  }

  private static void scale(JsonNode scale, FieldPath path, FieldErrors errors) {
    if (!scale.isObject()) return;
    jsonPathUnder(scale.path("specReplicasPath").asText(""), path.child("scale.specReplicasPath"), ".spec.", true, errors);
    jsonPathUnder(scale.path("statusReplicasPath").asText(""), path.child("scale.statusReplicasPath"), ".status.", true, errors);
    jsonPathUnder(scale.path("labelSelectorPath").asText(""), path.child("scale.labelSelectorPath"), ".status.", false, errors);
  }

  private static void jsonPathUnder(String p, FieldPath path, String prefix, boolean required, FieldErrors errors) {
    if (p.isEmpty()) {
      if (required) errors.required(path, "");
    } else if (p.charAt(0) != '.') {
      errors.invalid(path, p, "must be a simple json path starting with .");
    } else if (!p.startsWith(prefix)) {
      errors.invalid(path, p, "should be a json path under " + prefix.substring(0, prefix.length() - 1));
    }
  }

  private static void column(JsonNode c, FieldPath path, FieldErrors errors) {
    if (c.path("name").asText("").isEmpty()) errors.required(path.child("name"), "");
    String type = c.path("type").asText("");
    String types = "must be one of " + String.join(",", COLUMN_TYPES);
    if (type.isEmpty()) errors.required(path.child("type"), types);
    else if (!COLUMN_TYPES.contains(type)) errors.invalid(path.child("type"), type, types);
    String format = c.path("format").asText("");
    if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
      errors.invalid(path.child("format"), format, "must be one of " + String.join(",", COLUMN_FORMATS));
    }
    String jsonPath = c.path("jsonPath").asText("");
    if (jsonPath.isEmpty()) errors.required(path.child("JSONPath"), "");
    else if (jsonPath.charAt(0) != '.') errors.invalid(path.child("JSONPath"), jsonPath, "must be a simple json path starting with .");
  }

  private static void names(JsonNode names, FieldPath path, FieldErrors errors) {
    for (String required : List.of("plural", "singular", "kind", "listKind")) {
      if (names.path(required).asText("").isEmpty()) errors.required(path.child(required), "");
    }
    for (String label : List.of("plural", "singular")) {
      String value = names.path(label).asText("");
      if (!value.isEmpty() && !Syntax.dns1035Label(value).isEmpty()) {
        errors.invalid(path.child(label), value, String.join(",", Syntax.dns1035Label(value)));
      }
    }
    for (String mixed : List.of("kind", "listKind")) {
      String value = names.path(mixed).asText("");
      if (!value.isEmpty() && !Syntax.dns1035Label(value.toLowerCase()).isEmpty()) {
        errors.invalid(path.child(mixed), value, "may have mixed case, but should otherwise match: "
            + String.join(",", Syntax.dns1035Label(value.toLowerCase())));
      }
    }
    String kind = names.path("kind").asText("");
    if (!kind.isEmpty() && kind.equals(names.path("listKind").asText(""))) {
      errors.invalid(path.child("listKind"), kind, "kind and listKind may not be the same");
    }
    for (String list : List.of("shortNames", "categories")) {
      JsonNode values = names.path(list);
      for (int i = 0; i < values.size(); i++) {
        String value = values.get(i).asText();
        if (!Syntax.dns1035Label(value).isEmpty()) {
          errors.invalid(new FieldPath(path.child(list).text() + "[" + i + "]"), value,
              String.join(",", Syntax.dns1035Label(value)));
        }
      }
    }
  }
}
