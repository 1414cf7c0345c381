package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watch details clients rely on: bookmarks carry the resourceVersion to resume from, timeoutSeconds ends the stream. */
class WatchIT {

  static TestCluster cluster;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(Files.createTempDirectory("kubeactor-watch"),
        Map.of("kubeactor.api.watch-bookmark-interval", "500ms"));
    http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  private List<JsonNode> watch(String query) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(cluster.server() + "/api/v1/namespaces/default/configmaps?" + query))
        .header("Authorization", "Bearer " + cluster.controlPlane().tokens().adminToken())
        .timeout(Duration.ofSeconds(30)).build();
    HttpResponse<java.util.stream.Stream<String>> resp = http.send(r, HttpResponse.BodyHandlers.ofLines());
    assertThat(resp.statusCode()).isEqualTo(200);
    // the stream ends by itself when timeoutSeconds is over; reading it to the end proves it
    return resp.body().filter(l -> !l.isBlank()).map(l -> Json.parse(l.getBytes())).toList();
  }

  @Test
  void bookmarksCarryTheCurrentResourceVersionAndTimeoutSecondsEndsTheWatch() throws Exception {
    long rv = cluster.controlPlane().registry().cache().state().resourceVersion();
    long started = System.nanoTime();

    List<JsonNode> events = watch("watch=true&allowWatchBookmarks=true&timeoutSeconds=2&resourceVersion=" + rv);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(15));
    assertThat(events).isNotEmpty().allSatisfy(e -> {
      assertThat(e.path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(e.at("/object/kind").asText()).isEqualTo("ConfigMap");
      assertThat(e.at("/object/metadata/resourceVersion").asText()).isEqualTo(Long.toString(rv));
    });
  }

  @Test
  void withoutAllowWatchBookmarksNoBookmarkIsSent() throws Exception {
    long rv = cluster.controlPlane().registry().cache().state().resourceVersion();
    assertThat(watch("watch=true&timeoutSeconds=2&resourceVersion=" + rv)).isEmpty();
  }
}
