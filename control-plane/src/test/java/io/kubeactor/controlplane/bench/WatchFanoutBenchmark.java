package io.kubeactor.controlplane.bench;

import io.kubeactor.controlplane.apiserver.WatchBuffer;
import io.kubeactor.controlplane.e2e.TestCluster;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;

/**
 * Watch fan-out with and without stalled watchers: N healthy watchers of a namespace read every
 * event while W writers create M ConfigMaps; in the second round K more watchers of the namespace
 * send their request and never read. Prints the create rate and the delivery rate to the healthy
 * watchers (all M events to all N of them) for both rounds, as a Markdown table. In-process
 * control plane with the default watch limits. Usage: WatchFanoutBenchmark [N K M]
 */
public final class WatchFanoutBenchmark {

  public static void main(String[] args) throws Exception {
    int healthy = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int stalled = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int objects = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    try (TestCluster cluster = TestCluster.start(Files.createTempDirectory("kubeactor-watch-bench"), Map.of())) {
      WatchFanoutBenchmark b = new WatchFanoutBenchmark(cluster);
      b.createNamespace("warmup");
      b.round("warmup", healthy, 0, 500);
      List<String> rows = new ArrayList<>();
      for (int k : List.of(0, stalled)) {
        String ns = "fanout-" + k;
        b.createNamespace(ns);
        double[] r = b.round(ns, healthy, k, objects);
        rows.add(String.format("| %d healthy, %d stalled | %.0f /s | %.0f events/s per watcher | %.2f s | %d |",
            healthy, k, r[0], r[1], r[2], (long) r[3]));
      }
      System.out.println("| watchers | creates | delivery to the healthy ones | all delivered after | stalled ones closed |");
      System.out.println("|---|---|---|---|---|");
      rows.forEach(System.out::println);
    }
    System.exit(0);
  }

  private final TestCluster cluster;
  private final HttpClient http;
  private final String token;

  private WatchFanoutBenchmark(TestCluster cluster) {
    this.cluster = cluster;
    this.http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    this.token = cluster.controlPlane().tokens().adminToken();
  }

  /** Returns creates/s, events/s delivered to each healthy watcher, and seconds until all had all. */
  private double[] round(String ns, int healthy, int stalled, int objects) throws Exception {
    String watchPath = "/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion="
        + cluster.controlPlane().registry().cache().state().resourceVersion();
    List<WatchBuffer> before = watchBuffers();
    List<SSLSocket> stuck = new ArrayList<>();
    for (int i = 0; i < stalled; i++) {
      SSLSocket s = (SSLSocket) cluster.controlPlane().certificates().clientContext().getSocketFactory().createSocket();
      s.setReceiveBufferSize(4096);
      s.connect(new InetSocketAddress("127.0.0.1", cluster.controlPlane().port()));
      s.getOutputStream().write(("GET " + watchPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      stuck.add(s);
    }
    long registered = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (watchBuffers().size() < before.size() + stalled) {
      if (System.nanoTime() > registered) throw new IllegalStateException("the stalled watches did not start");
      Thread.onSpinWait();
    }
    List<WatchBuffer> stalledBuffers = new ArrayList<>(watchBuffers());
    stalledBuffers.removeAll(before);
    CountDownLatch allDelivered = new CountDownLatch(healthy);
    List<HttpResponse<Stream<String>>> watches = new ArrayList<>();
    for (int i = 0; i < healthy; i++) {
      HttpResponse<Stream<String>> w = http.send(request(watchPath).build(), HttpResponse.BodyHandlers.ofLines());
      watches.add(w);
      Thread t = new Thread(() -> {
        AtomicInteger seen = new AtomicInteger();
        try {
          w.body().filter(l -> !l.isBlank()).forEach(l -> {
            if (seen.incrementAndGet() == objects) allDelivered.countDown();
          });
        } catch (java.io.UncheckedIOException closed) {
          // closed at the end of the round
        }
      });
      t.setDaemon(true);
      t.start();
    }

    String data = "x".repeat(4096);
    ExecutorService writers = Executors.newFixedThreadPool(4);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      done.add(writers.submit(() -> {
        for (int i = next.getAndIncrement(); i < objects; i = next.getAndIncrement()) {
          String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i
              + "\"},\"data\":{\"d\":\"" + data + "\"}}";
          HttpResponse<String> r = http.send(request("/api/v1/namespaces/" + ns + "/configmaps")
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 201) throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get();
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    if (!allDelivered.await(300, TimeUnit.SECONDS)) throw new IllegalStateException("not every event was delivered");
    double deliverSeconds = (System.nanoTime() - start) / 1e9;
    long closed = stalledBuffers.stream().filter(b -> b.ending() == WatchBuffer.Ending.STALLED).count();
    writers.shutdown();
    for (HttpResponse<Stream<String>> w : watches) w.body().close();
    for (SSLSocket s : stuck) s.close();
    return new double[] {objects / writeSeconds, objects / deliverSeconds, deliverSeconds, closed};
  }

  private List<WatchBuffer> watchBuffers() {
    return cluster.controlPlane().registry().cache().sinks().stream()
        .filter(WatchBuffer.class::isInstance).map(WatchBuffer.class::cast).toList();
  }


  private void createNamespace(String ns) throws Exception {
    HttpResponse<String> r = http.send(request("/api/v1/namespaces").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
            + ns + "\"}}")).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException(r.statusCode() + " " + r.body());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(cluster.server() + path)).header("Authorization", "Bearer " + token);
  }
}
