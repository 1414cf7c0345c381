package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ModelSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict field validation ({@code ?fieldValidation=Strict|Warn}): the fields of a request body that
 * decoding into the kind's typed model would drop or overwrite, named as Kubernetes' strict decoder
 * names them ({@code unknown field "spec.template.spec.containers[0].imagePullPolcy"},
 * {@code duplicate field "spec.paused"}), in document order.
 *
 * <p>As in Kubernetes, metadata and status are typed like the rest of the object; maps (labels,
 * annotations, data, resource limits, ...) take any key; values Kubernetes keeps as raw JSON
 * (RawExtension, FieldsV1, plain objects) are not looked into; an unknown field is reported once
 * and not descended into. {@link #prune} drops the unknown fields, as decoding does when the
 * request does not ask for strictness.
 */
public final class FieldValidation {
  private FieldValidation() {}

  /** Kubernetes stops collecting strict errors at this many. */
  private static final int MAX_PROBLEMS = 100;

  /** Unknown fields of a parsed body. A parsed tree has already lost its duplicate keys. */
  public static List<String> problems(JsonNode body, Class<?> model) {
    try (JsonParser parser = body.traverse(Json.MAPPER)) {
      return scan(parser, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unknown and duplicate fields of a JSON request body as received. */
  public static List<String> problems(byte[] json, Class<?> model) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      return scan(parser, model);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Drops, in place, the fields that {@link #problems} reports as unknown: what decoding into the
   * typed model does to them under {@code fieldValidation=Ignore} or {@code Warn}.
   */
  public static void prune(ObjectNode body, Class<?> model) {
    prune(body, ModelSchema.type(model));
  }

  private static List<String> scan(JsonParser parser, Class<?> model) throws IOException {
    Set<String> problems = new LinkedHashSet<>(); // the strict decoder reports each message once
    if (parser.nextToken() != null) value(parser, ModelSchema.type(model), "", problems);
    return problems.stream().limit(MAX_PROBLEMS).toList();
  }

  private static void prune(JsonNode node, JavaType type) {
    switch (shape(type, node.asToken())) {
      case FIELDS -> {
        Map<String, JavaType> properties = ModelSchema.properties(type);
        ((ObjectNode) node).retain(properties.keySet());
        node.properties().forEach(field -> prune(field.getValue(), properties.get(field.getKey())));
      }
      case ENTRIES, ELEMENTS -> node.forEach(child -> prune(child, type.getContentType()));
      case OPAQUE -> { }
    }
  }

  /** How a value is checked: decided by its model type and by the JSON that came for it. */
  private enum Shape { FIELDS, ENTRIES, ELEMENTS, OPAQUE }

  private static Shape shape(JavaType type, JsonToken start) {
    if (start == JsonToken.START_OBJECT && isModel(type)) return Shape.FIELDS;
    if (start == JsonToken.START_OBJECT && type.isMapLikeType()) return Shape.ENTRIES;
    if (start == JsonToken.START_ARRAY && (type.isCollectionLikeType() || type.isArrayType())) return Shape.ELEMENTS;
    return Shape.OPAQUE; // a scalar, free-form JSON, or a type mismatch that decoding reports
  }

  /** Checks the value at the parser's current token against {@code type}, leaving its last token current. */
  private static void value(JsonParser parser, JavaType type, String path, Set<String> problems) throws IOException {
    switch (shape(type, parser.currentToken())) {
      case FIELDS -> fields(parser, ModelSchema.properties(type), path, problems);
      case ENTRIES -> entries(parser, type.getContentType(), path, problems);
      case ELEMENTS -> {
        for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
          value(parser, type.getContentType(), path + "[" + i + "]", problems);
        }
      }
      case OPAQUE -> parser.skipChildren();
    }
  }

  private static void fields(JsonParser parser, Map<String, JavaType> properties, String path, Set<String> problems)
      throws IOException {
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      String at = child(path, name);
      parser.nextToken();
      JavaType type = properties.get(name);
      if (type == null) {
        problems.add("unknown field " + quote(at));
        parser.skipChildren();
        continue;
      }
      if (!seen.add(name)) problems.add("duplicate field " + quote(at));
      value(parser, type, at, problems);
    }
  }

  private static void entries(JsonParser parser, JavaType valueType, String path, Set<String> problems)
      throws IOException {
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String at = child(path, key);
      parser.nextToken();
      if (!seen.add(key)) problems.add("duplicate field " + quote(at));
      value(parser, valueType, at, problems);
    }
  }

  /** A model class with fields of its own; one without (FieldsV1) holds free-form JSON. */
  private static boolean isModel(JavaType type) {
    return ModelSchema.isObject(type) && !type.getRawClass().isInterface() && !ModelSchema.properties(type).isEmpty();
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Quoted as Go's %q quotes a plain field path. */
  private static String quote(String path) {
    return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
