package io.kubeactor.controlplane.bench;

import io.kubeactor.controlplane.e2e.ControlPlaneProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The API server's figures beside etcd's, the anchor, measured in the same run on this machine: the
 * packaged control plane in a JVM of its own, once per journal (H2, PostgreSQL), and a single-member
 * etcd. Durable creates with 16 and 1 clients come from wrk for both (same connections, same
 * duration, HTTPS, a new key per request and values of the pod's size), and create latency at a
 * steady rate from the JDK client for both; GET and LIST with {@code pods} pods, watch delivery,
 * restart to serving and memory are kubeactor's alone. Run it with benchmarks/api-benchmark.sh; it
 * prints Markdown tables.
 *
 * <p>Arguments: {@code [PODS] [JOURNALS]}, JOURNALS a comma-separated list of h2 and postgres
 * (default h2); postgres reads KUBEACTOR_BENCH_POSTGRES_URL, _USER and _PASSWORD, a database the
 * benchmark may fill. System properties: kubeactor.bench.work-dir (the data directories, deleted by
 * whoever created it), kubeactor.bench.scripts (the wrk scripts, default ../benchmarks).
 */
public final class ApiBenchmark {

  /** Each wrk run, kubeactor's and etcd's alike. */
  private static final Duration WRK_RUN = Duration.ofSeconds(10);
  private static final int STEADY_PER_SECOND = 200;
  /** 5,000 creates: the store's snapshot interval (kubeactor.store.snapshot-every), so the p99 includes a snapshot. */
  private static final int STEADY_SECONDS = 25;
  /** etcd's steady-rate anchor: its latency has no periodic stall of that kind to catch. */
  private static final int ETCD_STEADY_SECONDS = 5;
  private static final long STARTED = System.nanoTime();

  private record Journal(String name, String title, List<String> jvmOptions) {}

  private record Row(String measure, String kubeactor, String etcd, String ratio) {
    static Row of(String measure, String kubeactor) {
      return new Row(measure, kubeactor, "", "");
    }
  }

  private final int pods;
  private final Path work;
  private final Wrk wrk;
  private final EtcdProcess etcd;
  private final HttpClient etcdClient;
  /** Set by the first journal's run: every value etcd stores has this size. */
  private int podBytes;
  private final List<String> notes = new ArrayList<>();

  private ApiBenchmark(int pods, Path work, Wrk wrk, EtcdProcess etcd) {
    this.pods = pods;
    this.work = work;
    this.wrk = wrk;
    this.etcd = etcd;
    this.etcdClient = etcd.httpsClient();
  }

  public static void main(String[] args) {
    int exit = 0;
    try {
      run(args);
    } catch (Throwable t) {
      System.err.println("api-benchmark failed: " + t);
      t.printStackTrace();
      exit = 1;
    }
    // the HTTP clients' and a timed-out steady run's threads must not keep the JVM after the tables
    System.exit(exit);
  }

  private static void run(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    List<Journal> journals = Stream.of((args.length > 1 ? args[1] : "h2").split(",")).map(ApiBenchmark::journal).toList();
    String given = System.getProperty("kubeactor.bench.work-dir");
    Path work = given != null ? Files.createDirectories(Path.of(given)) : Files.createTempDirectory("kubeactor-bench");
    stopChildrenOnExit(given == null ? work : null);
    String loadBefore = loadAverage();

    // PostgreSQL unreachable fails the run before anything is measured
    String postgres = journals.stream().anyMatch(j -> j.name().equals("postgres"))
        ? "PostgreSQL journal: " + postgresVersion() + ", the machine's server, a database of the run's own." : null;
    progress("starting etcd");
    EtcdProcess etcd = EtcdProcess.start(work.resolve("etcd"));
    ApiBenchmark b = new ApiBenchmark(pods, work,
        new Wrk(Path.of(System.getProperty("kubeactor.bench.scripts", "../benchmarks")).toAbsolutePath()), etcd);
    if (postgres != null) b.notes.add(postgres);
    Map<String, List<Row>> tables = new LinkedHashMap<>();
    for (Journal j : journals) tables.put(j.title() + ", " + String.format("%,d", pods) + " pods", b.measure(j));
    etcd.stop();

    System.out.println();
    System.out.println("Machine: " + machine());
    System.out.println("Load average (1 min) before and after: " + loadBefore + ", " + loadAverage()
        + " (the machine's other work shows here and in every figure)");
    System.out.println("Anchor: etcd " + etcd.version() + ", one member on loopback with a fresh data directory, durable as by"
        + " default (each commit fsynced), through its v3 HTTP gateway (/v3/kv/put). kubeactor and etcd are driven by the"
        + " same client, wrk (2 threads for 16 connections, 1 for 1), " + WRK_RUN.toSeconds() + " s per run, alternated,"
        + " over HTTPS with the same kind of certificate; each request creates a new object: a " + String.format("%,d", b.podBytes)
        + "-byte pod (its JSON as GET returns it) for kubeactor, a new key with a value of that size for etcd.");
    b.notes.forEach(System.out::println);
    for (var table : tables.entrySet()) {
      System.out.println();
      System.out.println("| " + table.getKey() + " | kubeactor | etcd | kubeactor / etcd |");
      System.out.println("|---|---|---|---|");
      for (Row r : table.getValue()) {
        System.out.println("| " + r.measure() + " | " + r.kubeactor() + " | " + r.etcd() + " | " + r.ratio() + " |");
      }
    }
  }

  private static Journal journal(String name) {
    return switch (name.trim()) {
      case "h2" -> new Journal("h2", "H2 journal", List.of());
      case "postgres" -> {
        String url = requiredEnv("KUBEACTOR_BENCH_POSTGRES_URL");
        yield new Journal("postgres", "PostgreSQL journal", List.of(
            "-Dkubeactor.store.backend=postgres", "-Dkubeactor.store.postgres.url=" + url,
            "-Dkubeactor.store.postgres.user=" + requiredEnv("KUBEACTOR_BENCH_POSTGRES_USER"),
            "-Dkubeactor.store.postgres.password=" + requiredEnv("KUBEACTOR_BENCH_POSTGRES_PASSWORD")));
      }
      default -> throw new IllegalArgumentException("journals are h2 and postgres, not '" + name + "'");
    };
  }

  /**
   * One journal's table. The control plane starts on a fresh data directory (or an emptied
   * database), is filled with {@code pods} pods (which also warms it up) and read, then restarted
   * with exactly those pods stored; the restarted one, warmed up again, takes the creates and the
   * watch, and is stopped with them still stored, so that no deletion has to be waited for.
   */
  private List<Row> measure(Journal journal) throws Exception {
    if (journal.name().equals("postgres")) emptyPostgres();
    Path dataDir = Files.createDirectories(work.resolve(journal.name())).resolve("data");
    int port = ControlPlaneProcess.freePort();
    // as ./kubeactor up: the first start archives the control plane's classes as it stops, the restart maps them
    Path classes = dataDir.resolveSibling("control-plane.jsa");
    String[] jvmOptions = Stream.concat(journal.jvmOptions().stream(), Stream.of("-XX:ArchiveClassesAtExit=" + classes))
        .toArray(String[]::new);
    progress(journal.name() + ": starting the control plane, filling a namespace with " + pods + " pods, GET and LIST");
    ControlPlaneProcess cp = ControlPlaneProcess.start(dataDir, port, Duration.ofSeconds(120), jvmOptions);
    recordChildren();
    BenchmarkClient k = BenchmarkClient.connect(dataDir, port);
    String fill;
    String get;
    String list;
    try {
      for (String ns : List.of("list", "warmup", "wrk16", "wrk1", "steady", "watch")) k.createNamespace(ns);
      fill = String.format("%,.0f /s", k.createPods("list", 16, pods));
      if (podBytes == 0) measureAnchorSettings(k);
      long[] gets = k.gets("list", pods, 2_000);
      get = pair(gets[0], gets[1]);
      long[] json = k.lists("list", 7, "application/json");
      long[] table = k.lists("list", 7, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
      list = pair(json[0], table[0]);
    } finally {
      cp.stop();
    }

    progress(journal.name() + ": a restart, then durable creates with wrk, kubeactor and etcd alternated");
    jvmOptions[jvmOptions.length - 1] = "-XX:SharedArchiveFile=" + classes;
    long started = System.nanoTime();
    ControlPlaneProcess restarted = ControlPlaneProcess.start(dataDir, port, Duration.ofSeconds(120), jvmOptions);
    double restartSeconds = (System.nanoTime() - started) / 1e9;
    recordChildren();
    List<Row> rows = new ArrayList<>();
    try {
      int stored = k.countPods();
      k.lists("list", 3, "application/json");
      double rss = restarted.rssKib() / 1024.0;
      // the restarted JVM's JIT, connection pools and the store's first batches
      k.createPods("warmup", 8, 2_000);

      // alternated, so that a change in the machine's load falls on both sides
      String prefix = "/registry/pods/" + journal.name();
      Wrk.Result etcd16 = wrk.run("wrk-etcd-put.lua", etcd.httpsUrl(), 16, WRK_RUN, "" + podBytes, prefix + "-16");
      Wrk.Result kube16 = wrk.run("wrk-kubeactor-create.lua", k.server(), 16, WRK_RUN, k.token(), "wrk16", "pod");
      Wrk.Result etcd1 = wrk.run("wrk-etcd-put.lua", etcd.httpsUrl(), 1, WRK_RUN, "" + podBytes, prefix + "-1");
      Wrk.Result kube1 = wrk.run("wrk-kubeactor-create.lua", k.server(), 1, WRK_RUN, k.token(), "wrk1", "pod");

      progress(journal.name() + ": creates at a steady " + STEADY_PER_SECOND + "/s, then watch delivery");
      // etcd's first: a kubeactor that cannot keep up leaves a backlog that would fall on etcd's run
      byte[] value = new byte[podBytes];
      Arrays.fill(value, (byte) 'x');
      String etcdSteady = steady(journal.name() + ", etcd", () -> BenchmarkClient.steadyRate(etcdClient,
          n -> etcd.putRequest(prefix + "-steady-" + n, value), 200, STEADY_PER_SECOND, ETCD_STEADY_SECONDS));
      String kubeSteady = steady(journal.name() + ", kubeactor", () -> BenchmarkClient.steadyRate(k.http(),
          n -> k.createPodRequest("steady", "pod-" + n), 201, STEADY_PER_SECOND, STEADY_SECONDS));
      long[] watch = k.watchLatency("watch", 1_000, 100);

      String n = String.format("%,d", pods);
      rows.add(ratio("durable creates/s, 16 clients", kube16, etcd16));
      rows.add(ratio("durable creates/s, 1 client", kube1, etcd1));
      rows.add(new Row("create latency with 16 clients (closed loop, wrk), p99",
          number(kube16.p99Millis()) + " ms", number(etcd16.p99Millis()) + " ms", ""));
      rows.add(new Row("create latency at a steady " + STEADY_PER_SECOND + "/s, p50 / p99", kubeSteady, etcdSteady, ""));
      rows.add(Row.of("durable creates/s, 16 clients, JDK HttpClient (filling " + n + " pods from a cold start)", fill));
      rows.add(Row.of("GET one pod (of " + n + "), p50 / p99", get));
      rows.add(Row.of("LIST " + n + " pods (JSON / kubectl's Table), median", list));
      rows.add(Row.of("watch delivery at 100 creates/s, p50 / p99", pair(watch[0], watch[1])));
      rows.add(Row.of("restart to serving with " + String.format("%,d", stored) + " pods stored (JVM start included; classes mapped from the archive ./kubeactor up makes)",
          String.format("%.1f s", restartSeconds)));
      rows.add(Row.of("control-plane RSS with " + String.format("%,d", stored) + " pods, after restart and 3 LISTs",
          String.format("%.0f MiB", rss)));
    } finally {
      restarted.stop();
    }
    return rows;
  }

  /** The pod's stored size, and etcd over plain HTTP once (the anchor was measured so). */
  private void measureAnchorSettings(BenchmarkClient k) throws Exception {
    podBytes = k.getPod("list", "pod-0").length;
    progress("etcd over plain HTTP, once");
    Duration run = Duration.ofSeconds(5);
    Wrk.Result plain16 = wrk.run("wrk-etcd-put.lua", etcd.httpUrl(), 16, run, "" + podBytes, "/registry/pods/plain-16");
    Wrk.Result plain1 = wrk.run("wrk-etcd-put.lua", etcd.httpUrl(), 1, run, "" + podBytes, "/registry/pods/plain-1");
    notes.add("etcd over plain HTTP in the same run, 5 s per run (for comparison with anchors measured so): "
        + plain16.describe() + " with 16 clients, " + plain1.describe() + " with 1.");
  }

  private interface Measure {
    long[] run() throws Exception;
  }

  /** "p50 / p99 ms" of a steady-rate run, or how many failed and the rest's (the first failure's cause in a note). */
  private String steady(String what, Measure m) throws Exception {
    try {
      long[] p = m.run();
      return pair(p[0], p[1]);
    } catch (BenchmarkClient.NotKeptUp e) {
      notes.add("Steady " + STEADY_PER_SECOND + "/s, " + what + ": " + e.getMessage());
      String failed = String.format("%,d of %,d failed", e.failed(), e.total());
      return e.answered() == null ? failed : failed + "; the rest " + pair(e.answered()[0], e.answered()[1]);
    }
  }

  /** Where the run is, on stderr: the tables alone go to stdout. */
  private static void progress(String what) {
    System.err.printf("api-benchmark: %4.0f s  %s%n", (System.nanoTime() - STARTED) / 1e9, what);
  }

  private static Row ratio(String measure, Wrk.Result kubeactor, Wrk.Result etcd) {
    return new Row(measure, kubeactor.describe(), etcd.describe(), String.format("%.2f", kubeactor.perSecond() / etcd.perSecond()));
  }

  /** Two durations given in ns, as "a / b ms". */
  private static String pair(long firstNanos, long secondNanos) {
    return number(firstNanos / 1e6) + " / " + number(secondNanos / 1e6) + " ms";
  }

  private static String number(double millis) {
    return String.format(millis < 10 ? "%.1f" : "%,.0f", millis);
  }

  /**
   * Ends the control planes, etcd and any wrk with the JVM however it ends (a failure, ^C), and
   * deletes {@code ownWorkDir} if set. The pids also go to the work directory's children.pids for
   * the script, in case the JVM itself is killed.
   */
  private static void stopChildrenOnExit(Path ownWorkDir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
      children.forEach(ProcessHandle::destroy);
      for (ProcessHandle c : children) {
        try {
          c.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception notYet) {
          c.destroyForcibly();
        }
      }
      if (ownWorkDir != null) deleteRecursively(ownWorkDir);
    }));
  }

  private void recordChildren() throws IOException {
    Files.writeString(work.resolve("children.pids"), ProcessHandle.current().children()
        .map(p -> Long.toString(p.pid())).collect(Collectors.joining("\n", "", "\n")));
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: what is left goes with the machine's own clean-up
    }
  }

  private static String requiredEnv(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set (benchmarks/api-benchmark.sh sets it up from scripts/ensure-postgres.sh)");
    }
    return value;
  }

  /** A fresh journal: the plugin's tables dropped (the control plane creates them again). */
  private static void emptyPostgres() throws java.sql.SQLException {
    try (var c = postgres(); var s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS event_tag, event_journal, snapshot, durable_state CASCADE");
    }
  }

  private static java.sql.Connection postgres() throws java.sql.SQLException {
    return DriverManager.getConnection(requiredEnv("KUBEACTOR_BENCH_POSTGRES_URL"),
        requiredEnv("KUBEACTOR_BENCH_POSTGRES_USER"), requiredEnv("KUBEACTOR_BENCH_POSTGRES_PASSWORD"));
  }

  private static String postgresVersion() {
    try (var c = postgres();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'),"
            + " current_setting('synchronous_commit')")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1).replaceAll(" .*", "") + ", fsync " + rs.getString(2)
          + ", synchronous_commit " + rs.getString(3);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot reach PostgreSQL at " + System.getenv("KUBEACTOR_BENCH_POSTGRES_URL") + ": " + e.getMessage(), e);
    }
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static String machine() throws Exception {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
    String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + ", Java " + Runtime.version();
  }
}
