package io.kubeactor.controlplane.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The errors a patch fails with, worded as the Kubernetes API server words them. */
final class PatchFailures {
  private PatchFailures() {}

  static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
  static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
  static final String BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

  /** 400: the patch itself is malformed. */
  static ApiException malformed(String message) {
    return ApiException.badRequest(message);
  }

  /**
   * 422 with Kubernetes' generic wording and no details: what a JSON patch that cannot apply (a
   * failed test, a missing path) and a list of lists answer.
   */
  static ApiException notApplicable() {
    return new ApiException(422, "Invalid", "the server rejected our request due to an error in our request",
        null, null, null, null);
  }

  /**
   * 422 for a strategic merge patch that does not fit the object (a list element without its merge
   * key, an unknown directive). Kubernetes answers these with a 500 carrying the same message; a
   * client error is the truer code.
   */
  static ApiException cannotMerge(String message) {
    return new ApiException(422, "Invalid", message, null, null, null, null);
  }

  static ApiException noMergeKey(JsonNode element, String mergeKey) {
    return cannotMerge("map: " + goValue(element) + " does not contain declared merge key: " + mergeKey);
  }

  static ApiException unknownDirective(JsonNode directive, JsonNode object) {
    return cannotMerge("unknown patch type: " + goValue(directive) + " in map: " + goValue(object));
  }

  static ApiException unsupportedMediaType(List<String> accepted) {
    return new ApiException(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: " + String.join(", ", accepted),
        null, null, null, null);
  }

    /** The Go type a decoded JSON value has, as {@code reflect.TypeOf} prints it. */
  static String goType(JsonNode node) {
    return switch (GoStrings.jsonKind(node)) {
      case "array" -> "[]interface {}";
      case "object" -> "map[string]interface {}";
      case "number" -> node.isIntegralNumber() ? "int64" : "float64";
      case "null" -> "%!s(<nil>)";
      default -> GoStrings.jsonKind(node);
    };
  }

  /** A JSON value as Go's {@code %v} prints the decoded value: {@code map[name:web port:80]}. */
  static String goValue(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return "<nil>";
    if (node.isTextual()) return node.textValue();
    if (node.isArray()) {
      StringJoiner items = new StringJoiner(" ", "[", "]");
      node.forEach(item -> items.add(goValue(item)));
      return items.toString();
    }
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      StringJoiner entries = new StringJoiner(" ", "map[", "]");
      fields.forEach(f -> entries.add(f.getKey() + ":" + goValue(f.getValue())));
      return entries.toString();
    }
    return node.asText();
  }
}
