package io.kubeactor.controlplane.apiserver.decoding;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import io.kubeactor.controlplane.api.ModelSchema;
import io.kubeactor.controlplane.apiserver.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
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

  /** Decodes a parsed body. A parsed tree has already lost its duplicate keys. */
  public static Outcome check(JsonNode body, Class<?> model) {
    try (JsonParser parser = body.traverse(Json.MAPPER)) {
      return walk(parser, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes a JSON body as received, duplicate keys included. */
  public static Outcome check(byte[] json, Class<?> model) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      return walk(parser, model);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
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
    Outcome outcome = check(patched, model);
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
    } else if (node.isObject() && type.isMapLikeType()) {
      ObjectNode map = (ObjectNode) node;
      map.properties().forEach(entry -> {
        if (entry.getValue().isNull()) entry.setValue(zero(type.getContentType()));
        else normalize(entry.getValue(), type.getContentType());
      });
    } else if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      ArrayNode list = (ArrayNode) node;
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).isNull()) list.set(i, zero(type.getContentType()));
        else normalize(list.get(i), type.getContentType());
      }
    }
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

  private static Outcome walk(JsonParser parser, Class<?> model) throws IOException {
    Walk walk = new Walk(parser);
    if (parser.nextToken() != null) walk.value(ModelSchema.type(model), null, "");
    return new Outcome(walk.error, walk.problems.stream().limit(MAX_PROBLEMS).toList());
  }

  /** One walk over a body's tokens; the parser's current token is the value being decoded. */
  private static final class Walk {
    private final JsonParser parser;
    /** The JSON names of the struct fields decoded into, as Go's decoder stacks them (no indices or keys). */
    private final Deque<String> fieldStack = new ArrayDeque<>();
    /** The Go struct that holds the field being decoded (Go's errorContext.Struct). */
    private String struct;
    /** The first decoding error: Go keeps the first and goes on. */
    private String error;
    private final Set<String> problems = new LinkedHashSet<>(); // the strict decoder reports each message once

    Walk(JsonParser parser) {
      this.parser = parser;
    }

    /**
     * Decodes the current value into {@code type}; {@code field} is the property being decoded
     * when the value is a struct field (it decides Time and []byte), {@code path} the strict path.
     */
    void value(JavaType type, Field field, String path) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) return; // null leaves a Go value at its zero or nil
      Class<?> c = type.getRawClass();
      if (c == Quantity.class) {
        // resource.Quantity's UnmarshalJSON parses whatever it is given, quoted or not
        String text = token == JsonToken.VALUE_STRING ? parser.getText().strip() : literal(token);
        fail(GoQuantities.parseError(text));
      } else if (c == IntOrString.class) {
        // intstr.IntOrString: a quoted value is a string, anything else an int32
        if (token != JsonToken.VALUE_STRING) integer(token, "int32", 32);
      } else if (c == MicroTime.class || Temporal.class.isAssignableFrom(c)) {
        time(token, true); // fabric8 types some MicroTimes (a Lease's renewTime) as java.time values
      } else if (isModel(type)) {
        if (token == JsonToken.START_OBJECT) fields(type, path);
        else mismatch(token, GoTypes.name(type, field));
      } else if (type.isMapLikeType()) {
        if (token == JsonToken.START_OBJECT) entries(type.getContentType(), field, path);
        else mismatch(token, GoTypes.name(type, field));
      } else if (type.isCollectionLikeType() || type.isArrayType()) {
        if (token == JsonToken.START_ARRAY) {
          for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
            value(type.getContentType(), field, path + "[" + i + "]");
          }
        } else {
          mismatch(token, GoTypes.name(type, field));
        }
      } else if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
        integer(token, "int32", 32);
      } else if (c == Long.class || c == long.class || c == BigInteger.class) {
        integer(token, "int64", 64);
      } else if (c == Double.class || c == double.class || c == Float.class || c == float.class || c == BigDecimal.class) {
        floating(token, c == Float.class || c == float.class ? "float32" : "float64");
      } else if (c == Boolean.class || c == boolean.class) {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) mismatch(token, "bool");
      } else if (c == String.class || c == Character.class || c.isEnum()) {
        if (field != null && field.isTime()) time(token, false);
        else if (field != null && field.isBytes()) bytes(token);
        else if (token != JsonToken.VALUE_STRING) mismatch(token, GoTypes.name(type, field));
      }
      // anything else (RawExtension, Object, JsonNode, FieldsV1) is raw JSON that Go keeps as is
      parser.skipChildren();
    }

    private void fields(JavaType type, String path) throws IOException {
      Map<String, JavaType> properties = ModelSchema.properties(type);
      String goStruct = type.getRawClass().getSimpleName();
      Set<String> seen = new HashSet<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        String at = child(path, name);
        parser.nextToken();
        JavaType fieldType = properties.get(name);
        if (fieldType == null) {
          problems.add("unknown field " + GoStrings.quote(at));
          parser.skipChildren();
          continue;
        }
        if (!seen.add(name)) problems.add("duplicate field " + GoStrings.quote(at));
        String outer = struct;
        struct = goStruct;
        fieldStack.addLast(name);
        value(fieldType, new Field(type.getRawClass(), name), at);
        fieldStack.removeLast();
        struct = outer;
      }
    }

    private void entries(JavaType valueType, Field field, String path) throws IOException {
      Set<String> seen = new HashSet<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        String at = child(path, key);
        parser.nextToken();
        if (!seen.add(key)) problems.add("duplicate field " + GoStrings.quote(at));
        value(valueType, field, at);
      }
    }

    private void integer(JsonToken token, String goType, int bits) throws IOException {
      if (token == JsonToken.VALUE_NUMBER_INT) {
        // Jackson reads an integer as the smallest of int, long and BigInteger that holds it
        JsonParser.NumberType size = parser.getNumberType();
        boolean fits = size == JsonParser.NumberType.INT || (bits == 64 && size == JsonParser.NumberType.LONG);
        if (!fits) mismatchValue("number " + literal(token), goType);
      } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        mismatchValue("number " + literal(token), goType);
      } else {
        mismatch(token, goType);
      }
    }

    private void floating(JsonToken token, String goType) throws IOException {
      if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
        mismatch(token, goType);
        return;
      }
      double d = parser.getDoubleValue();
      boolean overflows = Double.isInfinite(d) || (goType.equals("float32") && Float.isInfinite((float) d));
      if (overflows) mismatchValue("number " + literal(token), goType);
    }

    /** metav1.Time and MicroTime: a quoted RFC 3339 time. Their UnmarshalJSON reads a Go string first. */
    private void time(JsonToken token, boolean micro) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        mismatch(token, "string");
        return;
      }
      fail(GoTimes.parseError(parser.getText(), micro));
    }

    /** A []byte field: a base64 string (Go's standard encoding, padded). */
    private void bytes(JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        mismatch(token, "[]uint8");
        return;
      }
      fail(GoBase64.decodeError(parser.getText()));
    }

    /** Go's UnmarshalTypeError for a value of the wrong JSON type. */
    private void mismatch(JsonToken token, String goType) {
      mismatchValue(GoStrings.jsonKind(token), goType);
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

    /** The literal of the current scalar as a client wrote it (numbers as Go prints them in errors). */
    private String literal(JsonToken token) throws IOException {
      return switch (token) {
        case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> GoStrings.number(parser.getText());
        case VALUE_STRING, VALUE_TRUE, VALUE_FALSE -> parser.getText();
        case START_OBJECT -> "{";
        case START_ARRAY -> "[";
        default -> "";
      };
    }
  }

  /** The struct field a value is decoded into: its owner class and JSON name. */
  record Field(Class<?> owner, String name) {
    boolean isTime() {
      return ModelSchema.isTimeField(name);
    }

    boolean isBytes() {
      return ModelSchema.isBytesField(owner, name);
    }
  }

  /** A model class with fields of its own; one without (FieldsV1) holds free-form JSON. */
  static boolean isModel(JavaType type) {
    return ModelSchema.isObject(type) && !type.getRawClass().isInterface() && !ModelSchema.properties(type).isEmpty();
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
