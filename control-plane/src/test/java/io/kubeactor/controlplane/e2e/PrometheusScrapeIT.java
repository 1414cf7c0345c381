package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.common.metrics.PrometheusSamples;
import io.kubeactor.common.metrics.PrometheusText;
import io.kubeactor.controlplane.apiserver.ApiServer;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.AccessControl;
import io.kubeactor.controlplane.security.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's Prometheus configuration against an API server over HTTPS (its registry and store in
 * this JVM; no control plane, node or container, so no host network) whose node is a stand-in agent
 * on loopback serving kubelet's metrics paths: kubectl get --raw reads /metrics and the node's
 * metrics through the node proxy, and Debian's Prometheus scrapes all three jobs.
 */
class PrometheusScrapeIT {
  static final String NODE = "scrape-node";
  static final ControllerFixture fixture = new ControllerFixture();
  static Path dir;
  static ClusterCertificates certificates;
  static Tokens tokens;
  static ServerBinding agent;
  static ServerBinding api;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kubeactor-scrape");
    certificates = ClusterCertificates.loadOrCreate(dir, List.of(), List.of("127.0.0.1"));
    tokens = Tokens.loadOrCreate(dir);
    agent = Http.get(fixture.testKit.system()).newServerAt("127.0.0.1", 0)
        .enableHttps(TestAgentTls.agentServer(certificates, NODE))
        .bind((org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>) PrometheusScrapeIT::agent)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    AgentEndpoint endpoint = new AgentEndpoint("127.0.0.1", agent.localAddress().getPort());
    ApiServer server = new ApiServer(fixture.registry, AccessControl.adminOnly(certificates, tokens, Clock.systemUTC()), fixture.testKit.system(), "127.0.0.1:0", Duration.ofSeconds(30),
        Duration.ofSeconds(60), node -> node.equals(NODE) ? Optional.of(endpoint) : Optional.empty(),
        TestAgentTls.apiServer(certificates), Clock.systemUTC(), fixture.metrics);
    api = server.bind(fixture.testKit.system(), "127.0.0.1", 0, certificates.serverContext())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    fixture.apply("{apiVersion: v1, kind: Node, metadata: {name: " + NODE + "}}");
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: 'https://127.0.0.1:%d', certificate-authority-data: %s}}]
        users: [{name: u, user: {token: %s}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        current-context: c
        """.formatted(api.localAddress().getPort(),
        Base64.getEncoder().encodeToString(certificates.caPem().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        tokens.adminToken()));
  }

  /** A node agent's metrics paths, behind its TLS: the agent's own kubelet text (tested in its module) stands in. */
  private static CompletionStage<HttpResponse> agent(HttpRequest r) {
    String text = switch (r.getUri().path()) {
      case "/metrics" -> "# TYPE kubelet_running_pods gauge\nkubelet_running_pods 1\n";
      case "/metrics/cadvisor" -> "# TYPE container_memory_working_set_bytes gauge\n"
          + "container_memory_working_set_bytes{container=\"app\",namespace=\"default\",pod=\"web\"} 2048\n";
      default -> null;
    };
    if (text == null) return CompletableFuture.completedFuture(HttpResponse.create().withStatus(404));
    return CompletableFuture.completedFuture(HttpResponse.create()
        .withEntity(ContentTypes.parse(PrometheusText.CONTENT_TYPE), text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @AfterAll
  static void stop() {
    if (api != null) api.unbind();
    if (agent != null) agent.unbind();
    fixture.close();
  }

  private static String raw(String path) {
    return TestCluster.kubectl(kubeconfig, dir, null, "get", "--raw", path).outOrFail();
  }

  @Test
  void kubectlReadsTheApiServersAndTheNodesMetrics() {
    PrometheusSamples apiserver = PrometheusSamples.parse(raw("/metrics"));
    assertThat(apiserver.find("apiserver_request_total")).isNotEmpty();
    assertThat(PrometheusSamples.parse(raw("/api/v1/nodes/" + NODE + "/proxy/metrics")).value("kubelet_running_pods"))
        .contains(1.0);
    assertThat(PrometheusSamples.parse(raw("/api/v1/nodes/" + NODE + "/proxy/metrics/cadvisor"))
        .find("container_memory_working_set_bytes", "pod", "web")).hasSize(1);
    // the node proxy's own requests are counted as kube-apiserver counts them
    assertThat(PrometheusSamples.parse(raw("/metrics")).sum("apiserver_request_total", "verb", "CONNECT",
        "resource", "nodes", "subresource", "proxy", "code", "200")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void debiansPrometheusScrapesEveryJobWithTheReadmesConfiguration() throws Exception {
    int port = api.localAddress().getPort();
    try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), certificates.caPem(),
        tokens.adminToken(), port, List.of(NODE))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(prometheus.up()).containsEntry("kubeactor-apiserver/127.0.0.1:" + port, "1")
            .containsEntry("kubeactor-nodes/" + NODE, "1").containsEntry("kubeactor-cadvisor/" + NODE, "1");
        assertThat(prometheus.query("container_memory_working_set_bytes{instance=\"" + NODE + "\",pod=\"web\"}")).hasSize(1);
        assertThat(prometheus.query("apiserver_request_total{job=\"kubeactor-apiserver\"}")).isNotEmpty();
      });
    }
  }
}
