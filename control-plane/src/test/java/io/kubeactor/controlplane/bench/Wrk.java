package io.kubeactor.controlplane.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * wrk, the one load generator for both kubeactor and etcd, so that neither side's figure carries a
 * different client's cost on the two cores they share: closed loop, keep-alive connections, each
 * request a new object (the Lua scripts in benchmarks/). A script's done() prints one
 * {@code wrk-result} line (benchmarks/wrk-report.lua), read here.
 */
final class Wrk {

  /** What one run did: completed requests, refused ones (non-2xx), socket errors and latency. */
  record Result(long requests, long refused, long socketErrors, double seconds, double p50Millis, double p99Millis) {

    /** Successful requests per second. */
    double perSecond() {
      return (requests - refused) / seconds;
    }

    /** The rate, with any failures said beside it rather than hidden in it. */
    String describe() {
      String rate = String.format("%,.0f /s", perSecond());
      if (refused == 0 && socketErrors == 0) return rate;
      return rate + " (" + refused + " refused, " + socketErrors + " socket errors)";
    }
  }

  private final Path scripts;

  Wrk(Path scripts) {
    this.scripts = scripts;
  }

  /** Runs {@code script} against {@code url} with {@code connections} connections for {@code duration}. */
  Result run(String script, String url, int connections, Duration duration, String... scriptArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of("wrk", "-t", Integer.toString(Math.min(2, connections)),
        "-c", Integer.toString(connections), "-d", duration.toSeconds() + "s",
        // wrk's default of 2 s would count a create queued behind a snapshot as failed
        "--timeout", "30s", "-s", scripts.resolve(script).toString(), url, "--"));
    command.addAll(List.of(scriptArgs));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    String line = out.lines().filter(l -> l.startsWith("wrk-result ")).findFirst().orElse(null);
    if (exit != 0 || line == null) throw new IllegalStateException("wrk " + url + " failed (exit " + exit + "):\n" + out);
    Map<String, Long> values = new HashMap<>();
    for (String field : line.substring("wrk-result ".length()).trim().split(" ")) {
      String[] kv = field.split("=");
      values.put(kv[0], Long.parseLong(kv[1]));
    }
    return new Result(values.get("requests"), values.get("status_errors"), values.get("socket_errors"),
        values.get("duration_us") / 1e6, values.get("p50_us") / 1e3, values.get("p99_us") / 1e3);
  }
}
