package io.kubeactor.controlplane.apiserver.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a decoded protobuf message as the JSON tree Kubernetes' Go types give the same object:
 * Go's encoding/json rules ({@link GoFieldRules}) and the custom JSON of apimachinery's special
 * types (Quantity, IntOrString, Time, MicroTime, Duration, RawExtension, FieldsV1).
 */
final class MessageToJson {
  private MessageToJson() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String META = KindSchemas.META_PACKAGE + ".v1.";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final long SECOND = 1_000_000_000L;

  /** The fields of {@code message} as a JSON object; {@code path} names it in error messages. */
  static ObjectNode object(Message message, String path) {
    rejectUnknownFields(message, path);
    ObjectNode json = NODES.objectNode();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      String name = GoFieldRules.jsonName(field);
      String fieldPath = path.isEmpty() ? name : path + "." + name;
      if (field.isMapField()) {
        if (message.getRepeatedFieldCount(field) > 0) json.set(name, map(field, message, fieldPath));
      } else if (field.isRepeated()) {
        if (message.getRepeatedFieldCount(field) > 0) json.set(name, array(field, message, fieldPath));
      } else if (message.hasField(field)) {
        Object value = message.getField(field);
        if (GoFieldRules.isInlined(field)) {
          json.setAll(object((Message) value, path));
        } else if (value instanceof Message nested) {
          json.set(name, value(nested, fieldPath));
        } else if (!isZero(value) || GoFieldRules.keepsZero(field)) {
          json.set(name, scalar(field, value));
        }
      }
    }
    return json;
  }

  private static ArrayNode array(FieldDescriptor field, Message message, String path) {
    ArrayNode json = NODES.arrayNode();
    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
      Object element = message.getRepeatedField(field, i);
      json.add(element instanceof Message nested ? value(nested, path + "[" + i + "]") : scalar(field, element));
    }
    return json;
  }

  /** Map entries as an object with Go's sorted keys; every value is kept, zero or not. */
  private static ObjectNode map(FieldDescriptor field, Message message, String path) {
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    Map<String, JsonNode> entries = new TreeMap<>();
    for (Object element : (List<?>) message.getField(field)) {
      Message entry = (Message) element;
      rejectUnknownFields(entry, path);
      String key = String.valueOf(entry.getField(keyField));
      Object value = entry.getField(valueField);
      String valuePath = path + "." + key;
      entries.put(key, value instanceof Message nested ? value(nested, valuePath) : scalar(valueField, value));
    }
    ObjectNode json = NODES.objectNode();
    json.setAll(entries);
    return json;
  }

  /** A message value: apimachinery's special types have their own JSON, the rest are objects. */
  private static JsonNode value(Message message, String path) {
    rejectUnknownFields(message, path);
    String type = message.getDescriptorForType().getFullName();
    return switch (type) {
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" ->
          NODES.textNode(has(message, "string") ? text(message, "string") : "0");
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> number(message, "type") == 1
          ? NODES.textNode(text(message, "strVal"))
          : NODES.numberNode((int) number(message, "intVal"));
      case META + "Time" -> time(message, TIME, path);
      case META + "MicroTime" -> time(message, MICRO_TIME, path);
      case META + "Duration" -> NODES.textNode(goDuration(number(message, "duration")));
      case META + "FieldsV1" -> embeddedJson(bytes(message, "Raw"), path);
      case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> embeddedObject(bytes(message, "raw"), path);
      default -> GoFieldRules.isStringSlice(message.getDescriptorForType())
          ? array(message.getDescriptorForType().findFieldByName("items"), message, path)
          : object(message, path);
    };
  }

  /** A zero Time is written as an empty message, which Go's JSON writes as null. */
  private static JsonNode time(Message message, DateTimeFormatter format, String path) {
    if (!has(message, "seconds") && !has(message, "nanos")) return NODES.nullNode();
    try {
      Instant instant = Instant.ofEpochSecond(number(message, "seconds"), number(message, "nanos"));
      return NODES.textNode(format.format(instant));
    } catch (DateTimeException e) {
      throw ApiException.badRequest("the time at " + path + " is out of range: " + e.getMessage());
    }
  }

  /** A RawExtension holds an embedded object as JSON or, like a body, as Kubernetes protobuf. */
  private static JsonNode embeddedObject(ByteString raw, String path) {
    if (raw.isEmpty()) return NODES.nullNode();
    if (ProtobufBodies.isProtobuf(raw.toByteArray())) return ProtobufBodies.decode(raw.toByteArray());
    return embeddedJson(raw, path);
  }

  private static JsonNode embeddedJson(ByteString raw, String path) {
    if (raw.isEmpty()) return NODES.nullNode();
    try {
      return Json.MAPPER.readTree(raw.toByteArray());
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the embedded object at " + path + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode scalar(FieldDescriptor field, Object value) {
    return switch (field.getType()) {
      case INT32, SINT32, SFIXED32 -> NODES.numberNode((Integer) value);
      case INT64, SINT64, SFIXED64 -> integer((Long) value);
      case UINT32, FIXED32 -> integer(Integer.toUnsignedLong((Integer) value));
      case UINT64, FIXED64 -> (Long) value >= 0
          ? integer((Long) value)
          : NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) value)));
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case BOOL -> NODES.booleanNode((Boolean) value);
      case STRING -> NODES.textNode((String) value);
      case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> NODES.textNode(((EnumValueDescriptor) value).getName());
      case MESSAGE, GROUP -> throw new IllegalArgumentException("not a scalar field: " + field.getFullName());
    };
  }

  /** The node Jackson's parser makes for the same number, so trees from JSON and protobuf compare equal. */
  private static JsonNode integer(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  private static boolean isZero(Object value) {
    if (value instanceof String text) return text.isEmpty();
    if (value instanceof ByteString bytes) return bytes.isEmpty();
    if (value instanceof Boolean flag) return !flag;
    if (value instanceof Number number) return number.doubleValue() == 0;
    return value instanceof EnumValueDescriptor enumValue && enumValue.getNumber() == 0;
  }

  /**
   * Protobuf skips fields it does not know; dropping them would lose what the client meant, so
   * such a body is refused and the client is asked for JSON instead.
   */
  private static void rejectUnknownFields(Message message, String path) {
    if (message.getUnknownFields().asMap().isEmpty()) return;
    int number = message.getUnknownFields().asMap().keySet().iterator().next();
    String where = path.isEmpty() ? "the object" : path;
    throw new ApiException(415, "UnsupportedMediaType",
        "protobuf field " + number + " of " + message.getDescriptorForType().getFullName() + " (in " + where
            + ") is not known to this server: send the object as application/json",
        null, null, null, null);
  }

  /** Go's time.Duration.String: "1h2m3.5s", "1.5ms", "0s". */
  static String goDuration(long nanos) {
    if (nanos == 0) return "0s";
    long magnitude = Math.abs(nanos); // Long.MIN_VALUE stays negative: read it as unsigned below
    String text;
    if (Long.compareUnsigned(magnitude, SECOND) < 0) {
      if (magnitude < 1_000) text = magnitude + "ns";
      else if (magnitude < 1_000_000) text = decimal(magnitude, 3) + "µs";
      else text = decimal(magnitude, 6) + "ms";
    } else {
      long seconds = Long.divideUnsigned(magnitude, SECOND);
      text = seconds % 60 + fraction(Long.remainderUnsigned(magnitude, SECOND), 9) + "s";
      long minutes = seconds / 60;
      if (minutes > 0) {
        text = minutes % 60 + "m" + text;
        if (minutes / 60 > 0) text = minutes / 60 + "h" + text;
      }
    }
    return nanos < 0 ? "-" + text : text;
  }

  /** {@code value / 10^digits} in decimal, without trailing zeros. */
  private static String decimal(long value, int digits) {
    long unit = (long) Math.pow(10, digits);
    return value / unit + fraction(value % unit, digits);
  }

  private static String fraction(long value, int digits) {
    if (value == 0) return "";
    String padded = String.format("%0" + digits + "d", value);
    return "." + padded.replaceAll("0+$", "");
  }

  private static boolean has(Message message, String field) {
    return message.hasField(message.getDescriptorForType().findFieldByName(field));
  }

  private static String text(Message message, String field) {
    return (String) message.getField(message.getDescriptorForType().findFieldByName(field));
  }

  private static long number(Message message, String field) {
    return ((Number) message.getField(message.getDescriptorForType().findFieldByName(field))).longValue();
  }

  private static ByteString bytes(Message message, String field) {
    return (ByteString) message.getField(message.getDescriptorForType().findFieldByName(field));
  }
}
