package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.apiserver.options.QueryParameters;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * A request for a resource, parsed from its URL: the type, the namespace (null for cluster-scoped
 * types and for lists across namespaces), the object's name and subresource (null for collections),
 * the body once read, and who sent it.
 */
public record ApiRequest(
    HttpRequest http, String method, ResourceType type, String namespace, String name, String subresource,
    byte[] body, UserInfo user) {

  public Optional<String> query(String name) {
    return http.getUri().query().get(name);
  }

  /** The query parameters, read with kube-apiserver's conversion rules. */
  public QueryParameters params() {
    return new QueryParameters(http.getUri().query());
  }

  public boolean hasBody() {
    return body != null && body.length > 0;
  }

  /** The body's media type as the server parsed it (e.g. "application/json"), for the body parser. */
  public String contentType() {
    return http.entity().getContentType().mediaType().toString();
  }

  /**
   * The Content-Type header as the client sent it, "" when there is none. A value the HTTP layer
   * could not parse stays a raw header; a body without one is application/octet-stream to the HTTP
   * layer, which is read here as no header at all (kube-apiserver reads a missing one as JSON).
   */
  public String rawContentType() {
    for (HttpHeader h : http.getHeaders()) {
      if (h.is("content-type")) return h.value();
    }
    ContentType ct = http.entity().getContentType();
    if (ct.equals(ContentTypes.NO_CONTENT_TYPE) || ct.equals(ContentTypes.APPLICATION_OCTET_STREAM)) return "";
    return ct.toString();
  }

  public String header(String name) {
    return http.getHeader(name).map(h -> h.value()).orElse("");
  }

  /** The body as a JSON tree, read as JSON or YAML by its content type; malformed input is a 400. */
  public JsonNode bodyTree() {
    return BodyParser.parse(body, contentType());
  }
}
