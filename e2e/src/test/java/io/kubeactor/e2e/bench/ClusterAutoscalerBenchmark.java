package io.kubeactor.e2e.bench;

import io.kubeactor.e2e.ClusterAutoscaling;
import java.time.Duration;
import java.time.Instant;

/**
 * Scale-up time of the cluster autoscaler with the local node provider: from a pod that fits on no
 * node being created to it Running on the node the autoscaler added (a new agent JVM that starts,
 * registers, gets its pod network and starts the pod's containers), each round from no added node.
 * Usage: ClusterAutoscalerBenchmark [ROUNDS]
 */
public final class ClusterAutoscalerBenchmark {
  private ClusterAutoscalerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    try (ClusterAutoscaling s = ClusterAutoscaling.start(Duration.ofSeconds(5))) {
      System.out.println();
      System.out.println("| round | node | pod created → Running on the added node | of which: pod created → the node Ready (API times, whole s) |");
      System.out.println("|---|---|---|---|");
      for (int round = 1; round <= rounds; round++) {
        long t0 = System.nanoTime();
        s.deploy(1);
        String pod = s.awaitBurstRunning(Duration.ofMinutes(3));
        long t1 = System.nanoTime();
        String node = s.c.jsonpath("pod/" + pod, "{.spec.nodeName}");
        String created = s.c.jsonpath("pod/" + pod, "{.metadata.creationTimestamp}");
        String ready = s.c.jsonpath("node/" + node, "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}");
        System.out.printf("| %d | %s | %.1f s | %s s |%n", round, node, (t1 - t0) / 1e9, between(created, ready));
        s.c.ok("delete", "deployment", "burst");
        s.awaitAddedNodeGone(Duration.ofMinutes(3));
      }
    }
  }

  /** Whole seconds between two API timestamps. */
  private static String between(String from, String to) {
    try {
      return Long.toString(Instant.parse(to).getEpochSecond() - Instant.parse(from).getEpochSecond());
    } catch (RuntimeException e) {
      return "?";
    }
  }
}
