package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.kubeactor.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;

/**
 * The v2 document as gnostic's {@code openapi.v2.Document} protobuf, the only form client-go asks
 * for ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}). It is written from the
 * same JSON tree that {@code /openapi/v2} serves as JSON, field by field with gnostic's field numbers
 * (OpenAPIv2.proto), so the two forms cannot differ. A vendor extension's value, and any other value
 * gnostic keeps as {@code Any}, is carried as YAML text: its JSON text, which is YAML.
 *
 * <p>Only what {@link SwaggerDocument} writes is known here; anything else is a programming error,
 * not something to drop silently from what kubectl reads.
 */
final class SwaggerProtobuf {

  private SwaggerProtobuf() {}

  static byte[] encode(JsonNode document) {
    Message m = new Message();
    m.string(1, document.path("swagger").asText());
    JsonNode info = document.path("info");
    m.message(2, new Message().string(1, info.path("title").asText()).string(2, info.path("version").asText()));
    Message paths = new Message();
    document.path("paths").properties().forEach(p ->
        paths.message(2, new Message().string(1, p.getKey()).message(2, pathItem(p.getValue()))));
    m.message(8, paths);
    m.message(9, named(document.path("definitions"), SwaggerProtobuf::schema));
    for (JsonNode requirement : document.path("security")) {
      Message r = new Message();
      requirement.properties().forEach(e -> r.message(1, new Message().string(1, e.getKey()).message(2, strings(e.getValue()))));
      m.message(12, r);
    }
    Message definitions = new Message();
    document.path("securityDefinitions").properties().forEach(e -> {
      JsonNode d = e.getValue();
      if (!d.path("type").asText().equals("apiKey")) throw unknown("security definition", e.getKey());
      Message apiKey = new Message().string(1, "apiKey").string(2, d.path("name").asText()).string(3, d.path("in").asText())
          .string(4, d.path("description").asText());
      definitions.message(1, new Message().string(1, e.getKey()).message(2, new Message().message(2, apiKey)));
    });
    m.message(13, definitions);
    return m.bytes().toByteArray();
  }

  private static final Map<String, Integer> OPERATIONS = Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "patch", 8);

  private static Message pathItem(JsonNode item) {
    Message m = new Message();
    item.properties().forEach(e -> {
      if (e.getKey().equals("parameters")) e.getValue().forEach(p -> m.message(9, new Message().message(1, parameter(p))));
      else if (OPERATIONS.containsKey(e.getKey())) m.message(OPERATIONS.get(e.getKey()), operation(e.getValue()));
      else throw unknown("path item", e.getKey());
    });
    return m;
  }

  private static Message operation(JsonNode op) {
    Message m = new Message();
    op.properties().forEach(e -> {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "tags" -> v.forEach(t -> m.string(1, t.asText()));
        case "description" -> m.string(3, v.asText());
        case "operationId" -> m.string(5, v.asText());
        case "produces" -> v.forEach(t -> m.string(6, t.asText()));
        case "consumes" -> v.forEach(t -> m.string(7, t.asText()));
        case "parameters" -> v.forEach(p -> m.message(8, new Message().message(1, parameter(p))));
        case "responses" -> {
          Message responses = new Message();
          v.properties().forEach(r -> {
            Message response = new Message().string(1, r.getValue().path("description").asText());
            if (r.getValue().has("schema")) response.message(2, new Message().message(1, schema(r.getValue().get("schema"))));
            responses.message(1, new Message().string(1, r.getKey()).message(2, new Message().message(1, response)));
          });
          m.message(9, responses);
        }
        case "schemes" -> v.forEach(t -> m.string(10, t.asText()));
        default -> {
          if (!e.getKey().startsWith("x-")) throw unknown("operation", e.getKey());
          m.message(13, extension(e.getKey(), v));
        }
      }
    });
    return m;
  }

  /** A Parameter: a body parameter, or a query or path one (NonBodyParameter's sub-schemas). */
  private static Message parameter(JsonNode p) {
    String in = p.path("in").asText();
    if (in.equals("body")) {
      Message body = new Message().string(1, p.path("description").asText()).string(2, p.path("name").asText())
          .string(3, in).bool(4, p.path("required").asBoolean()).message(5, schema(p.path("schema")));
      return new Message().message(1, body);
    }
    // the path sub-schema lacks allowEmptyValue, so its later fields are numbered one lower
    boolean query = in.equals("query");
    if (!query && !in.equals("path")) throw unknown("parameter location", in);
    int shift = query ? 1 : 0;
    Message sub = new Message().bool(1, p.path("required").asBoolean()).string(2, in)
        .string(3, p.path("description").asText()).string(4, p.path("name").asText())
        .string(5 + shift, p.path("type").asText()).string(6 + shift, p.path("format").asText())
        .bool(19 + shift, p.path("uniqueItems").asBoolean());
    return new Message().message(2, new Message().message(query ? 3 : 4, sub));
  }

  private static Message schema(JsonNode s) {
    Message m = new Message();
    s.properties().forEach(e -> {
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "$ref" -> m.string(1, v.asText());
        case "format" -> m.string(2, v.asText());
        case "title" -> m.string(3, v.asText());
        case "description" -> m.string(4, v.asText());
        // the value validations a custom resource's schema may carry
        case "multipleOf" -> m.number(6, v.asDouble());
        case "maximum" -> m.number(7, v.asDouble());
        case "exclusiveMaximum" -> m.bool(8, v.asBoolean());
        case "minimum" -> m.number(9, v.asDouble());
        case "exclusiveMinimum" -> m.bool(10, v.asBoolean());
        case "maxLength" -> m.int64(11, v.asLong());
        case "minLength" -> m.int64(12, v.asLong());
        case "pattern" -> m.string(13, v.asText());
        case "maxItems" -> m.int64(14, v.asLong());
        case "minItems" -> m.int64(15, v.asLong());
        case "uniqueItems" -> m.bool(16, v.asBoolean());
        case "maxProperties" -> m.int64(17, v.asLong());
        case "minProperties" -> m.int64(18, v.asLong());
        case "enum" -> v.forEach(value -> m.message(20, any(value)));
        case "example" -> m.message(30, any(v));
        case "required" -> v.forEach(r -> m.string(19, r.asText()));
        case "additionalProperties" -> m.message(21,
            v.isBoolean() ? new Message().bool(2, v.asBoolean()) : new Message().message(1, schema(v)));
        case "type" -> m.message(22, new Message().string(1, v.asText()));
        case "items" -> m.message(23, new Message().message(1, schema(v)));
        case "properties" -> m.message(25, named(v, SwaggerProtobuf::schema));
        default -> {
          if (!e.getKey().startsWith("x-")) throw unknown("schema", e.getKey());
          m.message(31, extension(e.getKey(), v));
        }
      }
    });
    return m;
  }

  /** Definitions and Properties alike: a repeated NamedSchema (name 1, value 2) in field 1. */
  private static Message named(JsonNode map, Function<JsonNode, Message> value) {
    Message m = new Message();
    map.properties().forEach(e -> m.message(1, new Message().string(1, e.getKey()).message(2, value.apply(e.getValue()))));
    return m;
  }

  /** An Any with its value as YAML text (field 2), as gnostic keeps enum values and examples. */
  private static Message any(JsonNode value) {
    return new Message().string(2, Json.string(value));
  }

  /** NamedAny: the extension's name, and its value as YAML text in Any (field 2). */
  private static Message extension(String name, JsonNode value) {
    return new Message().string(1, name).message(2, any(value));
  }

  private static Message strings(JsonNode array) {
    Message m = new Message();
    array.forEach(s -> m.string(1, s.asText()));
    return m;
  }

  private static IllegalStateException unknown(String what, String key) {
    return new IllegalStateException("the v2 document's protobuf has no field for " + what + " '" + key + "'");
  }

  /** One protobuf message being written; proto3 leaves out fields at their default (empty, false). */
  private static final class Message {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    Message string(int field, String value) {
      return value.isEmpty() ? this : write(o -> o.writeString(field, value));
    }

    Message bool(int field, boolean value) {
      return value ? write(o -> o.writeBool(field, true)) : this;
    }

    Message int64(int field, long value) {
      return value == 0 ? this : write(o -> o.writeInt64(field, value));
    }

    Message number(int field, double value) {
      return value == 0 ? this : write(o -> o.writeDouble(field, value));
    }

    Message message(int field, Message value) {
      return write(o -> o.writeBytes(field, value.bytes()));
    }

    private interface Field {
      void writeTo(CodedOutputStream out) throws IOException;
    }

    private Message write(Field field) {
      try {
        field.writeTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    ByteString bytes() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ByteString.copyFrom(buffer.toByteArray());
    }
  }
}
