package io.kubeactor.controlplane.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of one kind reachable from a valid object, found by walking the kind's schema in the
 * server's own OpenAPI v3 document together with the object: the fields the object has, and the
 * schema's properties it leaves out (a few levels deep), each with the shape of value Kubernetes'
 * Go types accept there.
 */
public final class SchemaFields {
  private SchemaFields() {}

  /** What a field's Go type decodes from JSON. */
  public enum Shape {
    INT32, INT64, NUMBER, STRING, BOOLEAN, OBJECT, MAP, ARRAY,
    /** resource.Quantity: a string or number that parses as a quantity. */
    QUANTITY,
    /** intstr.IntOrString: an int32 or a string. */
    INT_OR_STRING,
    /** metav1.Time: an RFC 3339 string. */
    TIME,
    /** metav1.MicroTime: an RFC 3339 string with microseconds. */
    MICRO_TIME,
    /** []byte: a base64 string. */
    BYTES,
    /** RawExtension, preserve-unknown-fields: any JSON. */
    ANY
  }

  /** A field: its path (object keys as strings, array indices as integers) and whether the object has it. */
  public record Field(List<Object> path, Shape shape, boolean present) {
    /** "spec.template.spec.containers[0].image" */
    public String dotted() {
      StringBuilder b = new StringBuilder();
      for (Object p : path) {
        if (p instanceof Integer i) b.append('[').append(i).append(']');
        else b.append(b.isEmpty() ? "" : ".").append(p);
      }
      return b.toString();
    }
  }

  static final int MAX_DEPTH = 10;
  /** How many levels below the object's own fields the walk goes into properties it leaves out. */
  static final int MAX_ABSENT_DEPTH = 2;
  /** The key used to reach a map's values when the object's map is empty or absent. */
  static final String SYNTHETIC_KEY = "fuzz-key";

  private static final String SCHEMAS = "#/components/schemas/";

  /**
   * Every field of {@code object} reachable in the schema named {@code root} of an OpenAPI v3
   * document's {@code components.schemas}. {@code byteFields} are dotted paths ("data.*") of
   * []byte fields whose schema does not say {@code format: byte}.
   */
  public static List<Field> walk(JsonNode schemas, String root, JsonNode object, List<String> byteFields) {
    List<Field> out = new ArrayList<>();
    new Walker(schemas, byteFields, out).walk(schemas.path(root), object, new ArrayList<>(), 0, 0);
    return out;
  }

  /** The name of the schema whose x-kubernetes-group-version-kind is the given one. */
  public static String schemaOf(JsonNode schemas, String group, String version, String kind) {
    for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
        if (gvk.path("group").asText().equals(group) && gvk.path("version").asText().equals(version)
            && gvk.path("kind").asText().equals(kind)) {
          return e.getKey();
        }
      }
    }
    throw new AssertionError("no schema for " + group + "/" + version + " " + kind + " in the OpenAPI document");
  }

  private record Walker(JsonNode schemas, List<String> byteFields, List<Field> out) {

    void walk(JsonNode schema, JsonNode value, List<Object> path, int depth, int absentDepth) {
      String ref = null;
      // a reference with a description of its own is wrapped in allOf, as in Kubernetes' v3 documents
      if (schema.path("allOf").size() == 1) schema = schema.get("allOf").get(0);
      while (schema.has("$ref")) {
        ref = schema.get("$ref").asText().substring(SCHEMAS.length());
        schema = schemas.path(ref);
      }
      Shape shape = shape(ref, schema, path);
      if (!path.isEmpty()) out.add(new Field(List.copyOf(path), shape, value != null && !value.isMissingNode()));
      if (depth >= MAX_DEPTH) return;
      JsonNode present = value == null || value.isMissingNode() || value.isNull() ? null : value;
      switch (shape) {
        case OBJECT -> {
          Map<String, JsonNode> props = new TreeMap<>();
          schema.path("properties").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue()));
          props.forEach((name, child) -> descend(child, present == null ? null : present.get(name), path, name, depth, absentDepth));
        }
        case MAP -> {
          JsonNode values = schema.path("additionalProperties");
          if (present != null && present.size() > 0) {
            String key = present.fieldNames().next();
            descend(values, present.get(key), path, key, depth, absentDepth);
          } else {
            descend(values, null, path, SYNTHETIC_KEY, depth, absentDepth);
          }
        }
        case ARRAY -> descend(schema.path("items"), present != null && present.size() > 0 ? present.get(0) : null,
            path, 0, depth, absentDepth);
        default -> {}
      }
    }

    private void descend(JsonNode schema, JsonNode child, List<Object> path, Object step, int depth, int absentDepth) {
      boolean absent = child == null;
      if (absent && absentDepth >= MAX_ABSENT_DEPTH) return;
      path.add(step);
      walk(schema, child, path, depth + 1, absentDepth + (absent ? 1 : 0));
      path.remove(path.size() - 1);
    }

    private Shape shape(String ref, JsonNode schema, List<Object> path) {
      if (ref != null) {
        if (ref.endsWith("resource.Quantity")) return Shape.QUANTITY;
        if (ref.endsWith("intstr.IntOrString")) return Shape.INT_OR_STRING;
        if (ref.endsWith("meta.v1.Time")) return Shape.TIME;
        if (ref.endsWith("meta.v1.MicroTime")) return Shape.MICRO_TIME;
        if (ref.endsWith("runtime.RawExtension")) return Shape.ANY;
      }
      if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) return Shape.ANY;
      if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) return Shape.INT_OR_STRING;
      String format = schema.path("format").asText("");
      return switch (schema.path("type").asText("")) {
        case "integer" -> format.equals("int32") ? Shape.INT32 : Shape.INT64;
        case "number" -> Shape.NUMBER;
        case "boolean" -> Shape.BOOLEAN;
        case "string" -> format.equals("byte") || isByteField(path) ? Shape.BYTES
            : format.equals("date-time") ? Shape.TIME : Shape.STRING;
        case "array" -> Shape.ARRAY;
        case "object" -> schema.has("additionalProperties") && !schema.has("properties") ? Shape.MAP
            // a struct without fields in the document is raw JSON in Go (FieldsV1)
            : schema.has("properties") ? Shape.OBJECT : Shape.ANY;
        default -> Shape.ANY;
      };
    }

    /** Map values at "data" of a Secret, say: []byte in Go, a plain string in the document. */
    private boolean isByteField(List<Object> path) {
      if (path.size() < 2) return false;
      StringBuilder parent = new StringBuilder();
      for (Object p : path.subList(0, path.size() - 1)) parent.append(parent.isEmpty() ? "" : ".").append(p);
      return byteFields.contains(parent + ".*");
    }
  }
}
