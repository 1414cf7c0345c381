package io.kubeactor.e2e.bench;

import io.kubeactor.e2e.ClusterWithNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How fast the HPA reacts, with upstream's defaults (agents sample every 15 s, the HPA syncs every
 * 15 s): note 004's busy ReplicaSet (two pods burning their 100m with dd) and its HPA (30%, up to 5)
 * on one real node. From the load starting (both pods Running) to the first rescale and to the final
 * count, beside the anchor every HPA waits for: the metrics API serving both pods' usage (an HPA
 * cannot act before its metrics exist; metrics-server behind kubelet takes as long). Each round
 * starts from nothing. Usage: HorizontalPodAutoscalerBenchmark [ROUNDS]
 */
public final class HorizontalPodAutoscalerBenchmark {
  private static final Path DEMO = Path.of("..", "k8s-demo", "004-pods-replicasets").toAbsolutePath().normalize();

  private HorizontalPodAutoscalerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    try (ClusterWithNodes c = ClusterWithNodes.start("hpa-bench", Map.of(), List.of("hpa-bench-node"))) {
      System.out.println();
      System.out.println("| round | load started → both pods' metrics served (anchor) | → first rescale (new size) "
          + "| → final count 5 |");
      System.out.println("|---|---|---|---|");
      for (int round = 1; round <= rounds; round++) {
        c.ok("apply", "-f", DEMO.resolve("busy-replicaset.yaml").toString());
        c.ok("apply", "-f", DEMO.resolve("budy-hpa-fixed.yaml").toString());
        long loaded = until(() -> c.ok("get", "pods", "-l", "app=busy", "--field-selector=status.phase=Running", "-o", "name")
            .lines().count() >= 2);
        long metrics = until(() -> c.ok("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dbusy")
            .split("\"containers\"", -1).length - 1 >= 2);
        long first = until(() -> !replicas(c).equals("2"));
        String newSize = replicas(c);
        long last = until(() -> replicas(c).equals("5"));
        System.out.printf("| %d | %.1f s | %.1f s (%s) | %.1f s |%n", round, (metrics - loaded) / 1e9, (first - loaded) / 1e9,
            newSize, (last - loaded) / 1e9);
        c.ok("delete", "hpa", "budy-hpa");
        c.ok("delete", "rs", "busy-replicaset", "--wait=true");
        until(() -> c.ok("get", "pods", "-l", "app=busy", "-o", "name").isBlank());
      }
    }
    System.exit(0);
  }

  private static String replicas(ClusterWithNodes c) {
    return c.jsonpath("rs/busy-replicaset", "{.spec.replicas}");
  }

  /** Polls (kubectl, every 250 ms) until the condition holds; the time it was first seen to. */
  private static long until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("not within 5 minutes");
      Thread.sleep(250);
    }
    return System.nanoTime();
  }
}
