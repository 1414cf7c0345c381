package io.kubeactor.controlplane.apiserver.options;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.registry.decoding.TypedDecoder;

/**
 * The body of an options kind checked as kube-apiserver decodes it into its Go struct: first the
 * kind (the meta scheme knows DeleteOptions under every version; another kind is not registered
 * there), then Go's json.Unmarshal type rules, whose first error is the message of a 400.
 */
final class OptionBodies {
  private OptionBodies() {}

  /** Where the meta scheme is declared, as its name appears in upstream's "not registered" errors. */
  static final String META_SCHEME = "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27";

  static void checkDeleteOptions(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal " + GoStrings.jsonKind(body)
          + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
    }
    for (String meta : new String[] {"apiVersion", "kind"}) {
      JsonNode v = body.path(meta);
      if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
        throw ApiException.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal " + GoStrings.jsonKind(v)
            + " into Go struct field ." + meta + " of type string");
      }
    }
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("DeleteOptions")) {
      String apiVersion = body.path("apiVersion").asText("");
      throw ApiException.badRequest("no kind " + GoStrings.quote(kind) + " is registered for version "
          + GoStrings.quote(apiVersion.isEmpty() ? MediaTypes.META_GROUP + "/v1" : apiVersion) + " in scheme " + GoStrings.quote(META_SCHEME));
    }
    checkTypes(body);
  }

  /** Go's json.Unmarshal type errors for DeleteOptions: the first is the 400's whole message. */
  private static void checkTypes(JsonNode body) {
    String error = TypedDecoder.check(body, DeleteOptions.class).error();
    if (error != null) throw ApiException.badRequest(error);
  }
}
