package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.apiserver.ProxyLocations.SchemeNamePort;
import io.kubeactor.controlplane.apiserver.ProxyLocations.Target;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class ProxyLocationsTest {

  static JsonNode json(String text) {
    return Json.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  static SchemeNamePort id(String id) {
    return SchemeNamePort.parse(id).orElseThrow();
  }

  static void assertStatus(Runnable r, int code, String message) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.getMessage()).isEqualTo(message);
      assertThat(Responses.error(e).status().intValue()).isEqualTo(code);
    });
  }

  @Test
  void namesAreSchemeNamePortAsUtilnetSplitsThem() {
    assertThat(SchemeNamePort.parse("web")).contains(new SchemeNamePort("", "web", ""));
    assertThat(SchemeNamePort.parse("web:8080")).contains(new SchemeNamePort("", "web", "8080"));
    assertThat(SchemeNamePort.parse("https:web:443")).contains(new SchemeNamePort("https", "web", "443"));
    assertThat(SchemeNamePort.parse("https:web:")).contains(new SchemeNamePort("https", "web", ""));
    assertThat(SchemeNamePort.parse("ftp:web:21")).isEmpty();
    assertThat(SchemeNamePort.parse(":80")).isEmpty();
    assertThat(SchemeNamePort.parse("a:b:c:d")).isEmpty();
  }

  static final JsonNode POD = json("""
      {"spec":{"containers":[{"name":"a"},{"name":"b","ports":[{"containerPort":8080},{"containerPort":9090}]}]},
       "status":{"podIP":"10.244.1.5"}}""");

  @Test
  void aPodsPortIsTheOneAskedForOrItsFirstDeclaredOne() {
    assertThat(ProxyLocations.pod(POD, id("web"), false)).isEqualTo(new Target("http", "10.244.1.5", 8080, Optional.empty()));
    assertThat(ProxyLocations.pod(POD, id("https:web:8443"), false))
        .isEqualTo(new Target("https", "10.244.1.5", 8443, Optional.empty()));
    JsonNode noPorts = json("{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"podIP\":\"10.244.1.5\"}}");
    assertThat(ProxyLocations.pod(noPorts, id("web"), false).authority()).isEqualTo("10.244.1.5");
  }

  @Test
  void podsWithoutAnAddressAPodMayHaveAreRefused() {
    JsonNode noIp = json("{\"spec\":{\"containers\":[]},\"status\":{}}");
    assertStatus(() -> ProxyLocations.pod(noIp, id("web:80"), false), 400, "address not allowed");
    JsonNode loopback = json("{\"spec\":{\"containers\":[]},\"status\":{\"podIP\":\"127.0.0.1\"}}");
    assertStatus(() -> ProxyLocations.pod(loopback, id("web:80"), false), 400, "address not allowed");
    assertThat(ProxyLocations.pod(loopback, id("web:80"), true).authority()).isEqualTo("127.0.0.1:80");
    JsonNode linkLocal = json("{\"spec\":{\"containers\":[]},\"status\":{\"podIP\":\"169.254.169.254\"}}");
    assertStatus(() -> ProxyLocations.pod(linkLocal, id("web:80"), true), 400, "address not allowed");
  }

  static final JsonNode SERVICE = json("""
      {"spec":{"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"metrics","port":9100}]}}""");

  static JsonNode slice(String endpoints, String ports) {
    return json("{\"endpoints\":" + endpoints + ",\"ports\":" + ports + "}");
  }

  @Test
  void aServicesPortNumberIsItsNamedEndpointPortOfAReadyEndpoint() {
    List<JsonNode> slices = List.of(slice("""
        [{"addresses":["10.244.1.5"],"conditions":{"ready":true}},
         {"addresses":["10.244.1.6"],"conditions":{"ready":false}}]""",
        "[{\"name\":\"http\",\"port\":8080},{\"name\":\"metrics\",\"port\":9100}]"));
    for (int seed = 0; seed < 10; seed++) {
      assertThat(ProxyLocations.service(SERVICE, slices, "web:80", id("web:80"), new Random(seed)))
          .isEqualTo(new Target("http", "10.244.1.5", 8080, Optional.empty()));
    }
    assertThat(ProxyLocations.service(SERVICE, slices, "https:web:metrics", id("https:web:metrics"), new Random(1)))
        .isEqualTo(new Target("https", "10.244.1.5", 9100, Optional.empty()));
  }

  @Test
  void theEndpointIsChosenAtRandomAmongTheReadyOnes() {
    // ready unset counts as ready
    List<JsonNode> slices = List.of(slice("[{\"addresses\":[\"10.244.1.5\"]}]", "[{\"name\":\"http\",\"port\":8080}]"),
        slice("[{\"addresses\":[\"10.244.2.7\"],\"conditions\":{\"ready\":true}}]", "[{\"name\":\"http\",\"port\":8080}]"));
    java.util.Set<String> chosen = new java.util.HashSet<>();
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) chosen.add(ProxyLocations.service(SERVICE, slices, "web:http", id("web:http"), random).host());
    assertThat(chosen).containsExactlyInAnyOrder("10.244.1.5", "10.244.2.7");
  }

  @Test
  void servicesWithoutEndpointsAnswer503AsUpstream() {
    assertStatus(() -> ProxyLocations.service(SERVICE, List.of(), "web", id("web"), new Random()), 503,
        "no endpoints available for service \"web\"");
    List<JsonNode> notReady = List.of(slice("[{\"addresses\":[\"10.244.1.6\"],\"conditions\":{\"ready\":false}}]",
        "[{\"name\":\"http\",\"port\":8080}]"));
    assertStatus(() -> ProxyLocations.service(SERVICE, notReady, "web:80", id("web:80"), new Random()), 503,
        "no endpoints available for service \"web\"");
    assertStatus(() -> ProxyLocations.service(SERVICE, List.of(), "web:81", id("web:81"), new Random()), 503,
        "no service port 81 found for service \"web\"");
    // endpoints there, but none with that port: the request is named
    List<JsonNode> ready = List.of(slice("[{\"addresses\":[\"10.244.1.5\"]}]", "[{\"name\":\"http\",\"port\":8080}]"));
    assertStatus(() -> ProxyLocations.service(SERVICE, ready, "web:nope", id("web:nope"), new Random()), 503,
        "no endpoints available for service \"web:nope\"");
  }

  @Test
  void aNodeIsItsAgentUnlessAnotherPortIsAskedFor() {
    AgentEndpoint agent = new AgentEndpoint("10.0.0.4", 10250);
    assertThat(ProxyLocations.node("node-1", agent, id("node-1"), false))
        .isEqualTo(new Target("https", "10.0.0.4", 10250, Optional.of("node-1")));
    assertThat(ProxyLocations.node("node-1", agent, id("node-1:10250"), false).agentOf()).contains("node-1");
    assertThat(ProxyLocations.node("node-1", agent, id("https:node-1:9100"), false))
        .isEqualTo(new Target("https", "10.0.0.4", 9100, Optional.empty()));
  }

  @Test
  void anAgentOnLoopbackIsReachedButNotOtherPortsThere() {
    // the launcher's agents listen beside the API server: kubectl get --raw /api/v1/nodes/N/proxy/metrics reaches them
    AgentEndpoint agent = new AgentEndpoint("127.0.0.1", 41234);
    assertThat(ProxyLocations.node("node-1", agent, id("node-1"), false))
        .isEqualTo(new Target("https", "127.0.0.1", 41234, Optional.of("node-1")));
    assertStatus(() -> ProxyLocations.node("node-1", agent, id("node-1:22"), false), 400, "address not allowed");
  }

  @Test
  void backendPathsAreCleanedAndKeepTheirFinalSlash() {
    assertThat(ResourceProxy.backendPath("")).isEmpty();
    assertThat(ResourceProxy.backendPath("/")).isEqualTo("/");
    assertThat(ResourceProxy.backendPath("/a//b/../c/")).isEqualTo("/a/c/");
    assertThat(ResourceProxy.backendPath("/../../etc")).isEqualTo("/etc");
  }

  @Test
  void redirectsComeBackThroughTheProxy() {
    HttpRequest r = HttpRequest.GET("/api/v1/namespaces/ns/pods/web/proxy/a").addHeader(RawHeader.create("Host", "127.0.0.1:8001"));
    String prefix = "/api/v1/namespaces/ns/pods/web/proxy";
    Target pod = new Target("http", "10.244.1.5", 8080, Optional.empty());
    assertThat(ResourceProxy.rewriteLocation("/login?next=/x", r, pod, prefix)).isEqualTo(prefix + "/login?next=/x");
    assertThat(ResourceProxy.rewriteLocation("/dir/", r, pod, prefix)).isEqualTo(prefix + "/dir/");
    assertThat(ResourceProxy.rewriteLocation("relative/path", r, pod, prefix)).isEqualTo("relative/path");
    assertThat(ResourceProxy.rewriteLocation("https://example.org/x", r, pod, prefix)).isEqualTo("https://example.org/x");
    assertThat(ResourceProxy.rewriteLocation(prefix + "/already", r, pod, prefix)).isEqualTo(prefix + "/already");
    // the backend's own address, or the client's, is this host: it becomes a path through the proxy
    assertThat(ResourceProxy.rewriteLocation("http://10.244.1.5:8080/home", r, pod, prefix)).isEqualTo(prefix + "/home");
    assertThat(ResourceProxy.rewriteLocation("http://127.0.0.1:8001/home", r, pod, prefix))
        .isEqualTo("http://127.0.0.1:8001" + prefix + "/home");
  }
}
