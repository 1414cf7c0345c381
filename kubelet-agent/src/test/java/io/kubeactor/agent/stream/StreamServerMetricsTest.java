package io.kubeactor.agent.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.kubeactor.agent.stats.NodeMetrics;
import io.kubeactor.agent.stats.UsageCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's server answers kubelet's metrics paths, behind the token only the API server has. */
class StreamServerMetricsTest {
  static final TestStreamTls tls = new TestStreamTls("node-1");
  static final ActorTestKit testKit = ActorTestKit.create();
  static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    // never used: the metrics come from the NodeMetrics given
    DockerClient docker = DockerClientImpl.getInstance(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///nonexistent.sock").build(),
        new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///nonexistent.sock")).build());
    NodeMetrics metrics = new NodeMetrics("node-1", () -> List.of(new NodeMetrics.ContainerInfo("c1", "k8s_app_web",
        "nginx", "running", "container", "default", "web", "app")), () -> List.of(new UsageCollector.ContainerSample(
        "c1", "default", "web", "app", Instant.now(), 2_000_000_000L, 1024)));
    binding = StreamServer.bind(testKit.system(), docker, URI.create("unix:///nonexistent.sock"), "node-1", "127.0.0.1", 0,
        tls.server(), metrics).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  private static HttpResponse<String> get(String path, HttpClient client) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + binding.localAddress().getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAndCadvisorAreServedAsPrometheusText() throws Exception {
    HttpResponse<String> kubelet = get("/metrics", tls.httpClient());
    assertThat(kubelet.statusCode()).isEqualTo(200);
    assertThat(kubelet.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("text/plain").contains("version=0.0.4"));
    assertThat(kubelet.body()).contains("kubelet_running_containers{container_state=\"running\"} 1");
    HttpResponse<String> cadvisor = get("/metrics/cadvisor", tls.httpClient());
    assertThat(cadvisor.statusCode()).isEqualTo(200);
    assertThat(cadvisor.body()).contains("container_cpu_usage_seconds_total{").contains("pod=\"web\"");
  }

  @Test
  void aClientThatIsNotTheControlPlaneIsNotServed() {
    // another node's certificate, of the same CA: a node is not the control plane
    HttpClient otherNode = TestStreamTls.clientShowing(tls.pki.ca(), tls.pki.issue("system:node:node-2", "system:nodes"));
    assertThatThrownBy(() -> get("/metrics", otherNode)).isInstanceOf(java.io.IOException.class);
    HttpClient anonymous = TestStreamTls.clientShowing(tls.pki.ca(), null);
    assertThatThrownBy(() -> get("/metrics/cadvisor", anonymous)).isInstanceOf(java.io.IOException.class);
  }
}
