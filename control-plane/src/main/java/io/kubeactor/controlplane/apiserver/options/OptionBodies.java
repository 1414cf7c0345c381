package io.kubeactor.controlplane.apiserver.options;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.apiserver.ApiException;
import java.util.Map;

/**
 * The body of an options kind checked as kube-apiserver decodes it into its Go struct: first the
 * kind (the meta scheme knows DeleteOptions under every version; another kind is not registered
 * there), then Go's json.Unmarshal type rules, whose first error is the message of a 400.
 */
final class OptionBodies {
  private OptionBodies() {}

  /** Where the meta scheme is declared, as its name appears in upstream's "not registered" errors. */
  static final String META_SCHEME = "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27";

  /** The Go types of metav1.DeleteOptions' fields, as json.Unmarshal names them in its errors. */
  private static final Map<String, String> DELETE_OPTIONS = Map.of(
      "kind", "string", "apiVersion", "string",
      "gracePeriodSeconds", "int64",
      "preconditions", "v1.Preconditions",
      "orphanDependents", "bool",
      "propagationPolicy", "v1.DeletionPropagation",
      "dryRun", "[]string",
      "ignoreStoreReadErrorWithClusterBreakingPotential", "bool");
  private static final Map<String, String> PRECONDITIONS = Map.of("uid", "types.UID", "resourceVersion", "string");

  static void checkDeleteOptions(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal " + jsonType(body)
          + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
    }
    for (String meta : new String[] {"apiVersion", "kind"}) {
      JsonNode v = body.path(meta);
      if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
        throw ApiException.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal " + jsonType(v)
            + " into Go struct field ." + meta + " of type string");
      }
    }
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("DeleteOptions")) {
      String apiVersion = body.path("apiVersion").asText("");
      throw ApiException.badRequest("no kind " + GoText.quote(kind) + " is registered for version "
          + GoText.quote(apiVersion.isEmpty() ? FieldError.META_GROUP + "/v1" : apiVersion) + " in scheme " + GoText.quote(META_SCHEME));
    }
    checkTypes(body);
  }

  /**
   * Go's json.Unmarshal type errors for DeleteOptions (unknown fields are ignored, null leaves a
   * field unset). This is the one call to replace with the shared typed decoder once it exists.
   */
  private static void checkTypes(JsonNode body) {
    var fields = body.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      String type = DELETE_OPTIONS.get(f.getKey());
      if (type == null || f.getValue().isNull()) continue;
      check(f.getValue(), type, "DeleteOptions", f.getKey());
      if (type.equals("v1.Preconditions")) {
        var pre = f.getValue().fields();
        while (pre.hasNext()) {
          var p = pre.next();
          String t = PRECONDITIONS.get(p.getKey());
          if (t != null && !p.getValue().isNull()) check(p.getValue(), t, "Preconditions", "preconditions." + p.getKey());
        }
      }
      if (type.equals("[]string")) {
        for (JsonNode e : f.getValue()) check(e, "string", "DeleteOptions", f.getKey());
      }
    }
  }

  private static void check(JsonNode v, String goType, String struct, String path) {
    boolean ok = switch (goType) {
      case "int64" -> v.isIntegralNumber() && v.canConvertToLong();
      case "bool" -> v.isBoolean();
      case "[]string" -> v.isArray();
      case "v1.Preconditions" -> v.isObject();
      default -> v.isTextual();
    };
    if (ok || v.isNull()) return;
    // Go names the literal only when it fails to fit a numeric field
    String what = v.isNumber() && goType.equals("int64") ? "number " + v.asText() : jsonType(v);
    throw ApiException.badRequest("json: cannot unmarshal " + what + " into Go struct field " + struct + "." + path + " of type " + goType);
  }

  private static String jsonType(JsonNode v) {
    if (v.isTextual()) return "string";
    if (v.isNumber()) return "number";
    if (v.isBoolean()) return "bool";
    if (v.isArray()) return "array";
    if (v.isObject()) return "object";
    return "null";
  }
}
