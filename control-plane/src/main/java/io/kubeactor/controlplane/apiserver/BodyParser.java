package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.apiserver.protobuf.ProtobufBodies;
import java.io.IOException;

/**
 * Request bodies as JSON trees: JSON, YAML, or Kubernetes protobuf (which kubectl's typed clients
 * send), by the content type. Answers are always JSON, which every client accepts.
 */
final class BodyParser {
  private BodyParser() {}

  // numbers with a fraction or an exponent are kept exact, so a decoding error can name them as sent
  // (1e400 is not a float64 to Go, but would be Infinity to a double)
  private static final ObjectReader JSON = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final ObjectReader YAML = Json.YAML.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static JsonNode parse(byte[] body, String contentType) {
    if (body == null || body.length == 0) throw ApiException.badRequest("the request body is empty");
    if (contentType.equals(ProtobufBodies.MEDIA_TYPE)) return ProtobufBodies.decode(body);
    boolean yaml = contentType.contains("yaml");
    try {
      JsonNode n = yaml ? YAML.readTree(body) : JSON.readTree(body);
      if (n == null || n.isMissingNode()) throw ApiException.badRequest("the request body is empty");
      return withoutLoneSurrogates(n);
    } catch (JsonProcessingException e) {
      String what = yaml ? "yaml" : "json";
      throw ApiException.badRequest("couldn't get version/kind; " + what + " parse error: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }

  /**
   * Go decodes a JSON escape of half a surrogate pair ({@code "\ud800"}) as U+FFFD; Java keeps the
   * lone half, which no UTF-8 writer (the store's included) can write. Texts and keys are mended as Go
   * mends them; a body without surrogates is returned as it is.
   */
  static JsonNode withoutLoneSurrogates(JsonNode node) {
    if (node.isTextual()) {
      String text = node.textValue();
      return hasLoneSurrogate(text) ? TextNode.valueOf(mend(text)) : node;
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) array.set(i, withoutLoneSurrogates(array.get(i)));
      return node;
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      boolean badKey = false;
      for (var field : object.properties()) {
        field.setValue(withoutLoneSurrogates(field.getValue()));
        badKey |= hasLoneSurrogate(field.getKey());
      }
      if (!badKey) return node;
      ObjectNode mended = object.objectNode();
      object.properties().forEach(field -> mended.set(mend(field.getKey()), field.getValue()));
      return mended;
    }
    return node;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return true;
    }
    return false;
  }

  private static String mend(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return out.toString();
  }
}
