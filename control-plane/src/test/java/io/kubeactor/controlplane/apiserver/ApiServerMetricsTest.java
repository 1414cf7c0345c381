package io.kubeactor.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.common.metrics.PrometheusSamples;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.e2e.TestAgentTls;
import io.kubeactor.controlplane.node.AgentDirectory;
import io.kubeactor.controlplane.security.AccessControl;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The API server's /metrics, in process over the real registry and store: served behind the same
 * authentication as the API, and counting each request as kube-apiserver labels it.
 */
class ApiServerMetricsTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final Tokens tokens;
  static final ClusterCertificates certificates;
  static final AccessControl access;
  static final ApiServer api;

  static {
    try {
      java.nio.file.Path dir = Files.createTempDirectory("apiserver-metrics");
      tokens = Tokens.loadOrCreate(dir);
      certificates = ClusterCertificates.loadOrCreate(dir, java.util.List.of(), java.util.List.of());
      access = AccessControl.adminOnly(certificates, tokens, Clock.systemUTC());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    api = new ApiServer(fixture.registry, access, fixture.testKit.system(), "127.0.0.1:6443", Duration.ofSeconds(10),
        Duration.ofMinutes(1), AgentDirectory.NONE, TestAgentTls.apiServer(certificates), Clock.systemUTC(), fixture.metrics);
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static HttpResponse send(HttpRequest request, boolean authenticated) throws Exception {
    if (authenticated) request = request.addHeader(RawHeader.create("Authorization", "Bearer " + tokens.adminToken()));
    return api.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String body(HttpResponse response) throws Exception {
    return response.entity().toStrict(10_000, Materializer.matFromSystem(fixture.testKit.system()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS).getData().utf8String();
  }

  private static PrometheusSamples scrape() throws Exception {
    HttpResponse r = send(HttpRequest.GET("/metrics"), true);
    assertThat(r.status().intValue()).isEqualTo(200);
    assertThat(r.entity().getContentType().toString()).startsWith("text/plain").contains("version=0.0.4");
    return PrometheusSamples.parse(body(r));
  }

  private static double requests(PrometheusSamples s, String verb, String resource, String scope, String code) {
    return s.value("apiserver_request_total", "code", code, "component", "apiserver", "dry_run", "", "group", "",
        "resource", resource, "scope", scope, "subresource", "", "verb", verb, "version", "v1").orElse(0.0);
  }

  @Test
  void anonymousRequestsForMetricsAreRefused() throws Exception {
    assertThat(send(HttpRequest.GET("/metrics"), false).status().intValue()).isEqualTo(401);
    assertThat(send(HttpRequest.GET("/metrics").addHeader(RawHeader.create("Authorization", "Bearer wrong")), false)
        .status().intValue()).isEqualTo(401);
  }

  @Test
  void requestsAreCountedByVerbResourceScopeAndCodeAndTimed() throws Exception {
    PrometheusSamples before = scrape();
    String pod = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"counted"},"data":{"a":"b"}}""";
    HttpResponse created = send(HttpRequest.POST("/api/v1/namespaces/default/configmaps")
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, pod.getBytes(StandardCharsets.UTF_8))), true);
    assertThat(created.status().intValue()).isEqualTo(201);
    body(created);
    assertThat(send(HttpRequest.GET("/api/v1/namespaces/default/configmaps"), true).status().intValue()).isEqualTo(200);
    assertThat(send(HttpRequest.GET("/api/v1/configmaps?watch=false"), true).status().intValue()).isEqualTo(200);
    assertThat(send(HttpRequest.GET("/api/v1/namespaces/default/configmaps/missing"), true).status().intValue())
        .isEqualTo(404);
    String apply = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"counted\"},\"data\":{\"a\":\"c\"}}";
    // the create's manager owns data.a: the apply takes it by force, as it would conflict otherwise
    HttpResponse applied = send(HttpRequest.create("/api/v1/namespaces/default/configmaps/counted?fieldManager=test&force=true")
        .withMethod(HttpMethods.PATCH).withEntity(HttpEntities.create(
            ContentTypes.parse("application/apply-patch+yaml"), apply.getBytes(StandardCharsets.UTF_8))), true);
    assertThat(applied.status().intValue()).isEqualTo(200);
    PrometheusSamples after = scrape();

    assertThat(requests(after, "POST", "configmaps", "resource", "201") - requests(before, "POST", "configmaps", "resource", "201"))
        .isEqualTo(1);
    assertThat(requests(after, "LIST", "configmaps", "namespace", "200") - requests(before, "LIST", "configmaps", "namespace", "200"))
        .isEqualTo(1);
    assertThat(requests(after, "LIST", "configmaps", "cluster", "200") - requests(before, "LIST", "configmaps", "cluster", "200"))
        .isEqualTo(1);
    assertThat(requests(after, "GET", "configmaps", "resource", "404") - requests(before, "GET", "configmaps", "resource", "404"))
        .isEqualTo(1);
    assertThat(requests(after, "APPLY", "configmaps", "resource", "200") - requests(before, "APPLY", "configmaps", "resource", "200"))
        .isEqualTo(1);
    // the duration histogram has the same series, less code, with upstream's buckets
    var buckets = after.find("apiserver_request_duration_seconds_bucket", "verb", "POST", "resource", "configmaps",
        "scope", "resource", "group", "", "version", "v1", "subresource", "", "dry_run", "", "component", "apiserver");
    assertThat(buckets).extracting(b -> b.labels().get("le")).contains("0.005", "1.25", "60.0", "+Inf");
    assertThat(buckets).hasSize(24);
    assertThat(after.find("apiserver_current_inflight_requests", "request_kind", "readOnly")).hasSize(1);
    assertThat(after.find("apiserver_current_inflight_requests", "request_kind", "mutating")).hasSize(1);
    // the store's figures: the create went through the journal in a batch
    assertThat(after.sum("kubeactor_store_journal_writes_total", "result", "success"))
        .isGreaterThan(before.sum("kubeactor_store_journal_writes_total", "result", "success"));
    assertThat(after.value("kubeactor_store_journal_batch_size_count")).hasValueSatisfying(v -> assertThat(v).isPositive());
    // and the JVM's own
    assertThat(after.find("jvm_memory_used_bytes", "area", "heap")).hasSize(1);
  }

  @Test
  void aDryRunIsCountedApartAndAnUnknownSubresourceNotAtAll() throws Exception {
    PrometheusSamples before = scrape();
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}";
    HttpResponse created = send(HttpRequest.POST("/api/v1/namespaces/default/configmaps?dryRun=All")
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, cm.getBytes(StandardCharsets.UTF_8))), true);
    assertThat(created.status().intValue()).isEqualTo(201);
    body(created);
    assertThat(send(HttpRequest.GET("/api/v1/namespaces/default/configmaps/dry/bogus"), true).status().intValue())
        .isEqualTo(404);
    PrometheusSamples after = scrape();
    String[] dryRun = {"code", "201", "component", "apiserver", "dry_run", "All", "group", "", "resource", "configmaps",
        "scope", "resource", "subresource", "", "verb", "POST", "version", "v1"};
    assertThat(after.value("apiserver_request_total", dryRun).orElse(0.0) - before.value("apiserver_request_total", dryRun)
        .orElse(0.0)).isEqualTo(1);
    assertThat(after.find("apiserver_request_total", "subresource", "bogus")).isEmpty();
  }

  @Test
  void watchesAreCountedAsWatchAndNotInFlight() throws Exception {
    PrometheusSamples before = scrape();
    HttpResponse watch = send(HttpRequest.GET("/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1"), true);
    assertThat(watch.status().intValue()).isEqualTo(200);
    watch.discardEntityBytes(fixture.testKit.system());
    PrometheusSamples after = scrape();
    assertThat(requests(after, "WATCH", "configmaps", "namespace", "200") - requests(before, "WATCH", "configmaps", "namespace", "200"))
        .isEqualTo(1);
  }
}
