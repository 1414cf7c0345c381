package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.kubeactor.common.Json;
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
      return n;
    } catch (JsonProcessingException e) {
      String what = yaml ? "yaml" : "json";
      throw ApiException.badRequest("couldn't get version/kind; " + what + " parse error: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }
}
