package io.kubeactor.controlplane.bench;

import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.dns.ClusterDns;
import io.kubeactor.controlplane.dns.DnsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The cluster DNS's queries/s and latency, measured with dnsperf (Debian's, a C load generator) on
 * this machine's loopback, and the same load against NSD (Debian's authoritative server in C)
 * serving a zone file with the same records, as the anchor: no CoreDNS is packaged here, and NSD
 * is the kind of optimized authoritative server a Java one can be held against.
 *
 * <p>The DNS server runs in this JVM over a real store, registry and shared informers (the
 * controller tests' fixture) holding N ClusterIP Services with a named port. The query mix is what
 * pods send: 70% A of a Service, 10% SRV of its port, 20% names their search path makes up that do
 * not exist (NXDOMAIN). Run it with benchmarks/dns-benchmark.sh; it prints a Markdown table.
 */
public final class DnsBenchmark {

  private DnsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    Path dir = Files.createTempDirectory("kubeactor-dns-bench");
    List<String[]> rows = new ArrayList<>();
    Process nsd = null;
    try (ControllerFixture f = new ControllerFixture()) {
      f.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bench\"}}");
      StringBuilder zone = new StringBuilder("""
          $ORIGIN cluster.local.
          $TTL 5
          @ IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5
          @ IN NS ns.dns.cluster.local.
          ns.dns IN A 10.96.0.10
          dns-version 28800 IN TXT "1.1.0"
          """);
      for (int i = 0; i < services; i++) {
        String ip = "10.96." + (1 + i / 250) + "." + (1 + i % 250);
        f.apply("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"svc-" + i + "\",\"namespace\":\"bench\"},"
            + "\"spec\":{\"clusterIP\":\"" + ip + "\",\"ports\":[{\"name\":\"http\",\"port\":80}]}}");
        zone.append("svc-").append(i).append(".bench.svc IN A ").append(ip).append('\n');
        zone.append("_http._tcp.svc-").append(i).append(".bench.svc IN SRV 0 100 80 svc-").append(i)
            .append(".bench.svc.cluster.local.\n");
      }
      while (f.context.informers().services().list().size() < services) Thread.sleep(10);
      DnsSettings t = DnsSettings.forTest(List.of());
      DnsSettings settings = new DnsSettings(t.domain(), "127.0.0.1", 0, 5, List.of(), t.upstreamTimeout(), t.cacheMaxTtl(),
          t.cacheSize(), t.reverseCidrs(), 2, 256, t.tcpIdleTimeout());
      try (ClusterDns dns = ClusterDns.start(settings, f.context.informers(), s -> { })) {
        int nsdPort = freePort();
        nsd = startNsd(dir, zone.toString(), nsdPort);
        Path queries = writeQueries(dir, services);
        // both answer the same names the same way before anything is measured
        for (String q : List.of("svc-7.bench.svc.cluster.local", "google.com.bench.svc.cluster.local")) {
          String a = answer(dns.port(), q);
          String b = answer(nsdPort, q);
          if (!a.equals(b)) throw new IllegalStateException("kubeactor and NSD differ for " + q + ": " + a + " / " + b);
        }
        dnsperf(dns.port(), queries, List.of("-l", Integer.toString(seconds), "-c", "1", "-T", "1", "-q", "64")); // JIT warm-up
        for (var target : List.of(new Object[] {"kubeactor (dnsjava)", dns.port()}, new Object[] {"NSD 4 (anchor)", nsdPort})) {
          String name = (String) target[0];
          int port = (Integer) target[1];
          Result max = dnsperf(port, queries, List.of("-l", Integer.toString(seconds), "-c", "1", "-T", "1", "-q", "64"));
          rows.add(new String[] {name + ": queries/s, 64 outstanding", String.format("%.0f /s (%.2f%% lost)", max.qps, max.lostPercent)});
          Result fixed = dnsperf(port, queries, List.of("-l", Integer.toString(seconds), "-c", "1", "-T", "1", "-Q",
              Integer.toString(rate), "-v"));
          rows.add(new String[] {name + ": latency at " + rate + "/s, p50", String.format("%.3f ms", fixed.p50 * 1000)});
          rows.add(new String[] {name + ": latency at " + rate + "/s, p99", String.format("%.3f ms", fixed.p99 * 1000)});
        }
      }
    } finally {
      if (nsd != null) {
        nsd.destroy();
        nsd.waitFor();
      }
    }
    System.out.println();
    System.out.println("Machine: " + machine() + "; " + services + " Services, " + seconds + " s per run, dnsperf "
        + "and the servers on the same cores.");
    System.out.println();
    System.out.println("| measure | result |");
    System.out.println("|---|---|");
    for (String[] r : rows) System.out.println("| " + r[0] + " | " + r[1] + " |");
  }

  private record Result(double qps, double lostPercent, double p50, double p99) {}

  private static Result dnsperf(int port, Path queries, List<String> options) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dnsperf", "-s", "127.0.0.1", "-p", Integer.toString(port), "-d",
        queries.toString(), "-t", "2"));
    cmd.addAll(options);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<Double> latencies = new ArrayList<>();
    double qps = 0;
    double lost = 0;
    Pattern qpsLine = Pattern.compile("Queries per second:\\s+([0-9.]+)");
    Pattern lostLine = Pattern.compile("Queries lost:\\s+\\d+ \\(([0-9.]+)%\\)");
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("> ")) {
          String[] f = line.trim().split("\\s+");
          if (!f[1].equals("T") && !f[1].equals("I")) latencies.add(Double.parseDouble(f[f.length - 1]));
          continue;
        }
        Matcher m = qpsLine.matcher(line);
        if (m.find()) qps = Double.parseDouble(m.group(1));
        m = lostLine.matcher(line);
        if (m.find()) lost = Double.parseDouble(m.group(1));
      }
    }
    if (p.waitFor() != 0) throw new IllegalStateException("dnsperf failed: " + cmd);
    Collections.sort(latencies);
    double p50 = latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2);
    double p99 = latencies.isEmpty() ? 0 : latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1));
    return new Result(qps, lost, p50, p99);
  }

  /** 70% A of a Service, 10% SRV of its port, 20% search-path names that do not exist. */
  private static Path writeQueries(Path dir, int services) throws IOException {
    Random random = new Random(42);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      int svc = random.nextInt(services);
      int kind = random.nextInt(10);
      if (kind < 7) sb.append("svc-").append(svc).append(".bench.svc.cluster.local A\n");
      else if (kind < 8) sb.append("_http._tcp.svc-").append(svc).append(".bench.svc.cluster.local SRV\n");
      else sb.append("svc-").append(svc).append(".example.com.bench.svc.cluster.local A\n");
    }
    Path file = dir.resolve("queries.txt");
    Files.writeString(file, sb);
    return file;
  }

  private static Process startNsd(Path dir, String zone, int port) throws Exception {
    Files.writeString(dir.resolve("cluster.local.zone"), zone);
    Files.writeString(dir.resolve("nsd.conf"), """
        server:
          ip-address: 127.0.0.1
          port: %d
          server-count: 2
          username: ""
          zonesdir: "%s"
          zonelistfile: "%s/zone.list"
          database: ""
          xfrdfile: "%s/xfrd.state"
          xfrdir: "%s"
          pidfile: "%s/nsd.pid"
          logfile: "%s/nsd.log"
          hide-version: yes
          # Debian's NSD limits responses per client network (200/s): one load generator is one client
          rrl-ratelimit: 0
        remote-control:
          control-enable: no
        zone:
          name: cluster.local
          zonefile: cluster.local.zone
        """.formatted(port, dir, dir, dir, dir, dir, dir));
    Process p = new ProcessBuilder("nsd", "-d", "-c", dir.resolve("nsd.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("nsd.out").toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) throw new IllegalStateException("nsd exited: " + Files.readString(dir.resolve("nsd.out")));
      try {
        answer(port, "ns.dns.cluster.local");
        return p;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    p.destroy();
    throw new IllegalStateException("nsd did not answer on port " + port);
  }

  /** The rcode and answers of an A query, to check both servers agree. */
  private static String answer(int port, String name) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofSeconds(1));
    Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
    return m.getRcode() + " " + m.getSection(org.xbill.DNS.Section.ANSWER).stream().map(Record::rdataToString).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String machine() {
    String cpu = "";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
    } catch (IOException ignored) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " cores " + cpu + ", Java " + System.getProperty("java.version");
  }
}
