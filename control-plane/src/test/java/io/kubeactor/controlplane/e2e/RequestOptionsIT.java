package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed request options, media types and Accept headers against a running API server: each is
 * refused with kube-apiserver's code and reason in a Status, and neither the object nor the store's
 * resourceVersion changes. What clients send keeps working.
 */
class RequestOptionsIT {

  static TestCluster cluster;
  static HttpClient http;
  static String token;

  static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
  static final String ITEM = CONFIGMAPS + "/kept";

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    token = cluster.controlPlane().tokens().adminToken();
    HttpResponse<String> created = send("POST", CONFIGMAPS, "application/json", null,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\",\"labels\":{\"app\":\"kept\"}},\"data\":{\"a\":\"1\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  record Case(String what, String method, String path, String contentType, String accept, String body, int code, String reason) {}

  @Test
  void malformedOptionsAndMediaTypesChangeNothing() throws Exception {
    String patch = "{\"data\":{\"a\":\"2\"}}";
    String update = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\"},\"data\":{\"a\":\"2\"}}";
    String create = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"new\"}}";
    List<Case> cases = new ArrayList<>(List.of(
        // DeleteOptions in the body
        new Case("grace period of the wrong type", "DELETE", ITEM, "application/json", null,
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":\"abc\"}", 400, "BadRequest"),
        new Case("unknown propagation policy", "DELETE", ITEM, "application/json", null,
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Bogus\"}", 422, "Invalid"),
        new Case("a ConfigMap as DeleteOptions", "DELETE", ITEM, "application/json", null,
            "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"kept\"}}", 400, "BadRequest"),
        new Case("unknown dry run", "DELETE", ITEM, "application/json", null, "{\"dryRun\":[\"Bogus\"]}", 422, "Invalid"),
        new Case("orphanDependents and a policy", "DELETE", ITEM, "application/json", null,
            "{\"orphanDependents\":true,\"propagationPolicy\":\"Background\"}", 422, "Invalid"),
        new Case("DeleteOptions as text", "DELETE", ITEM, "text/plain", null, "{}", 415, "UnsupportedMediaType"),
        // DeleteOptions in the query
        new Case("grace period not a number", "DELETE", ITEM + "?gracePeriodSeconds=abc", "application/json", null, "", 400, "BadRequest"),
        new Case("unknown policy in the query", "DELETE", ITEM + "?propagationPolicy=Bogus", "application/json", null, "", 422, "Invalid"),
        new Case("unknown dry run in the query", "DELETE", ITEM + "?dryRun=Bogus", "application/json", null, "", 422, "Invalid"),
        // deletecollection
        new Case("deletecollection, bad policy", "DELETE", CONFIGMAPS + "?propagationPolicy=Bogus", "application/json", null, "", 422, "Invalid"),
        new Case("deletecollection, bad body", "DELETE", CONFIGMAPS, "application/json", null,
            "{\"gracePeriodSeconds\":\"abc\"}", 400, "BadRequest"),
        new Case("deletecollection, bad selector", "DELETE", CONFIGMAPS + "?labelSelector=a%3D%3D%3Db", "application/json", null, "", 400, "BadRequest"),
        new Case("deletecollection, bad limit", "DELETE", CONFIGMAPS + "?limit=abc", "application/json", null, "", 400, "BadRequest"),
        // create, update, patch options
        new Case("fieldValidation Bogus on create", "POST", CONFIGMAPS + "?fieldValidation=Bogus", "application/json", null, create, 422, "Invalid"),
        new Case("dryRun Bogus on create", "POST", CONFIGMAPS + "?dryRun=Bogus", "application/json", null, create, 422, "Invalid"),
        new Case("fieldManager too long", "POST", CONFIGMAPS + "?fieldManager=" + "m".repeat(129), "application/json", null, create, 422, "Invalid"),
        new Case("fieldValidation Bogus on update", "PUT", ITEM + "?fieldValidation=Bogus", "application/json", null, update, 422, "Invalid"),
        new Case("fieldValidation Bogus on patch", "PATCH", ITEM + "?fieldValidation=Bogus", "application/merge-patch+json", null, patch, 422, "Invalid"),
        new Case("apply without a field manager", "PATCH", ITEM, "application/apply-patch+yaml", null, update, 422, "Invalid"),
        new Case("force on a merge patch", "PATCH", ITEM + "?force=true", "application/merge-patch+json", null, patch, 422, "Invalid"),
        // media types
        new Case("create as text", "POST", CONFIGMAPS, "text/plain", null, create, 415, "UnsupportedMediaType"),
        new Case("malformed media type", "POST", CONFIGMAPS, "application/json; charset", null, create, 415, "UnsupportedMediaType"),
        new Case("update as text", "PUT", ITEM, "text/plain", null, update, 415, "UnsupportedMediaType"),
        new Case("patch as JSON", "PATCH", ITEM, "application/json", null, patch, 415, "UnsupportedMediaType"),
        new Case("patch as text", "PATCH", ITEM, "text/plain", null, patch, 415, "UnsupportedMediaType"),
        new Case("accept nothing servable, create", "POST", CONFIGMAPS, "application/json", "application/vnd.bogus", create, 406, "NotAcceptable"),
        new Case("accept nothing servable, patch", "PATCH", ITEM, "application/merge-patch+json", "application/vnd.bogus", patch, 406, "NotAcceptable"),
        new Case("accept nothing servable, delete", "DELETE", ITEM, "application/json", "application/vnd.bogus", "", 406, "NotAcceptable"),
        // list and get
        new Case("accept nothing servable, get", "GET", ITEM, "", "application/vnd.bogus", "", 406, "NotAcceptable"),
        new Case("list with a bad resourceVersion", "GET", CONFIGMAPS + "?resourceVersion=xyz", "", null, "", 400, "BadRequest"),
        new Case("get with a bad resourceVersion", "GET", ITEM + "?resourceVersion=xyz", "", null, "", 400, "BadRequest"),
        new Case("list with a bad limit", "GET", CONFIGMAPS + "?limit=abc", "", null, "", 400, "BadRequest"),
        new Case("list with a bad continue", "GET", CONFIGMAPS + "?continue=a.b", "", null, "", 400, "BadRequest"),
        new Case("resourceVersionMatch without resourceVersion", "GET", CONFIGMAPS + "?resourceVersionMatch=NotOlderThan", "", null, "", 422, "Invalid"),
        new Case("sendInitialEvents on a list", "GET", CONFIGMAPS + "?sendInitialEvents=true", "", null, "", 422, "Invalid"),
        new Case("watch with a bad timeout", "GET", CONFIGMAPS + "?watch=1&timeoutSeconds=0.1s", "", null, "", 400, "BadRequest"),
        new Case("watch with a bad resourceVersion", "GET", CONFIGMAPS + "?watch=1&resourceVersion=-1", "", null, "", 400, "BadRequest"),
        new Case("watch with sendInitialEvents", "GET", CONFIGMAPS + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
            "", null, "", 422, "Invalid"),
        new Case("watch as YAML", "GET", CONFIGMAPS + "?watch=1", "", "application/yaml", "", 406, "NotAcceptable")));

    String before = get(ITEM).body();
    long rv = storeVersion();
    for (Case c : cases) {
      HttpResponse<String> r = send(c.method(), c.path(), c.contentType(), c.accept(), c.body());
      String where = c.what() + ": " + c.method() + " " + c.path() + " -> " + r.body();
      assertThat(r.statusCode()).as(where).isEqualTo(c.code());
      JsonNode status = Json.MAPPER.readTree(r.body());
      assertThat(status.path("kind").asText()).as(where).isEqualTo("Status");
      assertThat(status.path("reason").asText()).as(where).isEqualTo(c.reason());
      assertThat(status.path("code").asInt()).as(where).isEqualTo(c.code());
      assertThat(storeVersion()).as("the store after " + where).isEqualTo(rv);
    }
    assertThat(get(ITEM).body()).isEqualTo(before);
  }

  @Test
  void aBooleanTrueAsPythonSendsItIsAWatch() throws Exception {
    HttpResponse<String> r = send("GET", CONFIGMAPS + "?watch=True&timeoutSeconds=1&labelSelector=app%3Dkept", "", null, "");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode first = Json.MAPPER.readTree(r.body().lines().findFirst().orElseThrow());
    assertThat(first.path("type").asText()).isEqualTo("ADDED");
    assertThat(first.at("/object/metadata/name").asText()).isEqualTo("kept");
  }

  @Test
  void clientsAcceptHeadersKeepWorking() throws Exception {
    HttpResponse<String> table = send("GET", CONFIGMAPS, "", "application/json;as=Table;v=v1;g=meta.k8s.io,"
        + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", "");
    assertThat(Json.MAPPER.readTree(table.body()).path("kind").asText()).isEqualTo("Table");
    for (String accept : List.of("application/json, */*", "application/vnd.kubernetes.protobuf, */*", "*/*")) {
      HttpResponse<String> list = send("GET", CONFIGMAPS, "", accept, "");
      assertThat(list.statusCode()).as(accept).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(list.body()).path("kind").asText()).as(accept).isEqualTo("ConfigMapList");
    }
    HttpResponse<String> yaml = send("GET", ITEM, "", "application/yaml", "");
    assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(Json.YAML.readTree(yaml.body()).at("/metadata/name").asText()).isEqualTo("kept");
  }

  @Test
  void validOptionsStillDelete() throws Exception {
    send("POST", CONFIGMAPS, "application/json", null,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"goes\"}}");
    HttpResponse<String> dry = send("DELETE", CONFIGMAPS + "/goes", "application/json", null,
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"],\"propagationPolicy\":\"Background\"}");
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    assertThat(get(CONFIGMAPS + "/goes").statusCode()).isEqualTo(200);
    HttpResponse<String> gone = send("DELETE", CONFIGMAPS + "/goes?gracePeriodSeconds=0&propagationPolicy=Foreground",
        "application/json", null, "");
    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
  }

  private static long storeVersion() {
    return cluster.controlPlane().registry().cache().state().resourceVersion();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, "", null, "");
  }

  private static HttpResponse<String> send(String method, String path, String contentType, String accept, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.server() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .header("Authorization", "Bearer " + token);
    if (!contentType.isEmpty()) b.header("Content-Type", contentType);
    if (accept != null) b.header("Accept", accept);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
