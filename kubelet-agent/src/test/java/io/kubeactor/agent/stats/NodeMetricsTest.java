package io.kubeactor.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.agent.stats.NodeMetrics.ContainerInfo;
import io.kubeactor.common.metrics.PrometheusSamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the node serves at /metrics and /metrics/cadvisor, from its containers and the collector's samples. */
class NodeMetricsTest {

  static final Instant READ = Instant.parse("2026-12-06T10:00:00Z");

  final NodeMetrics metrics = new NodeMetrics("node-1", () -> List.of(
      new ContainerInfo("sandbox-web", "k8s_POD_web_default", "pause:3.10", "running", "podsandbox", "default", "web", ""),
      new ContainerInfo("c-app", "k8s_app_web_default", "nginx:1.27", "running", "container", "default", "web", "app"),
      new ContainerInfo("c-side", "k8s_side_web_default", "busybox", "running", "container", "default", "web", "side"),
      new ContainerInfo("sandbox-old", "k8s_POD_old_default", "pause:3.10", "exited", "podsandbox", "default", "old", ""),
      new ContainerInfo("c-old", "k8s_app_old_default", "nginx:1.27", "exited", "container", "default", "old", "app")),
      () -> List.of(
          new UsageCollector.ContainerSample("c-app", "default", "web", "app", READ, 1_500_000_000L, 20L << 20),
          new UsageCollector.ContainerSample("c-side", "default", "web", "side", READ, 250_000_000L, 3L << 20),
          // sampled, then removed before the scrape: not reported
          new UsageCollector.ContainerSample("c-gone", "default", "gone", "app", READ, 1, 1)));

  @Test
  void kubeletsMetricsCountRunningPodsAndContainersByState() {
    PrometheusSamples s = PrometheusSamples.parse(new String(metrics.kubelet(), StandardCharsets.UTF_8));
    assertThat(s.value("kubelet_running_pods")).contains(1.0);
    assertThat(s.value("kubelet_running_containers", "container_state", "running")).contains(2.0);
    assertThat(s.value("kubelet_running_containers", "container_state", "exited")).contains(1.0);
    assertThat(s.value("kubelet_running_containers", "container_state", "created")).contains(0.0);
    assertThat(s.value("kubelet_node_name", "node", "node-1")).contains(1.0);
    // the agent's own JVM
    assertThat(s.find("jvm_memory_used_bytes", "area", "heap")).hasSize(1);
  }

  @Test
  void podStartsAreObservedWithKubeletsBuckets() {
    double before = PrometheusSamples.parse(new String(metrics.kubelet(), StandardCharsets.UTF_8))
        .value("kubelet_pod_start_duration_seconds_count").orElse(0.0);
    NodeMetrics.podStarted(System.nanoTime() - 1_500_000_000L);
    PrometheusSamples s = PrometheusSamples.parse(new String(metrics.kubelet(), StandardCharsets.UTF_8));
    assertThat(s.value("kubelet_pod_start_duration_seconds_count")).contains(before + 1);
    assertThat(s.find("kubelet_pod_start_duration_seconds_bucket")).hasSize(26);
    assertThat(s.value("kubelet_pod_start_duration_seconds_bucket", "le", "1.0")).contains(before);
  }

  @Test
  void cadvisorsMetricsAreEachContainersCumulativeCpuAndWorkingSetLabelledAsCadvisor() {
    String text = new String(metrics.cadvisor(), StandardCharsets.UTF_8);
    assertThat(text).contains("# TYPE container_cpu_usage_seconds_total counter")
        .contains("# TYPE container_memory_working_set_bytes gauge");
    PrometheusSamples s = PrometheusSamples.parse(text);
    assertThat(s.find("container_cpu_usage_seconds_total")).hasSize(2);
    var app = s.find("container_cpu_usage_seconds_total", "pod", "web", "container", "app").get(0);
    assertThat(app.labels()).containsEntry("namespace", "default").containsEntry("cpu", "total")
        .containsEntry("id", "/docker/c-app").containsEntry("image", "nginx:1.27")
        .containsEntry("name", "k8s_app_web_default");
    assertThat(app.value()).isEqualTo(1.5);
    assertThat(app.timestampMillis()).isEqualTo(READ.toEpochMilli());
    assertThat(s.value("container_memory_working_set_bytes", "container", "side", "id", "/docker/c-side",
        "image", "busybox", "name", "k8s_side_web_default", "namespace", "default", "pod", "web"))
        .contains((double) (3L << 20));
    assertThat(s.find("container_memory_working_set_bytes", "pod", "gone")).isEmpty();
  }
}
