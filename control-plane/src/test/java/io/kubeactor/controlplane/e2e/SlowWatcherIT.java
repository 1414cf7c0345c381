package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.apiserver.WatchBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A watcher whose client stops reading is closed within a bounded time, holds no more than its
 * buffer meanwhile, and does not hold back a healthy watcher of the same objects.
 */
class SlowWatcherIT {

  static final int BUFFER_EVENTS = 50;
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(1);
  // enough bytes to fill the socket buffers of both ends and the HTTP layer's, then the watch buffer
  static final int OBJECTS = 600;
  static final int OBJECT_BYTES = 16 * 1024;

  static TestCluster cluster;
  static HttpClient http;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(Files.createTempDirectory("kubeactor-slow-watch"), Map.of(
        "kubeactor.api.watch-buffer-events", BUFFER_EVENTS,
        "kubeactor.api.watch-stall-timeout", STALL_TIMEOUT.toMillis() + "ms"));
    http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    token = cluster.controlPlane().tokens().adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void aWatcherThatStopsReadingIsClosedAndTheOthersGetEveryEvent() throws Exception {
    long from = cluster.controlPlane().registry().cache().state().resourceVersion();
    String watchPath = "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + from;

    // the stalled client: a socket with a small receive buffer that sends its request and reads nothing
    SSLSocket stalled = (SSLSocket) cluster.controlPlane().certificates().clientContext().getSocketFactory().createSocket();
    stalled.setReceiveBufferSize(4096);
    stalled.setSoTimeout(30_000);
    stalled.connect(new InetSocketAddress("127.0.0.1", cluster.controlPlane().port()));
    Set<WatchBuffer> before = watchBuffers();
    stalled.getOutputStream().write(("GET " + watchPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    stalled.getOutputStream().flush();
    WatchBuffer stalledBuffer = await().atMost(Duration.ofSeconds(10))
        .until(() -> newBuffer(before), b -> b != null);

    // the healthy client reads every line as it comes
    Set<WatchBuffer> beforeHealthy = watchBuffers();
    List<JsonNode> healthyEvents = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> healthy = http.send(request(watchPath).build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(healthy.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> {
      try {
        healthy.body().filter(l -> !l.isBlank()).forEach(l -> healthyEvents.add(Json.parse(l.getBytes(StandardCharsets.UTF_8))));
      } catch (java.io.UncheckedIOException closedByTheTest) {
        // the test closes the body when it is done
      }
    }, "healthy-watcher");
    reader.setDaemon(true);
    reader.start();
    WatchBuffer healthyBuffer = await().atMost(Duration.ofSeconds(10))
        .until(() -> newBuffer(beforeHealthy), b -> b != null);

    String data = "x".repeat(OBJECT_BYTES);
    for (int i = 0; i < OBJECTS; i++) {
      String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"slow-" + i
          + "\"},\"data\":{\"d\":\"" + data + "\"}}";
      HttpResponse<String> created = http.send(request("/api/v1/namespaces/default/configmaps")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    // (a) the server closes the stalled watch within a bounded time of its buffer filling up
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(stalledBuffer.ending()).isEqualTo(WatchBuffer.Ending.STALLED));
    assertThat(watchBuffers()).doesNotContain(stalledBuffer).contains(healthyBuffer);

    // (b) the healthy watcher got every event, in order
    await().atMost(Duration.ofSeconds(30)).until(() -> healthyEvents.size() >= OBJECTS);
    assertThat(healthyEvents).hasSize(OBJECTS);
    for (int i = 0; i < OBJECTS; i++) {
      assertThat(healthyEvents.get(i).path("type").asText()).isEqualTo("ADDED");
      assertThat(healthyEvents.get(i).at("/object/metadata/name").asText()).isEqualTo("slow-" + i);
    }
    assertThat(healthyBuffer.ending()).isEqualTo(WatchBuffer.Ending.OPEN);

    // (c) the stalled watcher never held more than its buffer
    assertThat(stalledBuffer.peakBufferedEvents()).isLessThanOrEqualTo(BUFFER_EVENTS);
    assertThat(stalledBuffer.bufferedEvents()).isZero();

    // when the stalled client reads at last, its response is whole: events in order, then the end of the chunked body
    List<JsonNode> seen = readChunkedBody(stalled.getInputStream(), Duration.ofSeconds(30));
    stalled.close();
    assertThat(seen).hasSize((int) stalledBuffer.deliveredEvents()).hasSizeLessThan(OBJECTS);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).at("/object/metadata/name").asText()).isEqualTo("slow-" + i);
    }
    healthy.body().close();
    reader.join(10_000);
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(cluster.server() + path)).header("Authorization", "Bearer " + token);
  }

  private static Set<WatchBuffer> watchBuffers() {
    Set<WatchBuffer> found = new HashSet<>();
    for (Object sink : cluster.controlPlane().registry().cache().sinks()) {
      if (sink instanceof WatchBuffer b) found.add(b);
    }
    return found;
  }

  private static WatchBuffer newBuffer(Set<WatchBuffer> before) {
    Set<WatchBuffer> now = watchBuffers();
    now.removeAll(before);
    return now.size() == 1 ? now.iterator().next() : null;
  }

  /** Reads a chunked HTTP/1.1 watch response to its last chunk; fails if it does not end in time. */
  private static List<JsonNode> readChunkedBody(InputStream in, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    byte[] last = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    String tail = "";
    while (!tail.endsWith(new String(last, StandardCharsets.US_ASCII))) {
      if (System.nanoTime() > deadline) throw new AssertionError("the watch response did not end");
      int n = in.read(buf);
      if (n < 0) throw new AssertionError("the connection closed before the response ended");
      raw.write(buf, 0, n);
      String read = tail + new String(buf, Math.max(0, n - last.length), Math.min(n, last.length), StandardCharsets.ISO_8859_1);
      tail = read.substring(Math.max(0, read.length() - last.length));
    }
    byte[] all = raw.toByteArray();
    int p = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0) + 4;
    assertThat(new String(all, 0, p, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int eol = indexOf(all, "\r\n".getBytes(StandardCharsets.US_ASCII), p);
      int size = Integer.parseInt(new String(all, p, eol - p, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
      if (size == 0) break;
      body.write(all, eol + 2, size);
      p = eol + 2 + size + 2;
    }
    List<JsonNode> events = new ArrayList<>();
    for (String line : body.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) events.add(Json.parse(line.getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
