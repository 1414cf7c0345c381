package io.kubeactor.e2e.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubeactor.e2e.ClusterWithNodes;
import io.kubeactor.e2e.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a Service costs and how fast it follows its pods, on a cluster of three node agents on this
 * machine's Docker, measured from the host:
 * <ul>
 *   <li>requests/s and latency with wrk through a ClusterIP, beside the same nginx pod hit directly on
 *       its IP, in alternating rounds of the same run (the anchor); their ratio and the p99 added;
 *   <li>the time from a pod being seen Ready (through a watch) to the first request the Service sends
 *       it (clients hammering the ClusterIP with new connections), over ten scale-ups.
 * </ul>
 * Usage: ServiceBenchmark [SECONDS_PER_ROUND] [ROUNDS]
 */
public final class ServiceBenchmark {
  private ServiceBenchmark() {}

  static final List<String> NODES = List.of("bench-svc", "bench-svc-m02", "bench-svc-m03");

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (ClusterWithNodes c = ClusterWithNodes.start("bench-services",
        Map.of("kubeactor.api.advertise-address", ClusterWithNodes.dockerBridgeAddress()), NODES)) {
      throughput(c, seconds, rounds);
      readyToTraffic(c, 10);
    }
  }

  private static void throughput(ClusterWithNodes c, int seconds, int rounds) throws Exception {
    c.ok("create", "deployment", "bench-nginx", "--image=nginx:1.16.1");
    c.ok("expose", "deployment", "bench-nginx", "--port=80");
    c.awaitRunningPods("app=bench-nginx", 1, Duration.ofMinutes(3));
    String podIp = c.jsonpath("pods", "{.items[?(@.metadata.labels.app==\"bench-nginx\")].status.podIP}");
    String clusterIp = c.jsonpath("svc/bench-nginx", "{.spec.clusterIP}");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!Http.get(clusterIp, 80, "/").contains("nginx")) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("the Service never answered");
      Thread.sleep(200);
    }
    List<double[]> pod = new ArrayList<>();
    List<double[]> svc = new ArrayList<>();
    WrkRounds.run("http://" + podIp + "/", null, 2); // warm-up
    for (int i = 0; i < rounds; i++) {
      pod.add(WrkRounds.run("http://" + podIp + "/", null, seconds));
      svc.add(WrkRounds.run("http://" + clusterIp + "/", null, seconds));
    }
    double podRate = WrkRounds.median(pod, 0);
    double svcRate = WrkRounds.median(svc, 0);
    double podP99 = WrkRounds.median(pod, 2);
    double svcP99 = WrkRounds.median(svc, 2);
    System.out.println();
    System.out.printf("| wrk -t2 -c16, %d rounds of %d s each (medians) | requests/s | p50 | p99 |%n", rounds, seconds);
    System.out.println("|---|---|---|---|");
    System.out.printf("| nginx pod on its IP (anchor) | %.0f | %.2f ms | %.2f ms |%n", podRate, WrkRounds.median(pod, 1), podP99);
    System.out.printf("| the same pod through its ClusterIP | %.0f | %.2f ms | %.2f ms |%n", svcRate, WrkRounds.median(svc, 1), svcP99);
    System.out.printf("| ratio ClusterIP / pod IP | %.2f | | p99 added: %.2f ms |%n", svcRate / podRate, svcP99 - podP99);
    c.ok("delete", "deployment", "bench-nginx");
    c.ok("delete", "svc", "bench-nginx");
  }




  private static void readyToTraffic(ClusterWithNodes c, int scaleUps) throws Exception {
    c.ok("create", "deployment", "bench-whoami", "--image=kiamol/ch02-whoami");
    c.ok("expose", "deployment", "bench-whoami", "--port=80");
    c.awaitRunningPods("app=bench-whoami", 1, Duration.ofMinutes(3));
    String clusterIp = c.jsonpath("svc/bench-whoami", "{.spec.clusterIP}");
    // the first pod was Ready before anything was measured: only the scale-ups count
    String first = c.jsonpath("pods", "{.items[?(@.metadata.labels.app==\"bench-whoami\")].metadata.name}");
    Map<String, Long> ready = new ConcurrentHashMap<>();
    Map<String, Long> firstAnswer = new ConcurrentHashMap<>();
    var watch = c.fabric8().pods().inNamespace("default").withLabel("app", "bench-whoami").watch(new Watcher<Pod>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        boolean isReady = pod.getStatus() != null && pod.getStatus().getConditions().stream()
            .anyMatch(x -> x.getType().equals("Ready") && x.getStatus().equals("True"));
        if (isReady) ready.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      clients.submit(() -> {
        while (running.get()) {
          String body = Http.get(clusterIp, 80, "/");
          if (body.startsWith("\"I'm ")) firstAnswer.putIfAbsent(body.substring(5, body.indexOf(' ', 5)), System.nanoTime());
        }
      });
    }
    try {
      for (int n = 2; n <= scaleUps + 1; n++) {
        c.ok("scale", "deployment", "bench-whoami", "--replicas=" + n);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int expected = n;
        while (ready.keySet().stream().filter(firstAnswer::containsKey).count() < expected) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("replica " + n + " never got traffic");
          Thread.sleep(20);
        }
      }
    } finally {
      running.set(false);
      clients.shutdown();
      watch.close();
    }
    // a request may reach a pod just before the watch reports it Ready (the proxy and the watch race): 0 then
    double[] millis = ready.entrySet().stream().filter(e -> !e.getKey().equals(first) && firstAnswer.containsKey(e.getKey()))
        .mapToDouble(e -> Math.max(0, firstAnswer.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
    System.out.println();
    System.out.printf("| pod seen Ready → first request through its ClusterIP (%d scale-ups) | p50 | p99 | max |%n", scaleUps);
    System.out.println("|---|---|---|---|");
    System.out.printf("| time | %.0f ms | %.0f ms | %.0f ms |%n", millis[millis.length / 2],
        millis[Math.min(millis.length - 1, (int) Math.ceil(millis.length * 0.99) - 1)], millis[millis.length - 1]);
    c.ok("delete", "deployment", "bench-whoami");
    c.ok("delete", "svc", "bench-whoami");
  }
}
