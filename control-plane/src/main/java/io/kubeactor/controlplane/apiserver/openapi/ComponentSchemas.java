package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.ModelSchema;
import io.kubeactor.controlplane.api.RequiredFields;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code components.schemas} of one OpenAPI document, generated from fabric8 model classes
 * through {@link ModelSchema}. Nested model types become named definitions referenced with
 * {@code $ref}; the scalar-like apimachinery types (Time, Quantity, IntOrString) get the
 * definitions Kubernetes serves for them. Definitions and properties carry Kubernetes' own
 * descriptions ({@link Descriptions}), for {@code kubectl explain}.
 */
final class ComponentSchemas {

  private final Map<String, ObjectNode> schemas = new TreeMap<>();

  /**
   * Defines a kind served by the document: its schema carries the group/version/kind list that
   * {@code kubectl explain} looks a resource up by.
   */
  void defineKind(Class<?> model, String group, String version, String kind) {
    String name = define(model);
    ObjectNode schema = schemas.get(name);
    ObjectNode gvk = schema.putArray("x-kubernetes-group-version-kind").addObject();
    gvk.put("group", group).put("version", version).put("kind", kind);
    sortKeys(schema);
  }

  /**
   * Defines a custom resource's kind and its list, as apiextensions-apiserver's OpenAPI builder
   * does: the CRD version's schema, with apiVersion, kind and metadata (ObjectMeta) described as in
   * every kind, under a name of the reversed group ("com.example.stable.v1.CronTab"). The refs to
   * the kind and to its list.
   */
  ObjectNode[] defineCustomKind(ResourceType type) {
    String[] labels = type.group().split("\\.");
    java.util.Collections.reverse(java.util.Arrays.asList(labels));
    String name = String.join(".", labels) + "." + type.version() + "." + type.kind();
    ObjectNode schema = type.custom().schema().raw().deepCopy();
    ObjectNode props = schema.withObjectProperty("properties");
    String typeMeta = "io.k8s.api.core.v1.Pod";
    props.set("apiVersion", describe(typed("string", null), Descriptions.of(typeMeta, "apiVersion")));
    props.set("kind", describe(typed("string", null), Descriptions.of(typeMeta, "kind")));
    props.set("metadata", describe(ref(io.fabric8.kubernetes.api.model.ObjectMeta.class), Descriptions.of(typeMeta, "metadata")));
    sortKeys(props);
    schema.putArray("x-kubernetes-group-version-kind").addObject()
        .put("group", type.group()).put("version", type.version()).put("kind", type.kind());
    sortKeys(schema);
    schemas.put(name, schema);

    ObjectNode list = Json.object();
    list.put("description", type.kind() + "List is a list of " + type.kind());
    ObjectNode listProps = list.putObject("properties");
    listProps.set("apiVersion", props.get("apiVersion").deepCopy());
    listProps.set("items", Json.object().put("description", "List of " + type.plural()
        + ". More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md")
        .put("type", "array").set("items", ref(name)));
    listProps.set("kind", props.get("kind").deepCopy());
    listProps.set("metadata", describe(ref(io.fabric8.kubernetes.api.model.ListMeta.class),
        "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"));
    list.putArray("required").add("items");
    list.put("type", "object");
    list.putArray("x-kubernetes-group-version-kind").addObject()
        .put("group", type.group()).put("version", type.version()).put("kind", type.kind() + "List");
    schemas.put(name + "List", list);
    return new ObjectNode[] {ref(name), ref(name + "List")};
  }

  /** A {@code $ref} to the definition of a model class, defining it (and what it uses) first. */
  ObjectNode ref(Class<?> model) {
    return ref(define(model));
  }

  /** A {@code $ref} to one of apimachinery's own definitions (Time, Quantity, Patch, ...). */
  ObjectNode apimachineryRef(String name) {
    return ref(defineApimachinery(name));
  }

  private static ObjectNode ref(String name) {
    return Json.object().put("$ref", "#/components/schemas/" + name);
  }

  /** The definitions in name order, as Kubernetes serves them. */
  ObjectNode toJson() {
    ObjectNode out = Json.object();
    schemas.forEach(out::set);
    return out;
  }

  private String define(Class<?> model) {
    String name = DefinitionNames.of(model);
    if (schemas.containsKey(name)) return name;
    ObjectNode schema = describe(Json.object(), Descriptions.of(name));
    schemas.put(name, schema); // before the properties, so self-references end here
    Map<String, JavaType> properties = ModelSchema.properties(ModelSchema.type(model));
    if (!properties.isEmpty()) {
      ObjectNode props = schema.putObject("properties");
      properties.forEach((field, type) -> props.set(field, describe(property(field, type), Descriptions.of(name, field))));
      List<String> required = RequiredFields.of(model).stream().filter(properties::containsKey).toList();
      if (!required.isEmpty()) {
        ArrayNode list = schema.putArray("required");
        required.forEach(list::add);
      }
    }
    schema.put("type", "object");
    return name;
  }

  /**
   * A schema with a description. A reference cannot carry one beside it in OpenAPI v3, so it is
   * wrapped in {@code allOf} as Kubernetes' v3 documents do ({@code {allOf: [{$ref}], description}}).
   */
  private static ObjectNode describe(ObjectNode schema, String description) {
    if (description == null) return schema;
    if (schema.has("$ref")) {
      ObjectNode wrapped = Json.object();
      wrapped.putArray("allOf").add(schema);
      return wrapped.put("description", description);
    }
    ObjectNode described = Json.object().put("description", description);
    described.setAll(schema);
    return described;
  }

  private ObjectNode property(String field, JavaType type) {
    // fabric8 types metav1.Time fields as plain strings; their names give them away
    if (type.getRawClass() == String.class && ModelSchema.isTimeField(field)) return apimachineryRef(DefinitionNames.TIME);
    return schema(type);
  }

  private ObjectNode schema(JavaType type) {
    if (type.isCollectionLikeType() || type.isArrayType()) {
      ObjectNode array = Json.object().put("type", "array");
      array.set("items", schema(type.getContentType()));
      return array;
    }
    if (type.isMapLikeType()) {
      ObjectNode map = Json.object().put("type", "object");
      map.set("additionalProperties", schema(type.getContentType()));
      return map;
    }
    Class<?> c = type.getRawClass();
    if (c == String.class || c == Character.class || c == char.class || c.isEnum()) return typed("string", null);
    if (c == Boolean.class || c == boolean.class) return typed("boolean", null);
    if (c == Integer.class || c == int.class || c == Short.class || c == short.class) return typed("integer", "int32");
    if (c == Long.class || c == long.class || c == BigInteger.class) return typed("integer", "int64");
    if (c == Double.class || c == double.class || c == BigDecimal.class) return typed("number", "double");
    if (c == Float.class || c == float.class) return typed("number", "float");
    if (c == Quantity.class) return apimachineryRef(DefinitionNames.QUANTITY);
    if (c == IntOrString.class) return apimachineryRef(DefinitionNames.INT_OR_STRING);
    if (c == MicroTime.class || Temporal.class.isAssignableFrom(c)) return apimachineryRef(DefinitionNames.MICRO_TIME);
    if (c == Duration.class) return typed("string", null);
    if (c == RawExtension.class) return apimachineryRef(DefinitionNames.RAW_EXTENSION);
    if (ModelSchema.isObject(type) && !c.isInterface()) return ref(define(c));
    // Object, JsonNode and the like: arbitrary JSON
    return Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
  }

  /** apimachinery's types, defined as Kubernetes' OpenAPI v3 documents define them. */
  private String defineApimachinery(String name) {
    schemas.computeIfAbsent(name, n -> describe(switch (n) {
      case DefinitionNames.TIME, DefinitionNames.MICRO_TIME -> typed("string", "date-time");
      case DefinitionNames.QUANTITY -> oneOf(Json.object(), "string", "number");
      case DefinitionNames.INT_OR_STRING -> oneOf(Json.object().put("format", "int-or-string"), "integer", "string");
      default -> Json.object().put("type", "object");
    }, Descriptions.of(n)));
    return name;
  }

  /** Quantity and IntOrString accept a number or a string, the way structural schemas mark them. */
  private static ObjectNode oneOf(ObjectNode schema, String... types) {
    ArrayNode alternatives = schema.putArray("oneOf");
    for (String t : types) alternatives.addObject().put("type", t);
    return schema.put("x-kubernetes-int-or-string", true);
  }

  private static ObjectNode typed(String type, String format) {
    ObjectNode schema = Json.object();
    if (format != null) schema.put("format", format);
    return schema.put("type", type);
  }

  private static void sortKeys(ObjectNode node) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
    node.removeAll();
    node.setAll(sorted);
  }
}
