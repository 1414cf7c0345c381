package io.kubeactor.controlplane.registry.decoding;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ModelSchema;
import io.kubeactor.controlplane.api.RequiredFields;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a JSON body against its kind's Go types, as kube-apiserver's decoder
 * (sigs.k8s.io/json over the versioned Go structs) does, without building the typed object: a
 * value of the wrong JSON type, an integer out of its Go type's range or with a fraction, bytes
 * that are not base64, a quantity, int-or-string or time that does not parse is a decoding error,
 * named as Go names it ({@code json: cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32}). The same walk collects what strict decoding reports
 * ({@code unknown field "spec.replcas"}, {@code duplicate field "spec.paused"}).
 *
 * <p>The Go types are read from the fabric8 model classes ({@link ModelSchema}): Integer is int32,
 * Long int64, and so on; the few Go types fabric8 models as plain strings (metav1.Time, []byte) are
 * named in {@link ModelSchema}. As Go, a JSON null decodes into anything; maps take any key; values
 * Kubernetes keeps as raw JSON are not looked into; an unknown field is reported and not descended
 * into.
 */
public final class TypedDecoder {
  private TypedDecoder() {}

  /** Kubernetes stops collecting strict errors at this many. */
  private static final int MAX_PROBLEMS = 100;

  /**
   * What decoding a body found: the error that stops it (null when it decodes), and the unknown and
   * duplicate fields that strict decoding reports, in document order.
   */
  public record Outcome(String error, List<String> strictProblems) {
    public boolean decodes() {
      return error == null;
    }
  }

  /**
   * Decodes a parsed body. Duplicate keys never reach it: the API server's parser refuses them (as
   * a strict decoder would; kube-apiserver only warns of them by default).
   */
  public static Outcome check(JsonNode body, Class<?> model) {
    Walk walk = new Walk();
    walk.value(body, ModelSchema.type(model), null, null);
    return new Outcome(walk.error, walk.problems.stream().limit(MAX_PROBLEMS).toList());
  }

  /**
   * The 400 kube-apiserver answers a create or update whose body does not decode into its kind:
   * {@code Deployment in version "v1" cannot be handled as a Deployment: json: ...}; nothing when
   * it decodes, the outcome (with what strict decoding reports).
   */
  public static Outcome requireDecodes(JsonNode body, Class<?> model, String kind, String version) {
    Outcome outcome = check(body, model);
    if (!outcome.decodes()) {
      throw ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": "
          + outcome.error());
    }
    return outcome;
  }

  /**
   * The 422 kube-apiserver answers a patch whose result does not decode into its kind: the patched
   * object and the decoding error, on the field "patch".
   */
  public static Outcome requirePatchResultDecodes(JsonNode patched, Class<?> model) {
    return requirePatchResultDecodes(patched, check(patched, model));
  }

  /** {@link #requirePatchResultDecodes(JsonNode, Class)} of what another decoder (a custom resource's) found. */
  public static Outcome requirePatchResultDecodes(JsonNode patched, Outcome outcome) {
    if (!outcome.decodes()) {
      String value = GoStrings.quote(Json.MAPPER.valueToTree(patched).toString());
      throw ApiException.invalid("", "", "", List.of(new ApiException.Cause("FieldValueInvalid",
          "Invalid value: " + value + ": " + outcome.error(), "patch")));
    }
    return outcome;
  }

  /**
   * Makes a body, in place, what decoding it into the typed model and encoding it again makes of it:
   * unknown fields are dropped (as under {@code fieldValidation=Ignore} or {@code Warn}), null
   * fields are dropped, and a null element of a list or value of a map becomes its type's zero
   * value ({@code {}} for a struct, {@code ""} for a string), as Go decodes it. Run on a body that
   * decodes.
   */
  public static void normalize(ObjectNode body, Class<?> model) {
    normalize(body, ModelSchema.type(model));
  }

  private static void normalize(JsonNode node, JavaType type) {
    if (node.isObject() && isModel(type)) {
      Map<String, JavaType> properties = ModelSchema.properties(type);
      ObjectNode object = (ObjectNode) node;
      object.retain(properties.keySet());
      object.properties().removeIf(field -> field.getValue().isNull());
      object.properties().forEach(field -> normalize(field.getValue(), properties.get(field.getKey())));
      // what Go always writes, it writes empty: a scalar required field left out is there as its zero value
      for (String field : RequiredFields.of(type.getRawClass())) {
        JavaType fieldType = properties.get(field);
        if (!object.has(field) && fieldType != null && isScalar(fieldType)) object.set(field, zero(fieldType));
      }
    } else if (node.isObject() && type.isMapLikeType()) {
      ObjectNode map = (ObjectNode) node;
      map.properties().forEach(entry -> {
        if (entry.getValue().isNull()) entry.setValue(zero(type.getContentType()));
        normalize(entry.getValue(), type.getContentType());
      });
    } else if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      ArrayNode list = (ArrayNode) node;
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).isNull()) list.set(i, zero(type.getContentType()));
        normalize(list.get(i), type.getContentType());
      }
    }
  }

  /** A type whose Go zero value is a string, number or boolean (models, maps and lists have none of those). */
  private static boolean isScalar(JavaType type) {
    JsonNode zero = zero(type);
    return zero.isValueNode() && !zero.isNull();
  }

  /** Go's zero value of a type, as it is written back in JSON. */
  private static JsonNode zero(JavaType type) {
    Class<?> c = type.getRawClass();
    if (isModel(type) || type.isMapLikeType()) return Json.object();
    if (type.isCollectionLikeType() || type.isArrayType()) return Json.MAPPER.createArrayNode();
    if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) return IntNode.valueOf(0);
    if (c == Double.class || c == double.class || c == Float.class || c == float.class) return IntNode.valueOf(0);
    if (c == Boolean.class || c == boolean.class) return BooleanNode.FALSE;
    if (c == Quantity.class) return TextNode.valueOf("0");
    if (c == IntOrString.class) return IntNode.valueOf(0);
    if (c == String.class || c.isEnum()) return TextNode.valueOf("");
    return NullNode.getInstance(); // raw JSON keeps its null
  }

  /** One walk over a parsed body, in document order. */
  private static final class Walk {
    /** The JSON names of the struct fields decoded into, as Go's decoder stacks them (no indices or keys). */
    private final Deque<String> fieldStack = new ArrayDeque<>();
    /** The path strict decoding names, with indices and map keys: built only when a field is unknown. */
    private final Deque<String> strictPath = new ArrayDeque<>();
    /** The Go struct that holds the field being decoded (Go's errorContext.Struct). */
    private String struct;
    /** The first decoding error: Go keeps the first and goes on. */
    private String error;
    private final Set<String> problems = new LinkedHashSet<>(); // the strict decoder reports each message once

    /**
     * Decodes {@code node} into {@code type}; {@code owner} and {@code field} name the struct field
     * being decoded (they decide Time and []byte), null at the top.
     */
    void value(JsonNode node, JavaType type, Class<?> owner, String field) {
      if (node.isNull() || node.isMissingNode()) return; // null leaves a Go value at its zero or nil
      Class<?> c = type.getRawClass();
      if (c == Quantity.class) {
        // resource.Quantity's UnmarshalJSON parses whatever it is given, quoted or not
        fail(GoQuantities.parseError(node.isTextual() ? node.textValue().strip() : literal(node)));
      } else if (c == IntOrString.class) {
        // intstr.IntOrString: a quoted value is a string, anything else an int32
        if (!node.isTextual()) integer(node, "int32", false);
      } else if (c == MicroTime.class || Temporal.class.isAssignableFrom(c)) {
        time(node, true); // fabric8 types some MicroTimes (a Lease's renewTime) as java.time values
      } else if (isModel(type)) {
        if (node.isObject()) fields((ObjectNode) node, type);
        else mismatch(node, GoTypes.name(type, owner, field));
      } else if (type.isMapLikeType()) {
        if (node.isObject()) entries(node, type.getContentType(), owner, field);
        else mismatch(node, GoTypes.name(type, owner, field));
      } else if (type.isCollectionLikeType() || type.isArrayType()) {
        if (node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            strictPath.addLast("[" + i + "]");
            value(node.get(i), type.getContentType(), owner, field);
            strictPath.removeLast();
          }
        } else {
          mismatch(node, GoTypes.name(type, owner, field));
        }
      } else if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
        integer(node, "int32", false);
      } else if (c == Long.class || c == long.class || c == BigInteger.class) {
        integer(node, "int64", true);
      } else if (c == Double.class || c == double.class || c == Float.class || c == float.class || c == BigDecimal.class) {
        floating(node, c == Float.class || c == float.class ? "float32" : "float64");
      } else if (c == Boolean.class || c == boolean.class) {
        if (!node.isBoolean()) mismatch(node, "bool");
      } else if (c == String.class || c == Character.class || c.isEnum()) {
        if (field != null && ModelSchema.isTimeField(field)) time(node, false);
        else if (field != null && ModelSchema.isBytesField(owner, field)) bytes(node);
        else if (!node.isTextual()) mismatch(node, GoTypes.name(type, owner, field));
      } else if (c == Object.class && node.isArray() && !node.isEmpty()) {
        // Go's RawExtension keeps any JSON, but the typed model (fabric8's deserializer for an
        // embedded object, e.g. a ControllerRevision's data) reads an array only as a list of
        // Kubernetes objects: refused here, as nothing is stored that does not decode
        mismatch(node, "runtime.RawExtension (an embedded object)");
      }
      // anything else (RawExtension, Object, JsonNode, FieldsV1) is raw JSON that Go keeps as is
    }

    private void fields(ObjectNode object, JavaType type) {
      Map<String, JavaType> properties = ModelSchema.properties(type);
      Class<?> model = type.getRawClass();
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        String name = entry.getKey();
        JavaType fieldType = properties.get(name);
        strictPath.addLast(strictPath.isEmpty() ? name : "." + name);
        if (fieldType == null) {
          problems.add("unknown field " + GoStrings.quote(String.join("", strictPath)));
        } else {
          String outer = struct;
          struct = model.getSimpleName();
          fieldStack.addLast(name);
          value(entry.getValue(), fieldType, model, name);
          fieldStack.removeLast();
          struct = outer;
        }
        strictPath.removeLast();
      }
    }

    private void entries(JsonNode map, JavaType valueType, Class<?> owner, String field) {
      for (Map.Entry<String, JsonNode> entry : map.properties()) {
        strictPath.addLast(strictPath.isEmpty() ? entry.getKey() : "." + entry.getKey());
        value(entry.getValue(), valueType, owner, field);
        strictPath.removeLast();
      }
    }

    /** An int32, or an int64 when {@code wide}: Jackson keeps an integer as the smallest node that holds it. */
    private void integer(JsonNode node, String goType, boolean wide) {
      if (node.isIntegralNumber()) {
        if (!(node.isInt() || node.isShort() || (wide && node.isLong()))) mismatchValue("number " + literal(node), goType);
      } else if (node.isNumber()) {
        mismatchValue("number " + literal(node), goType);
      } else {
        mismatch(node, goType);
      }
    }

    private void floating(JsonNode node, String goType) {
      if (!node.isNumber()) {
        mismatch(node, goType);
        return;
      }
      double d = node.doubleValue();
      boolean overflows = Double.isInfinite(d) || (goType.equals("float32") && Float.isInfinite((float) d));
      if (overflows) mismatchValue("number " + literal(node), goType);
    }

    /** metav1.Time and MicroTime: a quoted RFC 3339 time. Their UnmarshalJSON reads a Go string first. */
    private void time(JsonNode node, boolean micro) {
      if (!node.isTextual()) mismatch(node, "string");
      else fail(GoTimes.parseError(node.textValue(), micro));
    }

    /** A []byte field: a base64 string (Go's standard encoding, padded). */
    private void bytes(JsonNode node) {
      if (!node.isTextual()) mismatch(node, "[]uint8");
      else fail(GoBase64.decodeError(node.textValue()));
    }

    /** Go's UnmarshalTypeError for a value of the wrong JSON type. */
    private void mismatch(JsonNode node, String goType) {
      mismatchValue(GoStrings.jsonKind(node), goType);
    }

    private void mismatchValue(String value, String goType) {
      if (fieldStack.isEmpty()) {
        fail("json: cannot unmarshal " + value + " into Go value of type " + goType);
      } else {
        fail("json: cannot unmarshal " + value + " into Go struct field " + struct + "." + String.join(".", fieldStack)
            + " of type " + goType);
      }
    }

    private void fail(String message) {
      if (message != null && error == null) error = message;
    }

    /** A scalar as a client wrote it (numbers as Go prints them in errors); "{" or "[" for the rest. */
    private static String literal(JsonNode node) {
      if (node.isNumber()) return GoStrings.number(node.asText());
      if (node.isObject()) return "{";
      if (node.isArray()) return "[";
      return node.asText();
    }
  }

  /**
   * A model class with fields of its own; one without (FieldsV1) holds free-form JSON, and so do the
   * apiextensions unions (JSONSchemaPropsOrArray, ...OrBool, ...OrStringArray), which fabric8 models
   * as beans of their alternatives but which are a schema, a list or a boolean in JSON.
   */
  static boolean isModel(JavaType type) {
    Class<?> c = type.getRawClass();
    if (c.getPackageName().startsWith("io.fabric8.kubernetes.api.model.apiextensions")
        && c.getSimpleName().startsWith("JSONSchemaPropsOr")) {
      return false;
    }
    return ModelSchema.isObject(type) && !c.isInterface() && !ModelSchema.properties(type).isEmpty();
  }

}
