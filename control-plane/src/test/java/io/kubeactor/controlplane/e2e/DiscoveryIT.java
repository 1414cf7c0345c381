package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl's discovery: kubectl 1.33, 1.30 (v2) and 1.27 (v2beta1) read all of it from the aggregated
 * documents of /api and /apis, asking for no group/version's list, and {@code kubectl api-resources}
 * prints what it prints from the legacy documents.
 */
class DiscoveryIT {

  static TestCluster cluster;
  /** The cluster seen through a proxy that asks /api and /apis for plain JSON: the legacy documents only. */
  static HttpServer legacyOnly;
  static Path legacyKubeconfig;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    legacyOnly = legacyOnlyProxy(cluster);
    legacyKubeconfig = cluster.kubeconfig().resolveSibling("legacy-kubeconfig");
    Files.writeString(legacyKubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: legacy
          cluster:
            server: http://127.0.0.1:%d
        contexts:
        - name: legacy
          context:
            cluster: legacy
        current-context: legacy
        """.formatted(legacyOnly.getAddress().getPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (legacyOnly != null) legacyOnly.stop(0);
    if (cluster != null) cluster.close();
  }

  /** The answer to a GET as kubectl -v=8 logs it. */
  record Answer(int status, String contentType) {}

  static final Answer AGGREGATED_V2 =
      new Answer(200, "application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList");
  static final Answer AGGREGATED_V2BETA1 =
      new Answer(200, "application/json; g=apidiscovery.k8s.io; v=v2beta1; as=APIGroupDiscoveryList");
  static final Answer LEGACY = new Answer(200, "application/json");

  @Test
  void kubectl133And130ReadTheAggregatedV2DocumentsAndNoGroupVersionList() {
    for (String version : List.of("1.33", "1.30")) {
      VerboseLog log = VerboseLog.of(cluster.kubectlVersion(version, "api-resources", "-v=8"));
      assertThat(log.answer("/api")).as("kubectl " + version).isEqualTo(AGGREGATED_V2);
      assertThat(log.answer("/apis")).as("kubectl " + version).isEqualTo(AGGREGATED_V2);
      assertThat(log.paths()).as("kubectl " + version).containsExactly("/api", "/apis");
    }
  }

  @Test
  void kubectl127ReadsTheV2beta1Documents() {
    VerboseLog log = VerboseLog.of(cluster.kubectlVersion("1.27", "api-resources", "-v=8"));
    assertThat(log.answer("/api")).isEqualTo(AGGREGATED_V2BETA1);
    assertThat(log.answer("/apis")).isEqualTo(AGGREGATED_V2BETA1);
    assertThat(log.paths()).containsExactly("/api", "/apis");
  }

  @Test
  void apiResourcesPrintsTheSameRowsFromTheLegacyDocuments() {
    Path dir = cluster.kubeconfig().resolveSibling("legacy-kubectl");
    VerboseLog legacyLog = VerboseLog.of(TestCluster.kubectl(legacyKubeconfig, dir, null, "api-resources", "-v=8"));
    assertThat(legacyLog.answer("/apis")).as("the proxy's kubectl read the legacy documents").isEqualTo(LEGACY);
    assertThat(legacyLog.paths()).contains("/api/v1", "/apis/apps/v1", "/apis/metrics.k8s.io/v1beta1");

    for (List<String> args : List.of(List.of("api-resources"), List.of("api-resources", "-o", "wide"))) {
      String aggregated = cluster.kubectl(args.toArray(String[]::new)).outOrFail();
      String legacy = TestCluster.kubectl(legacyKubeconfig, dir, null, args.toArray(String[]::new)).outOrFail();
      assertThat(aggregated).as(String.join(" ", args)).isEqualTo(legacy)
          .containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
          .containsPattern("selfsubjectreviews\\s+authentication.k8s.io/v1\\s+false\\s+SelfSubjectReview")
          .containsPattern("pods\\s+metrics.k8s.io/v1beta1\\s+true\\s+PodMetrics");
    }
  }

  /**
   * What kubectl -v=8 writes of its GETs below /api and /apis. A GET is logged as "] GET https://..."
   * up to kubectl 1.32 and as {@code "Request" verb="GET" url="https://..."} from 1.33; its answer
   * follows as "Response Status: 200 OK in 4 milliseconds" or {@code "Response" status="200 OK"},
   * then its headers one a line.
   */
  record VerboseLog(String text) {
    static final Pattern REQUEST =
        Pattern.compile("(?:\\] GET |\"Request\" verb=\"GET\" url=\")https?://[^/\\s]+(/apis?[^?\\s\"]*)");
    static final Pattern STATUS = Pattern.compile("(?:Response Status: |\"Response\" status=\")(\\d{3})");
    static final Pattern CONTENT_TYPE = Pattern.compile("Content-Type: ([^\\n]+)");

    static VerboseLog of(TestCluster.Result result) {
      assertThat(result.exitCode()).as(result.err()).isZero();
      return new VerboseLog(result.err());
    }

    /** The paths GET, in the order asked. */
    List<String> paths() {
      return REQUEST.matcher(text).results().map(m -> m.group(1)).toList();
    }

    /**
     * The answer to the first GET of {@code path}, read up to the next GET: kubectl asks /api and
     * /apis one after the other, and only then each group/version at once.
     */
    Answer answer(String path) {
      List<MatchResult> requests = REQUEST.matcher(text).results().toList();
      for (int i = 0; i < requests.size(); i++) {
        if (!requests.get(i).group(1).equals(path)) continue;
        int end = i + 1 < requests.size() ? requests.get(i + 1).start() : text.length();
        String exchange = text.substring(requests.get(i).end(), end);
        Matcher status = STATUS.matcher(exchange);
        assertThat(status.find()).as("an answer to GET %s in %s", path, text).isTrue();
        Matcher type = CONTENT_TYPE.matcher(exchange);
        return new Answer(Integer.parseInt(status.group(1)), type.find(status.end()) ? type.group(1).strip() : "");
      }
      throw new AssertionError("no GET of " + path + " in " + text);
    }
  }

  /**
   * A plain HTTP server that sends each GET on to the cluster as its admin, with an Accept of
   * {@code application/json} where kubectl asked /api or /apis for the aggregated documents: a
   * client that knows nothing of aggregated discovery.
   */
  static HttpServer legacyOnlyProxy(TestCluster cluster) throws IOException {
    HttpClient http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    String token = cluster.controlPlane().tokens().adminToken();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> forward(http, cluster.server(), token, exchange));
    server.start();
    return server;
  }

  private static void forward(HttpClient http, String upstream, String token, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath();
      String accept = path.equals("/api") || path.equals("/apis") ? "application/json"
          : exchange.getRequestHeaders().getFirst("Accept");
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + uri))
          .method(exchange.getRequestMethod(),
              HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()))
          .header("Authorization", "Bearer " + token);
      if (accept != null) request.header("Accept", accept);
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().firstValue("Content-Type")
          .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
      exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding", e);
    }
  }
}
