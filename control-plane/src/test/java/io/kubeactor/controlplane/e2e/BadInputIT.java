package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus of broken requests sent to every resource endpoint: each gets a Kubernetes Status with
 * the right code, none a 500, and the store is left exactly as it was.
 */
class BadInputIT {

  static TestCluster cluster;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  record Case(String what, String method, String path, String contentType, byte[] body, String token, int expected) {}

  @Test
  void brokenRequestsChangeNothingAndAnswerWithAStatus() throws Exception {
    String token = cluster.controlPlane().tokens().adminToken();
    List<Case> cases = new ArrayList<>();
    byte[] huge = new byte[3 * 1024 * 1024 + 10];
    java.util.Arrays.fill(huge, (byte) ' ');
    for (ResourceType t : cluster.controlPlane().registry().types().all()) {
      String coll = t.basePath() + (t.namespaced() ? "/namespaces/default/" : "/") + t.plural();
      String item = coll + "/x";
      String good = "{\"apiVersion\":\"" + t.apiVersion() + "\",\"kind\":\"" + t.kind() + "\",\"metadata\":{\"name\":\"x\"}}";
      cases.add(new Case("malformed json", "POST", coll, "application/json", "{\"kind\":".getBytes(), token, 400));
      cases.add(new Case("malformed yaml", "POST", coll, "application/yaml", "a: [b".getBytes(), token, 400));
      cases.add(new Case("not an object", "POST", coll, "application/json", "[1,2]".getBytes(), token, 400));
      cases.add(new Case("empty body", "POST", coll, "application/json", new byte[0], token, 400));
      cases.add(new Case("wrong kind", "POST", coll, "application/json",
          good.replace(t.kind(), "Nonsense").getBytes(), token, 400));
      cases.add(new Case("unknown field, strict", "POST", coll + "?fieldValidation=Strict", "application/json",
          good.replace("\"metadata\"", "\"bogus\":1,\"metadata\"").getBytes(), token, 400));
      cases.add(new Case("duplicate field", "POST", coll, "application/json",
          good.replace("\"metadata\"", "\"kind\":\"" + t.kind() + "\",\"metadata\"").getBytes(), token, 400));
      cases.add(new Case("invalid name", "POST", coll, "application/json", good.replace("\"x\"", "\"Not/A_Name\"").getBytes(), token, 422));
      cases.add(new Case("too large", "POST", coll, "application/json", huge, token, 413));
      cases.add(new Case("no token", "POST", coll, "application/json", good.getBytes(), null, 401));
      cases.add(new Case("wrong token", "POST", coll, "application/json", good.getBytes(), "nope", 401));
      cases.add(new Case("update of a missing object", "PUT", item, "application/json", good.getBytes(), token, 404));
      cases.add(new Case("patch of a missing object", "PATCH", item, "application/merge-patch+json", "{}".getBytes(), token, 404));
      cases.add(new Case("delete of a missing object", "DELETE", item, "application/json", new byte[0], token, 404));
      cases.add(new Case("unknown subresource", "GET", item + "/nonsense", "application/json", new byte[0], token, 404));
    }
    cases.add(new Case("unknown resource", "GET", "/api/v1/namespaces/default/widgets", "application/json", new byte[0], token, 404));
    cases.add(new Case("unknown group", "GET", "/apis/example.com/v1/widgets", "application/json", new byte[0], token, 404));
    cases.add(new Case("object in a missing namespace", "POST", "/api/v1/namespaces/nowhere/configmaps", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}".getBytes(), token, 404));

    long before = cluster.controlPlane().registry().cache().state().resourceVersion();
    for (Case c : cases) {
      HttpResponse<String> r = send(c);
      assertThat(r.statusCode()).as(c.what() + " " + c.method() + " " + c.path() + ": " + r.body()).isEqualTo(c.expected());
      JsonNode status = Json.MAPPER.readTree(r.body());
      assertThat(status.path("kind").asText()).as(c.what()).isEqualTo("Status");
      assertThat(status.path("code").asInt()).as(c.what()).isEqualTo(c.expected());
      assertThat(status.path("message").asText()).as(c.what()).isNotBlank();
    }
    assertThat(cluster.controlPlane().registry().cache().state().resourceVersion()).isEqualTo(before);
  }

  @Test
  void staleUpdatesConflictAndLeaveTheObjectAsItWas() throws Exception {
    String token = cluster.controlPlane().tokens().adminToken();
    String coll = "/api/v1/namespaces/default/configmaps";
    HttpResponse<String> created = send(new Case("create", "POST", coll, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"stale\"},\"data\":{\"a\":\"1\"}}".getBytes(), token, 201));
    assertThat(created.statusCode()).isEqualTo(201);
    String rv = Json.MAPPER.readTree(created.body()).at("/metadata/resourceVersion").asText();
    send(new Case("update", "PUT", coll + "/stale", "application/json",
        ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"stale\",\"resourceVersion\":\"" + rv
            + "\"},\"data\":{\"a\":\"2\"}}").getBytes(), token, 200));
    HttpResponse<String> stale = send(new Case("stale update", "PUT", coll + "/stale", "application/json",
        ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"stale\",\"resourceVersion\":\"" + rv
            + "\"},\"data\":{\"a\":\"3\"}}").getBytes(), token, 409));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(Json.MAPPER.readTree(stale.body()).path("reason").asText()).isEqualTo("Conflict");
    HttpResponse<String> now = send(new Case("get", "GET", coll + "/stale", "application/json", new byte[0], token, 200));
    assertThat(Json.MAPPER.readTree(now.body()).at("/data/a").asText()).isEqualTo("2");
  }

  private HttpResponse<String> send(Case c) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.server() + c.path()))
        .method(c.method(), c.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()))
        .header("Content-Type", c.contentType());
    if (c.token() != null) b.header("Authorization", "Bearer " + c.token());
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new AssertionError(c.what() + " " + c.method() + " " + c.path() + ": " + e, e);
    }
  }
}
