package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.common.metrics.PrometheusSamples;
import io.kubeactor.controlplane.e2e.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prometheus metrics of a real cluster, read as a user reads them: the API server's /metrics and a
 * node's kubelet and cAdvisor metrics through the API server's node proxy with kubectl get --raw,
 * and Debian's Prometheus scraping all three with the README's static configuration.
 */
class PrometheusMetricsIT {
  static final String NODE = "metrics-node";
  static final String POD = "metrics-probe";
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("metrics", Map.of(), List.of(NODE));
    c.ok("run", POD, "--image=nginx:1.16.1", "--restart=Never");
    c.awaitRunning(POD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  private static PrometheusSamples raw(String path) {
    return PrometheusSamples.parse(c.ok("get", "--raw", path));
  }

  @Test
  void theApiServerServesItsRequestWorkqueueSchedulerAndStoreMetrics() {
    PrometheusSamples s = raw("/metrics");
    // kubectl's own requests: the pod created (POST), read while awaited (GET)
    assertThat(s.sum("apiserver_request_total", "verb", "POST", "resource", "pods", "code", "201")).isGreaterThanOrEqualTo(1);
    assertThat(s.sum("apiserver_request_total", "verb", "GET", "resource", "pods", "scope", "resource", "code", "200"))
        .isGreaterThanOrEqualTo(1);
    assertThat(s.find("apiserver_request_duration_seconds_count", "verb", "POST", "resource", "pods")).isNotEmpty();
    // every controller's queue, named as kube-controller-manager names it
    assertThat(s.find("workqueue_adds_total", "name", "replicaset")).hasSize(1);
    assertThat(s.find("workqueue_depth", "name", "deployment")).hasSize(1);
    assertThat(s.sum("scheduler_schedule_attempts_total", "result", "scheduled", "profile", "default-scheduler"))
        .isGreaterThanOrEqualTo(1);
    assertThat(s.sum("kubeactor_store_journal_writes_total", "result", "success")).isPositive();
    assertThat(s.find("jvm_memory_used_bytes", "area", "heap")).hasSize(1);
  }

  @Test
  void anonymousScrapesAreRefused() throws Exception {
    HttpClient insecure = HttpClient.newBuilder().sslContext(io.kubeactor.common.InsecureTls.context()).build();
    HttpResponse<String> r = insecure.send(HttpRequest.newBuilder(URI.create(c.cluster.server() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void aNodesKubeletAndCadvisorMetricsComeThroughTheNodeProxy() {
    PrometheusSamples kubelet = raw("/api/v1/nodes/" + NODE + "/proxy/metrics");
    assertThat(kubelet.value("kubelet_running_pods")).hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
    assertThat(kubelet.value("kubelet_running_containers", "container_state", "running"))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
    assertThat(kubelet.value("kubelet_node_name", "node", NODE)).contains(1.0);
    assertThat(kubelet.value("kubelet_pod_start_duration_seconds_count")).hasValueSatisfying(v -> assertThat(v).isPositive());
    // the pod's container is in the agent's next usage sample
    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      PrometheusSamples cadvisor = raw("/api/v1/nodes/" + NODE + "/proxy/metrics/cadvisor");
      var cpu = cadvisor.find("container_cpu_usage_seconds_total", "namespace", "default", "pod", POD, "container", POD);
      assertThat(cpu).hasSize(1);
      assertThat(cpu.get(0).labels()).containsKeys("id", "image", "name").containsEntry("cpu", "total");
      assertThat(cpu.get(0).value()).isPositive();
      assertThat(cadvisor.value("container_memory_working_set_bytes", "namespace", "default", "pod", POD,
          "container", POD, "id", cpu.get(0).labels().get("id"), "image", cpu.get(0).labels().get("image"),
          "name", cpu.get(0).labels().get("name"))).hasValueSatisfying(v -> assertThat(v).isPositive());
    });
  }

  /** The README's configuration, run by Debian's Prometheus: every target is up. */
  @Test
  void debiansPrometheusScrapesTheApiServerAndTheNodeWithTheReadmesConfiguration() throws Exception {
    var cp = c.cluster.controlPlane();
    try (PrometheusServer prometheus = PrometheusServer.start(c.dir.resolve("prometheus"), cp.certificates().caPem(),
        cp.tokens().adminToken(), cp.port(), List.of(NODE))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(prometheus.up()).containsEntry("kubeactor-apiserver/127.0.0.1:" + cp.port(), "1")
            .containsEntry("kubeactor-nodes/" + NODE, "1").containsEntry("kubeactor-cadvisor/" + NODE, "1");
        assertThat(prometheus.query("container_memory_working_set_bytes{pod=\"" + POD + "\"}")).isNotEmpty();
      });
    }
  }
}
