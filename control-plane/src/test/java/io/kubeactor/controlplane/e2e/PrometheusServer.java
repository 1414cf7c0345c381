package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's Prometheus (KUBEACTOR_TEST_PROMETHEUS, else prometheus on PATH) on a free loopback port
 * with a data directory of its own, scraping a cluster with the README's static configuration: the
 * API server with the kubeconfig's CA and token, and each node by name through the node proxy.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Scrapes the API server on 127.0.0.1:apiPort and the named nodes through it, every 2 s. */
  public static PrometheusServer start(Path dir, String caPem, String token, int apiPort, List<String> nodes)
      throws IOException {
    String prometheus = System.getenv().getOrDefault("KUBEACTOR_TEST_PROMETHEUS", "prometheus");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("ca.crt"), caPem);
    Files.writeString(dir.resolve("token"), token);
    Files.writeString(dir.resolve("prometheus.yml"), configuration(dir, apiPort, nodes));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(prometheus, "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new PrometheusServer(p, log, port);
  }

  /** The README's Prometheus section, with this cluster's address, nodes and files. */
  static String configuration(Path dir, int apiPort, List<String> nodes) {
    String names = String.join(", ", nodes);
    return """
        global:
          scrape_interval: 2s
        scrape_configs:
        """
        + job(dir, "kubeactor-apiserver", "'127.0.0.1:" + apiPort + "'")
        + job(dir, "kubeactor-nodes", names) + throughNodeProxy("metrics", apiPort)
        + job(dir, "kubeactor-cadvisor", names) + throughNodeProxy("metrics/cadvisor", apiPort);
  }

  /** A job scraping the API server's address, with the kubeconfig's CA and token. */
  private static String job(Path dir, String name, String targets) {
    return """
        - job_name: %1$s
          scheme: https
          tls_config: {ca_file: %2$s/ca.crt}
          authorization: {credentials_file: %2$s/token}
          static_configs: [{targets: [%3$s]}]
        """.formatted(name, dir, targets);
  }

  /** Targets that are node names, scraped at the path through the API server's node proxy. */
  private static String throughNodeProxy(String path, int apiPort) {
    return """
          relabel_configs:
          - {source_labels: [__address__], target_label: instance}
          - {source_labels: [__address__], target_label: __metrics_path__, replacement: '/api/v1/nodes/$1/proxy/%s'}
          - {target_label: __address__, replacement: '127.0.0.1:%d'}
        """.formatted(path, apiPort);
  }

  /** The value of {@code up} by job and instance ("job/instance"), failing if Prometheus has stopped. */
  public Map<String, String> up() throws IOException, InterruptedException {
    assertThat(process.isAlive()).as("prometheus runs (log: %s)", log).isTrue();
    Map<String, String> up = new HashMap<>();
    for (JsonNode r : query("up")) {
      up.put(r.path("metric").path("job").asText() + "/" + r.path("metric").path("instance").asText(),
          r.path("value").path(1).asText());
    }
    return up;
  }

  /** An instant query's result vector. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("query %s", promql).isEqualTo(200);
    return Json.parse(r.body()).path("data").path("result");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
