package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.junit.jupiter.api.Test;

/** The discovery documents of /api and /apis, legacy and aggregated, and how a request's Accept header picks one. */
class DiscoveryTest {

  /** What client-go 1.30 to 1.33 send to /api and /apis. */
  static final String CLIENT_GO_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
      + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
  /** What client-go 1.27 to 1.29 send. */
  static final String CLIENT_GO_127_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
      + "application/json";

  static final List<ApiResource> UNSTORED =
      Stream.concat(ReviewApi.RESOURCES.stream(), MetricsApi.RESOURCES.stream()).toList();

  final Discovery discovery = new Discovery(ResourceRegistry.builtIn(), "10.0.0.1:6443", UNSTORED);

  static HttpRequest get(String path, String... headers) {
    HttpRequest request = HttpRequest.GET(path);
    // parsed as the server parses them (Accept and If-None-Match become modeled headers)
    for (int i = 0; i < headers.length; i += 2) {
      request = request.addHeader(HttpHeader.parse(headers[i], headers[i + 1]));
    }
    return request;
  }

  static String text(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().utf8String();
  }

  static JsonNode body(HttpResponse response) {
    return Json.parse(text(response).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String header(HttpResponse response, String name) {
    return response.getHeader(name).map(HttpHeader::value).orElse(null);
  }

  static JsonNode item(JsonNode list, String name) {
    return StreamSupport.stream(list.path("items").spliterator(), false)
        .filter(i -> i.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
  }

  static JsonNode resource(JsonNode version, String name) {
    return StreamSupport.stream(version.path("resources").spliterator(), false)
        .filter(r -> r.path("resource").asText().equals(name)).findFirst().orElseThrow();
  }

  static List<String> names(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
  }

  @Test
  void apisAnswersClientGoWithTheAggregatedV2DocumentOfEveryGroupButCore() {
    HttpResponse response = discovery.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT));

    assertThat(response.status().intValue()).isEqualTo(200);
    MediaType type = response.entity().getContentType().mediaType();
    assertThat(type.toString()).isEqualTo("application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList");
    assertThat(header(response, "ETag")).matches("\"[0-9A-F]{128}\"");
    assertThat(header(response, "Vary")).isEqualTo("Accept");
    assertThat(header(response, "Cache-Control")).isEqualTo("public");

    JsonNode list = body(response);
    assertThat(list.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2");
    List<String> groups = StreamSupport.stream(list.path("items").spliterator(), false)
        .map(i -> i.path("metadata").path("name").asText()).toList();
    assertThat(groups).startsWith("apps", "autoscaling").endsWith("authentication.k8s.io", "authorization.k8s.io",
        "metrics.k8s.io").doesNotContain("");

    JsonNode apps = item(list, "apps");
    assertThat(apps.path("metadata").has("creationTimestamp")).isTrue();
    assertThat(apps.path("metadata").path("creationTimestamp").isNull()).isTrue();
    JsonNode v1 = apps.path("versions").get(0);
    assertThat(v1.path("version").asText()).isEqualTo("v1");
    assertThat(v1.path("freshness").asText()).isEqualTo("Current");
    assertThat(names(v1.path("resources"), "resource"))
        .containsExactly("controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets");
    assertThat(resource(v1, "deployments")).isEqualTo(Json.parse("""
        {"resource": "deployments", "responseKind": {"group": "", "version": "", "kind": "Deployment"},
         "scope": "Namespaced", "singularResource": "deployment",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
         "shortNames": ["deploy"], "categories": ["all"],
         "subresources": [
           {"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
            "verbs": ["get", "patch", "update"]},
           {"subresource": "status", "responseKind": {"group": "", "version": "", "kind": "Deployment"},
            "verbs": ["get", "patch", "update"]}]}
        """.getBytes()));
    assertThat(resource(v1, "controllerrevisions").has("shortNames")).as("omitted when empty").isFalse();
    assertThat(resource(v1, "controllerrevisions").has("subresources")).as("omitted when empty").isFalse();

    // the preferred version first
    assertThat(names(item(list, "autoscaling").path("versions"), "version")).containsExactly("v2", "v1");
    JsonNode nodeMetrics = resource(item(list, "metrics.k8s.io").path("versions").get(0), "nodes");
    assertThat(nodeMetrics.path("scope").asText()).isEqualTo("Cluster");
    assertThat(nodeMetrics.path("responseKind").path("kind").asText()).isEqualTo("NodeMetrics");
    assertThat(Json.MAPPER.convertValue(nodeMetrics.path("verbs"), List.class)).containsExactly("get", "list");
  }

  @Test
  void apiAnswersWithTheCoreGroupAloneItsSubresourcesSortedAndTheirKinds() {
    JsonNode list = body(discovery.api(get("/api", "Accept", CLIENT_GO_ACCEPT)));

    assertThat(list.path("items")).hasSize(1);
    JsonNode core = list.path("items").get(0);
    assertThat(core.path("metadata").has("name")).isFalse();
    assertThat(names(core.path("versions"), "version")).containsExactly("v1");
    JsonNode v1 = core.path("versions").get(0);
    List<String> resources = names(v1.path("resources"), "resource");
    assertThat(resources).isSorted().contains("pods", "namespaces", "serviceaccounts");
    JsonNode pods = resource(v1, "pods");
    assertThat(pods.path("categories").get(0).asText()).isEqualTo("all");
    assertThat(names(pods.path("subresources"), "subresource"))
        .containsExactly("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "resize",
            "status");
    JsonNode eviction = pods.path("subresources").get(3);
    assertThat(eviction).isEqualTo(Json.parse("""
        {"subresource": "eviction", "responseKind": {"group": "policy", "version": "v1", "kind": "Eviction"},
         "verbs": ["create"]}""".getBytes()));
    JsonNode token = resource(v1, "serviceaccounts").path("subresources").get(0);
    assertThat(token).isEqualTo(Json.parse("""
        {"subresource": "token", "responseKind": {"group": "authentication.k8s.io", "version": "v1",
         "kind": "TokenRequest"}, "verbs": ["create"]}""".getBytes()));
    assertThat(resource(v1, "nodes").path("scope").asText()).isEqualTo("Cluster");
  }

  @Test
  void v2beta1IsTheSameDocumentUnderItsOwnVersionAndTheSameETag() {
    HttpResponse v2 = discovery.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT));
    HttpResponse v2beta1 = discovery.apis(get("/apis", "Accept", CLIENT_GO_127_ACCEPT));

    assertThat(v2beta1.entity().getContentType().mediaType().toString())
        .isEqualTo("application/json; g=apidiscovery.k8s.io; v=v2beta1; as=APIGroupDiscoveryList");
    JsonNode beta = body(v2beta1);
    assertThat(beta.path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2beta1");
    assertThat(beta.path("items")).isEqualTo(body(v2).path("items"));
    assertThat(header(v2beta1, "ETag")).isEqualTo(header(v2, "ETag"));
  }

  @Test
  void theFirstAggregatedClauseByQualityWinsAndProtobufIsPassedOver() {
    String protobufFirst = "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + CLIENT_GO_ACCEPT;
    assertThat(body(discovery.apis(get("/apis", "Accept", protobufFirst))).path("apiVersion").asText())
        .isEqualTo("apidiscovery.k8s.io/v2");
    String betaPreferred = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
    assertThat(body(discovery.apis(get("/apis", "Accept", betaPreferred))).path("apiVersion").asText())
        .isEqualTo("apidiscovery.k8s.io/v2beta1");
    HttpResponse yaml = discovery.apis(get("/apis", "Accept",
        "application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
    assertThat(yaml.entity().getContentType().mediaType().toString())
        .isEqualTo("application/yaml; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList");
    assertThat(text(yaml)).startsWith("kind: APIGroupDiscoveryList\n");
  }

  @Test
  void aMatchingIfNoneMatchIsANotModifiedWithTheSameHeaders() {
    HttpResponse first = discovery.api(get("/api", "Accept", CLIENT_GO_ACCEPT));
    String etag = header(first, "ETag");

    HttpResponse again = discovery.api(get("/api", "Accept", CLIENT_GO_ACCEPT, "If-None-Match", etag));
    assertThat(again.status().intValue()).isEqualTo(304);
    assertThat(((HttpEntity.Strict) again.entity()).getData().isEmpty()).isTrue();
    assertThat(header(again, "ETag")).isEqualTo(etag);
    assertThat(header(again, "Vary")).isEqualTo("Accept");
    assertThat(header(again, "Cache-Control")).isEqualTo("public");

    assertThat(discovery.api(get("/api", "Accept", CLIENT_GO_ACCEPT, "If-None-Match", "\"0123\"")).status().intValue())
        .isEqualTo(200);
    assertThat(header(discovery.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT)), "ETag")).as("/apis has its own")
        .isNotEqualTo(etag);
  }

  @Test
  void plainJsonAnyTypeOrNoAcceptGetTheLegacyDocuments() {
    for (String[] headers : List.of(new String[] {"Accept", "application/json"}, new String[] {"Accept", "*/*"},
        new String[] {"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}, new String[0])) {
      HttpResponse apis = discovery.apis(get("/apis", headers));
      assertThat(apis.entity().getContentType()).isEqualTo(ContentTypes.APPLICATION_JSON);
      assertThat(header(apis, "ETag")).as("no ETag on a legacy document").isNull();
      JsonNode groups = body(apis);
      assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
      assertThat(names(groups.path("groups"), "name")).contains("apps", "authentication.k8s.io", "metrics.k8s.io");

      JsonNode versions = body(discovery.api(get("/api", headers)));
      assertThat(versions.path("kind").asText()).isEqualTo("APIVersions");
      assertThat(versions.path("versions").get(0).asText()).isEqualTo("v1");
      assertThat(versions.path("serverAddressByClientCIDRs").get(0).path("serverAddress").asText())
          .isEqualTo("10.0.0.1:6443");
    }
    assertThat(text(discovery.api(get("/api", "Accept", "application/yaml")))).startsWith("kind: APIVersions\n");
  }

  @Test
  void anAcceptWithNoClauseEitherDocumentAnswersIsNotAcceptable() {
    for (String accept : List.of("text/html", "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList",
        "application/json;as=Table;v=v1;g=meta.k8s.io",
        "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")) {
      assertThatThrownBy(() -> discovery.apis(get("/apis", "Accept", accept))).as(accept)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(406));
    }
  }

  /** What client-go makes of a document (SplitGroupsAndResources) and of the legacy lists: the fields kubectl reads. */
  record Listed(String name, boolean namespaced, String group, String version, String kind, String verbs,
      String shortNames, String categories) {}

  static Listed listed(JsonNode legacy) {
    return new Listed(legacy.path("name").asText(), legacy.path("namespaced").asBoolean(),
        legacy.path("group").asText(""), legacy.path("version").asText(""), legacy.path("kind").asText(),
        legacy.path("verbs").toString(), array(legacy, "shortNames"), array(legacy, "categories"));
  }

  /** An array field as JSON text, "" when absent. */
  static String array(JsonNode node, String field) {
    return node.has(field) ? node.get(field).toString() : "";
  }

  static Map<String, List<Listed>> split(JsonNode aggregated) {
    Map<String, List<Listed>> byGroupVersion = new LinkedHashMap<>();
    for (JsonNode group : aggregated.path("items")) {
      String name = group.path("metadata").path("name").asText("");
      for (JsonNode version : group.path("versions")) {
        List<Listed> resources = new ArrayList<>();
        for (JsonNode r : version.path("resources")) {
          boolean namespaced = r.path("scope").asText().equals("Namespaced");
          JsonNode kind = r.path("responseKind");
          resources.add(new Listed(r.path("resource").asText(), namespaced, kind.path("group").asText(),
              kind.path("version").asText(), kind.path("kind").asText(), r.path("verbs").toString(),
              array(r, "shortNames"), array(r, "categories")));
          for (JsonNode s : r.path("subresources")) {
            JsonNode subKind = s.path("responseKind");
            resources.add(new Listed(r.path("resource").asText() + "/" + s.path("subresource").asText(), namespaced,
                subKind.path("group").asText(), subKind.path("version").asText(), subKind.path("kind").asText(),
                s.path("verbs").toString(), "", ""));
          }
        }
        byGroupVersion.put(ApiResource.groupVersion(name, version.path("version").asText()), resources);
      }
    }
    return byGroupVersion;
  }

  @Test
  void theAggregatedDocumentsListWhatTheLegacyListsDo() {
    Map<String, List<Listed>> aggregated = new LinkedHashMap<>();
    aggregated.putAll(split(body(discovery.api(get("/api", "Accept", CLIENT_GO_ACCEPT)))));
    aggregated.putAll(split(body(discovery.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT)))));

    Map<String, List<Listed>> legacy = new LinkedHashMap<>();
    for (JsonNode v : body(discovery.api(get("/api"))).path("versions")) {
      legacy.put(v.asText(), legacyList("", v.asText()));
    }
    for (JsonNode g : body(discovery.apis(get("/apis"))).path("groups")) {
      for (JsonNode v : g.path("versions")) {
        legacy.put(v.path("groupVersion").asText(), legacyList(g.path("name").asText(), v.path("version").asText()));
      }
    }
    assertThat(aggregated.keySet()).containsExactlyElementsOf(legacy.keySet());
    legacy.forEach((gv, resources) -> assertThat(aggregated.get(gv)).as(gv).containsExactlyElementsOf(resources));
  }

  private List<Listed> legacyList(String group, String version) {
    JsonNode list = discovery.resourceList(group, version).orElseThrow();
    return StreamSupport.stream(list.path("resources").spliterator(), false).map(DiscoveryTest::listed).toList();
  }

  @Test
  void theDocumentsFollowTheRegistryAsItGainsAndLosesKinds() {
    ResourceRegistry builtIn = ResourceRegistry.builtIn();
    ResourceType widgets = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, List.of("wd"),
        List.of(), ResourceType.ALL_VERBS, List.of("status"), null);
    List<ResourceType> types = new ArrayList<>(builtIn.all());
    Discovery changing = new Discovery(() -> types, () -> {
      Map<String, List<String>> versions = builtIn.groupVersions();
      if (types.contains(widgets)) versions.put("example.com", List.of("v1"));
      return versions;
    }, "10.0.0.1:6443", UNSTORED);
    String before = header(changing.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT)), "ETag");

    types.add(widgets);
    HttpResponse gained = changing.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT));
    assertThat(header(gained, "ETag")).isNotEqualTo(before);
    JsonNode widget = resource(item(body(gained), "example.com").path("versions").get(0), "widgets");
    assertThat(widget.path("shortNames").get(0).asText()).isEqualTo("wd");
    assertThat(changing.resourceList("example.com", "v1")).isPresent();
    assertThat(names(body(changing.apis(get("/apis"))).path("groups"), "name")).contains("example.com");
    assertThat(changing.api(get("/api", "Accept", CLIENT_GO_ACCEPT, "If-None-Match",
        header(changing.api(get("/api", "Accept", CLIENT_GO_ACCEPT)), "ETag"))).status().intValue())
        .as("the core group's document is unchanged").isEqualTo(304);

    types.remove(widgets);
    HttpResponse lost = changing.apis(get("/apis", "Accept", CLIENT_GO_ACCEPT));
    assertThat(header(lost, "ETag")).isEqualTo(before);
    assertThat(StreamSupport.stream(body(lost).path("items").spliterator(), false)
        .map(i -> i.path("metadata").path("name").asText())).doesNotContain("example.com");
    assertThat(changing.resourceList("example.com", "v1")).isEqualTo(Optional.empty());
  }
}
