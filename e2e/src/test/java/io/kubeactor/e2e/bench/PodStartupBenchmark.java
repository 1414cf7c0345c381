package io.kubeactor.e2e.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubeactor.controlplane.e2e.TestCluster;
import io.kubeactor.e2e.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pod startup latency, as Kubernetes' SLO measures it: from the create request to the pod seen
 * Running through a watch, for pods whose image is present (busybox). A control plane and three
 * node agents (each its own process) on this machine; pods are created at a steady rate. Prints a
 * Markdown table, with the agents' resident memory. Usage: PodStartupBenchmark [PODS] [PER_SECOND]
 */
public final class PodStartupBenchmark {
  private PodStartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    Path dir = Files.createTempDirectory("kubeactor-bench-nodes");
    List<AgentProcess> agents = new ArrayList<>();
    try (TestCluster cluster = TestCluster.start(dir, Map.of()); KubernetesClient client = cluster.fabric8()) {
      for (String name : List.of("bench-1", "bench-2", "bench-3")) {
        agents.add(AgentProcess.start(name, cluster.controlPlane(), dir.resolve("nodes"), "--pods", "110"));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (client.nodes().list().getItems().stream().filter(n -> n.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).count() < 3) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the nodes did not become Ready");
        Thread.sleep(200);
      }
      // one warm-up pod per node: the first container start on an engine is slower
      runRound(client, "warm", 3, 3);
      List<Double> latencies = runRound(client, "bench", pods, rate);
      long[] rss = agents.stream().mapToLong(a -> rssKib(a.pid())).toArray();
      Collections.sort(latencies);
      System.out.println();
      System.out.println("| measure (" + pods + " pods, " + rate + "/s, 3 agents) | value |");
      System.out.println("|---|---|");
      System.out.printf("| create → Running p50 | %.0f ms |%n", percentile(latencies, 50));
      System.out.printf("| create → Running p90 | %.0f ms |%n", percentile(latencies, 90));
      System.out.printf("| create → Running p99 | %.0f ms |%n", percentile(latencies, 99));
      System.out.printf("| create → Running max | %.0f ms |%n", latencies.get(latencies.size() - 1));
      for (int i = 0; i < agents.size(); i++) {
        System.out.printf("| agent %d RSS with %s pods | %d MiB |%n", i + 1, "its", rss[i] / 1024);
      }
      client.pods().inNamespace("default").delete();
    } finally {
      for (AgentProcess a : agents) a.close();
      for (AgentProcess a : agents) AgentProcess.removeContainers(a.name());
    }
  }

  private static List<Double> runRound(KubernetesClient client, String prefix, int pods, double rate) throws Exception {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Map<String, Double> latency = new ConcurrentHashMap<>();
    CountDownLatch running = new CountDownLatch(pods);
    try (var watch = client.pods().inNamespace("default").watch(new Watcher<Pod>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        String name = pod.getMetadata().getName();
        Long t0 = sent.get(name);
        if (t0 != null && "Running".equals(pod.getStatus().getPhase()) && latency.putIfAbsent(name, (System.nanoTime() - t0) / 1e6) == null) {
          running.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      long interval = (long) (1e9 / rate);
      long next = System.nanoTime();
      for (int i = 0; i < pods; i++) {
        String name = prefix + "-" + i;
        long wait = next - System.nanoTime();
        if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
        next += interval;
        sent.put(name, System.nanoTime());
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
            .withNewSpec().addNewContainer().withName("main").withImage("busybox").withCommand("sleep", "3600").endContainer()
            .withTerminationGracePeriodSeconds(1L).endSpec().build()).create();
      }
      if (!running.await(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException((pods - latency.size()) + " pods did not start within 5 minutes");
      }
    }
    return new ArrayList<>(latency.values());
  }

  private static double percentile(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (Exception ignored) {
      // the process is gone
    }
    return 0;
  }
}
