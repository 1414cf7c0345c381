package io.kubeactor.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/** The project's one JSON and YAML configuration, shared by every module. */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  public static final ObjectMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A typed fabric8 object as a JSON tree. */
  public static ObjectNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** A JSON tree as a typed fabric8 object. */
  public static <T> T fromTree(JsonNode tree, Class<T> type) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The object with one more field last, an array of JSON values given as their bytes (stored
   * objects, printed rows), which are copied as they are and parsed by nobody:
   * {@code {...object, "field": [a, b]}}.
   */
  public static ByteString withArray(ObjectNode object, String field, List<ByteString> elements) {
    byte[] head = bytes(object);
    ByteStringBuilder out = new ByteStringBuilder();
    out.putBytes(head, 0, head.length - 1); // all but the closing brace
    out.append(ByteString.fromString((object.isEmpty() ? "\"" : ",\"") + field + "\":["));
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) out.putByte((byte) ',');
      out.append(elements.get(i));
    }
    out.append(ByteString.fromString("]}"));
    return out.result();
  }

  public static String string(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text at a dotted path ("metadata.name"), or null. */
  public static String text(JsonNode node, String dottedPath) {
    JsonNode n = at(node, dottedPath);
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  /** The node at a dotted path, or a missing node. */
  public static JsonNode at(JsonNode node, String dottedPath) {
    JsonNode n = node;
    for (String part : dottedPath.split("\\.")) {
      if (n == null) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      n = n.path(part);
    }
    return n;
  }
}
