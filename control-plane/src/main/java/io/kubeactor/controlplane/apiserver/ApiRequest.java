package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * A request for a resource, parsed from its URL: the type, the namespace (null for cluster-scoped
 * types and for lists across namespaces), the object's name and subresource (null for collections),
 * and the body once read.
 */
public record ApiRequest(
    HttpRequest http, String method, ResourceType type, String namespace, String name, String subresource,
    byte[] body) {

  public Optional<String> query(String name) {
    return http.getUri().query().get(name);
  }

  public boolean flag(String name) {
    return query(name).map(v -> v.equals("true") || v.equals("1")).orElse(false);
  }

  public boolean dryRun() {
    return query("dryRun").map(v -> !v.isEmpty()).orElse(false);
  }

  public String contentType() {
    return http.entity().getContentType().mediaType().toString();
  }

  public String header(String name) {
    return http.getHeader(name).map(h -> h.value()).orElse("");
  }

  /** The body as a JSON tree, read as JSON or YAML by its content type; malformed input is a 400. */
  public JsonNode bodyTree() {
    return BodyParser.parse(body, contentType());
  }

  /** Whether the client asked for a server-side Table (kubectl get). */
  public boolean wantsTable() {
    return header("Accept").contains("as=Table");
  }
}
