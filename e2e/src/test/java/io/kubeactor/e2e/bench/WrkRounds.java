package io.kubeactor.e2e.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk runs (2 threads, 16 connections) as the traffic benchmarks compare them: requests/s, p50 and p99 of each, medians of several. */
final class WrkRounds {
  private WrkRounds() {}

  /** One wrk run: requests/s, p50 ms, p99 ms; with a Host header when {@code host} is given; any non-2xx answer fails it. */
  static double[] run(String url, String host, int seconds) throws Exception {
    List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency"));
    if (host != null) command.addAll(List.of("-H", "Host: " + host));
    command.add(url);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException("wrk failed: " + out);
    if (out.contains("Non-2xx")) throw new IllegalStateException("wrk got error answers: " + out);
    Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    if (!rate.find()) throw new IllegalStateException("no rate in wrk's output: " + out);
    return new double[] {Double.parseDouble(rate.group(1)), latency(out, "50%"), latency(out, "99%")};
  }

  private static double latency(String wrkOutput, String percentile) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(wrkOutput);
    if (!m.find()) throw new IllegalStateException("no " + percentile + " latency in wrk's output: " + wrkOutput);
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  /** The median of one field (0 requests/s, 1 p50, 2 p99) over the runs. */
  static double median(List<double[]> runs, int field) {
    double[] v = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
    return v[v.length / 2];
  }
}
