package io.kubeactor.controlplane.bench;

import io.kubeactor.controlplane.e2e.ControlPlaneProcess;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server's figures, measured against the packaged control plane in its own JVM on this
 * machine: durable create throughput (1 and 16 clients), create latency at a fixed rate, GET and
 * LIST with 10,000 pods, watch delivery latency, memory, and restart-to-serving time.
 * Run it with benchmarks/api-benchmark.sh; it prints a Markdown table.
 */
public final class ApiBenchmark {

  private final String server;
  private final String token;
  private final HttpClient http;

  private ApiBenchmark(String server, String token, HttpClient http) {
    this.server = server;
    this.token = token;
    this.http = http;
  }

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dataDir = Files.createTempDirectory("kubeactor-bench").resolve("data");
    int port = ControlPlaneProcess.freePort();
    List<String[]> rows = new ArrayList<>();
    ControlPlaneProcess cp = ControlPlaneProcess.start(dataDir, port, Duration.ofSeconds(120));
    ApiBenchmark b = new ApiBenchmark("https://127.0.0.1:" + port,
        Files.readString(dataDir.resolve("pki/admin.token")).trim(), client(dataDir));
    try {
      for (String ns : List.of("bench1", "bench16", "rate", "list", "watch")) b.createNamespace(ns);
      b.warmUp();

      double one = b.throughput("bench1", 1, 2_000);
      rows.add(row("durable creates/s, 1 client", "%.0f /s", one));
      double sixteen = b.throughput("bench16", 16, 8_000);
      rows.add(row("durable creates/s, 16 clients", "%.0f /s", sixteen));

      // a server that cannot keep up refuses or drops some creates: said in the table, the rest still measured
      try {
        long[] rate = b.fixedRate("rate", 200, 15);
        rows.add(row("create latency at 200/s, p50", "%.1f ms", rate[0] / 1e6));
        rows.add(row("create latency at 200/s, p99", "%.1f ms", rate[1] / 1e6));
      } catch (IllegalStateException overloaded) {
        rows.add(new String[] {"create latency at 200/s", overloaded.getMessage()});
      }

      b.throughput("list", 16, pods);
      long[] get = b.gets("list", pods, 2_000);
      rows.add(row("GET one pod (of " + pods + "), p50", "%.2f ms", get[0] / 1e6));
      rows.add(row("GET one pod (of " + pods + "), p99", "%.2f ms", get[1] / 1e6));
      long[] list = b.lists("list", 7, "application/json");
      rows.add(row("LIST " + pods + " pods (JSON), median", "%.0f ms", list[0] / 1e6));
      long[] table = b.lists("list", 7, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
      rows.add(row("LIST " + pods + " pods (kubectl's Table), median", "%.0f ms", table[0] / 1e6));

      long[] watch = b.watchLatency("watch", 1_000, 100);
      rows.add(row("watch delivery latency, p50", "%.1f ms", watch[0] / 1e6));
      rows.add(row("watch delivery latency, p99", "%.1f ms", watch[1] / 1e6));

      for (String ns : List.of("bench1", "bench16", "rate", "watch")) b.deleteNamespace(ns);
    } finally {
      cp.stop();
    }
    // a fresh process holds exactly the stored objects: `pods` pods plus the system's own
    long started = System.nanoTime();
    ControlPlaneProcess restarted = ControlPlaneProcess.start(dataDir, port, Duration.ofSeconds(120));
    double restartSeconds = (System.nanoTime() - started) / 1e9;
    try {
      rows.add(row("restart to serving with " + pods + " pods stored (JVM start included)", "%.2f s", restartSeconds));
      b.lists("list", 3, "application/json");
      rows.add(row("control-plane RSS with " + pods + " pods", "%.0f MiB", restarted.rssKib() / 1024.0));
    } finally {
      restarted.stop();
    }
    System.out.println();
    System.out.println("Machine: " + machine());
    System.out.println();
    System.out.println("| measure | result |");
    System.out.println("|---|---|");
    for (String[] r : rows) System.out.println("| " + r[0] + " | " + r[1] + " |");
    // the HTTP client's and a timed-out fixed-rate run's threads must not keep the JVM after the table
    System.exit(0);
  }

  private static String[] row(String what, String format, double value) {
    return new String[] {what, String.format(format, value)};
  }

  private static HttpClient client(Path dataDir) throws Exception {
    var certs = io.kubeactor.controlplane.security.ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    return HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(32)).build();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60));
  }

  private void createNamespace(String ns) throws Exception {
    send(request("/api/v1/namespaces").POST(HttpRequest.BodyPublishers.ofString(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}"))
        .header("Content-Type", "application/json").build(), 201);
  }

  private void deleteNamespace(String ns) throws Exception {
    send(request("/api/v1/namespaces/" + ns).DELETE().build(), 200);
  }

  private static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.14.2\",\"ports\":[{\"containerPort\":80}],"
        + "\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}}]}}";
  }

  private long createPod(String ns, String name) throws Exception {
    long t0 = System.nanoTime();
    send(request("/api/v1/namespaces/" + ns + "/pods").POST(HttpRequest.BodyPublishers.ofString(pod(name)))
        .header("Content-Type", "application/json").build(), 201);
    return System.nanoTime() - t0;
  }

  private HttpResponse<byte[]> send(HttpRequest r, int expected) throws Exception {
    HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != expected) {
      throw new IllegalStateException(r.method() + " " + r.uri() + " answered " + resp.statusCode() + ": "
          + new String(resp.body(), StandardCharsets.UTF_8));
    }
    return resp;
  }

  private void warmUp() throws Exception {
    createNamespace("warmup");
    throughput("warmup", 8, 2_000);
    lists("warmup", 3, "application/json");
    deleteNamespace("warmup");
  }

  /** Creates `total` pods with `clients` concurrent clients; returns creates per second. */
  private double throughput(String ns, int clients, int total) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          try {
            createPod(ns, "pod-" + i);
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

  /** Open-loop creates at a fixed rate (latency measured from the scheduled send time); returns p50, p99 in ns. */
  private long[] fixedRate(String ns, int perSecond, int seconds) throws Exception {
    int total = perSecond * seconds;
    long[] latencies = new long[total];
    CountDownLatch done = new CountDownLatch(total);
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long intervalNanos = 1_000_000_000L / perSecond;
    long start = System.nanoTime() + 10_000_000;
    for (int i = 0; i < total; i++) {
      int n = i;
      long due = start + n * intervalNanos;
      ticker.schedule(() -> {
        HttpRequest r = request("/api/v1/namespaces/" + ns + "/pods").POST(HttpRequest.BodyPublishers.ofString(pod("pod-" + n)))
            .header("Content-Type", "application/json").build();
        http.sendAsync(r, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
          if (err != null || resp.statusCode() != 201) failures.add(err != null ? err : new IllegalStateException("" + resp.statusCode()));
          latencies[n] = System.nanoTime() - due;
          done.countDown();
        });
      }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    done.await(seconds + 60L, TimeUnit.SECONDS);
    ticker.shutdownNow();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("not kept up: " + failures.size() + " of " + latencies.length + " creates failed ("
          + failures.get(0).toString().replaceAll("^[\\w.]+Exception: ", "") + ")");
    }
    return percentiles(latencies);
  }

  private long[] gets(String ns, int pods, int count) throws Exception {
    long[] latencies = new long[count];
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      send(request("/api/v1/namespaces/" + ns + "/pods/pod-" + random.nextInt(pods)).GET().build(), 200);
      latencies[i] = System.nanoTime() - t0;
    }
    return percentiles(latencies);
  }

  private long[] lists(String ns, int times, String accept) throws Exception {
    long[] latencies = new long[times];
    for (int i = 0; i < times; i++) {
      long t0 = System.nanoTime();
      send(request("/api/v1/namespaces/" + ns + "/pods").header("Accept", accept).GET().build(), 200);
      latencies[i] = System.nanoTime() - t0;
    }
    return percentiles(latencies);
  }

  /** Time from sending a create to receiving its watch event; returns p50, p99 in ns. */
  private long[] watchLatency(String ns, int count, int perSecond) throws Exception {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    long[] latencies = new long[count];
    AtomicInteger received = new AtomicInteger();
    HttpResponse<InputStream> watch = http.send(request("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion="
        + currentResourceVersion(ns)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    AtomicLong failures = new AtomicLong();
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
      } catch (Exception e) {
        failures.incrementAndGet();
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

  private static long[] percentiles(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return new long[] {sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)]};
  }

  private static String machine() throws Exception {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
    String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + ", Java " + Runtime.version();
  }
}
