package io.kubeactor.controlplane.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.e2e.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw HTTP to a test cluster, as a careless client sends it: any method, body, Content-Type and Accept. */
public final class FuzzHttp {

  /** One request, described as the failure report shows it. */
  public record Request(String method, String path, String contentType, String accept, byte[] body) {
    public static Request of(String method, String path, String contentType, String body) {
      return new Request(method, path, contentType, null, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    public Request withAccept(String accept) {
      return new Request(method, path, contentType, accept, body);
    }

    @Override
    public String toString() {
      return method + " " + path + (contentType == null ? "" : " [" + contentType + "]") + (accept == null ? "" : " Accept: " + accept);
    }
  }

  public record Response(int status, String body) {
    /** The body as JSON, or null when it is not JSON. */
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (Exception e) {
        return null;
      }
    }

    public String head() {
      String b = body.replaceAll("\\s+", " ");
      return b.length() <= 300 ? b : b.substring(0, 300) + "...";
    }

    /** Null when a refused request's body is a Kubernetes Status with the response's code, else what is wrong. */
    public String statusProblem() {
      JsonNode s = json();
      if (s == null || !s.isObject()) return "the body is not JSON: " + head();
      if (!"Status".equals(s.path("kind").asText())) return "the body is no Status: " + head();
      if (s.path("code").asInt() != status) return "the Status's code " + s.path("code") + " is not the HTTP status " + status;
      if (s.path("message").asText().isBlank()) return "the Status has no message";
      return null;
    }
  }

  private final TestCluster cluster;
  private final HttpClient http;
  private final String token;

  public FuzzHttp(TestCluster cluster) {
    this.cluster = cluster;
    this.http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    this.token = cluster.controlPlane().tokens().adminToken();
  }

  public Response send(Request r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.server() + r.path()))
        .timeout(Duration.ofSeconds(60))
        .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()))
        .header("Authorization", "Bearer " + token);
    if (r.contentType() != null) b.header("Content-Type", r.contentType());
    if (r.accept() != null) b.header("Accept", r.accept());
    try {
      HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(resp.statusCode(), resp.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(r + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(r + ": interrupted", e);
    }
  }

  public Response get(String path) {
    return send(Request.of("GET", path, null, null));
  }

  /** A GET that must succeed, as JSON. */
  public JsonNode getJson(String path) {
    Response r = get(path);
    if (r.status() != 200) throw new AssertionError("GET " + path + ": " + r.status() + " " + r.head());
    return r.json();
  }
}
