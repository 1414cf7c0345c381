package io.kubeactor.controlplane.bench;

import io.kubeactor.controlplane.security.ClusterCertificates;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The benchmark's JDK HTTP client of one kubeactor API server (HTTPS, the admin token) and what it measures. */
final class BenchmarkClient {

  private final String server;
  private final String token;
  private final HttpClient http;

  private BenchmarkClient(String server, String token, HttpClient http) {
    this.server = server;
    this.token = token;
    this.http = http;
  }

  /** A client of the control plane serving on {@code port} with its PKI and token in {@code dataDir}. */
  static BenchmarkClient connect(Path dataDir, int port) throws Exception {
    var certs = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    HttpClient http = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(32)).build();
    return new BenchmarkClient("https://127.0.0.1:" + port, Files.readString(dataDir.resolve("pki/admin.token")).trim(), http);
  }

  String server() {
    return server;
  }

  String token() {
    return token;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60));
  }

  void createNamespace(String ns) throws Exception {
    send(request("/api/v1/namespaces").POST(HttpRequest.BodyPublishers.ofString(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}"))
        .header("Content-Type", "application/json").build(), 201);
  }

  /** The pods stored in every namespace. */
  int countPods() throws Exception {
    byte[] body = send(request("/api/v1/pods").GET().build(), 200).body();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("items").size();
  }

  static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.14.2\",\"ports\":[{\"containerPort\":80}],"
        + "\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}}]}}";
  }

  HttpRequest createPodRequest(String ns, String name) {
    return request("/api/v1/namespaces/" + ns + "/pods").POST(HttpRequest.BodyPublishers.ofString(pod(name)))
        .header("Content-Type", "application/json").build();
  }

  /** The stored pod as GET returns it. */
  byte[] getPod(String ns, String name) throws Exception {
    return send(request("/api/v1/namespaces/" + ns + "/pods/" + name).GET().build(), 200).body();
  }

  private HttpResponse<byte[]> send(HttpRequest r, int expected) throws Exception {
    HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != expected) {
      throw new IllegalStateException(r.method() + " " + r.uri() + " answered " + resp.statusCode() + ": "
          + new String(resp.body(), StandardCharsets.UTF_8));
    }
    return resp;
  }

  /** Creates pods {@code pod-0..total-1} in {@code ns} with {@code clients} concurrent clients; returns creates per second. */
  double createPods(String ns, int clients, int total) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          try {
            send(createPodRequest(ns, "pod-" + i), 201);
          } catch (Exception e) {
            failures.add(e);
            return;
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
    if (!failures.isEmpty()) throw failures.get(0);
    return total / ((System.nanoTime() - t0) / 1e9);
  }

  /** A steady-rate run some of whose requests failed or were not answered in time. */
  static final class NotKeptUp extends Exception {
    private final long failed;
    private final int total;
    private final long[] answered;

    NotKeptUp(long failed, int total, long[] answered, Throwable firstCause) {
      super(String.format("%,d of %,d requests failed or unanswered 10 s after the last was sent", failed, total)
          + (firstCause == null ? "" : "; the first: " + firstCause.getClass().getSimpleName() + ": " + firstCause.getMessage()));
      this.failed = failed;
      this.total = total;
      this.answered = answered;
    }

    /** p50 and p99 in ns of the requests that were answered as expected, or null if none was. */
    long[] answered() {
      return answered;
    }

    long failed() {
      return failed;
    }

    int total() {
      return total;
    }
  }

  /**
   * Open-loop requests at a fixed rate, latency measured from each one's scheduled send time (so a
   * stall counts for every request it delays); returns p50, p99 in ns, or throws NotKeptUp.
   */
  static long[] steadyRate(HttpClient http, IntFunction<HttpRequest> requests, int expectedStatus, int perSecond, int seconds)
      throws Exception {
    int total = perSecond * seconds;
    long[] latencies = new long[total];
    Arrays.fill(latencies, -1); // failed or unanswered
    CountDownLatch done = new CountDownLatch(total);
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long intervalNanos = 1_000_000_000L / perSecond;
    long start = System.nanoTime() + 10_000_000;
    for (int i = 0; i < total; i++) {
      int n = i;
      long due = start + n * intervalNanos;
      ticker.schedule(() -> {
        http.sendAsync(requests.apply(n), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
          if (err != null || resp.statusCode() != expectedStatus) {
            failures.add(err != null ? err : new IllegalStateException("" + resp.statusCode()));
          } else {
            latencies[n] = System.nanoTime() - due;
          }
          done.countDown();
        });
      }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    // a backlog that has not drained 10 s after the last send is said as unanswered
    boolean finished = done.await(seconds + 10L, TimeUnit.SECONDS);
    ticker.shutdownNow();
    if (!failures.isEmpty() || !finished) {
      Throwable first = failures.isEmpty() ? null : failures.get(0);
      while (first != null && first.getCause() != null) first = first.getCause();
      long[] answered = Arrays.stream(latencies).filter(l -> l >= 0).toArray();
      throw new NotKeptUp(failures.size() + done.getCount(), total, answered.length == 0 ? null : percentiles(answered), first);
    }
    return percentiles(latencies);
  }

  HttpClient http() {
    return http;
  }

  /** GETs of random pods among pod-0..pods-1; returns p50, p99 in ns. */
  long[] gets(String ns, int pods, int count) throws Exception {
    long[] latencies = new long[count];
    Random random = new Random(42);
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      send(request("/api/v1/namespaces/" + ns + "/pods/pod-" + random.nextInt(pods)).GET().build(), 200);
      latencies[i] = System.nanoTime() - t0;
    }
    return percentiles(latencies);
  }

  /** LISTs of a namespace's pods; returns p50, p99 in ns. */
  long[] lists(String ns, int times, String accept) throws Exception {
    long[] latencies = new long[times];
    for (int i = 0; i < times; i++) {
      long t0 = System.nanoTime();
      send(request("/api/v1/namespaces/" + ns + "/pods").header("Accept", accept).GET().build(), 200);
      latencies[i] = System.nanoTime() - t0;
    }
    return percentiles(latencies);
  }

  /** Time from sending a create to receiving its watch event; returns p50, p99 in ns. */
  long[] watchLatency(String ns, int count, int perSecond) throws Exception {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    long[] latencies = new long[count];
    AtomicInteger received = new AtomicInteger();
    HttpResponse<InputStream> watch = http.send(request("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion="
        + currentResourceVersion(ns)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
        String line;
        while (received.get() < count && (line = in.readLine()) != null) {
          long now = System.nanoTime();
          int at = line.indexOf("\"name\":\"cm-");
          if (at < 0) continue;
          String name = line.substring(at + 8, line.indexOf('"', at + 8));
          Long t0 = sent.get(name);
          if (t0 != null) latencies[received.getAndIncrement()] = now - t0;
        }
      } catch (Exception ignored) {
        // the count received says what went missing
      }
    });
    reader.start();
    long interval = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + i * interval;
      while (System.nanoTime() < due) Thread.onSpinWait();
      String name = "cm-" + i;
      sent.put(name, System.nanoTime());
      http.sendAsync(request("/api/v1/namespaces/" + ns + "/configmaps").POST(HttpRequest.BodyPublishers.ofString(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}"))
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding());
    }
    reader.join(60_000);
    if (received.get() < count) throw new IllegalStateException("watch delivered " + received.get() + " of " + count);
    watch.body().close();
    return percentiles(latencies);
  }

  private String currentResourceVersion(String ns) throws Exception {
    String body = new String(send(request("/api/v1/namespaces/" + ns + "/configmaps").GET().build(), 200).body(), StandardCharsets.UTF_8);
    int at = body.indexOf("\"resourceVersion\":\"") + 19;
    return body.substring(at, body.indexOf('"', at));
  }

  /** p50 and p99 (nearest rank). */
  static long[] percentiles(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new long[] {sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)]};
  }
}
