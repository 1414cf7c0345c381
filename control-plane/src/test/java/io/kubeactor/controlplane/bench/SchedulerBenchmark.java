package io.kubeactor.controlplane.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.scheduler.Scheduler;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The scheduler measured alone, as upstream's scheduler_perf SchedulingBasic does: N hollow nodes
 * (Node objects only, no agent behind them: cpu 4, memory 32Gi, 110 pods, as scheduler_perf's
 * node-default.yaml) and M pending pods (cpu 100m, memory 500Mi, as pod-default.yaml) are written
 * straight through the registry into the store (no HTTP, no controllers), then the scheduler starts
 * and the clock runs until the informers have seen every pod bound. The store is the in-memory
 * journal the controller tests use; binds and the scheduler's events go through the same write path
 * as in the control plane. Prints one Markdown row, with the CPU time the process used meanwhile. Usage: SchedulerBenchmark [NODES PODS]
 */
public final class SchedulerBenchmark {

  /** How many creates are in flight at once while the cluster is filled. */
  private static final int CREATES_IN_FLIGHT = 64;

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    ControllerFixture fixture = new ControllerFixture();
    try {
      long filling = System.nanoTime();
      createAll(fixture, "v1", "Node", nodes, SchedulerBenchmark::hollowNode);
      createAll(fixture, "v1", "Pod", pods, SchedulerBenchmark::pendingPod);
      Informer<Pod> informer = fixture.context.informers().pods();
      while (informer.list().size() < pods) Thread.sleep(10); // the informer catches up with the last creates
      double fillSeconds = (System.nanoTime() - filling) / 1e9;

      CountDownLatch allBound = new CountDownLatch(pods);
      AtomicInteger bound = new AtomicInteger();
      AutoCloseable counting = informer.addHandler(e -> {
        if (isBound(e.object()) && (e.previous() == null || !isBound(e.previous()))) {
          bound.incrementAndGet();
          allBound.countDown();
        }
      });
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      fixture.testKit.spawn(Scheduler.create(fixture.context.informers(), fixture.context.writer(), fixture.context.fresh(),
          fixture.eventRecorder(Clock.systemUTC()), Clock.systemUTC()), "scheduler");
      if (!allBound.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + bound.get() + " of " + pods + " pods bound in 10 minutes");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
      counting.close();
      // CPU seconds too: on a shared machine the wall-clock figure is as much the neighbours' as ours
      System.out.println("| hollow nodes | pending pods | filled in | all bound after | pods bound/s | CPU used | pods per CPU-second |");
      System.out.println("|---|---|---|---|---|---|---|");
      System.out.printf("| %d | %d | %.1f s | %.2f s | %.0f | %.1f s | %.0f |%n", nodes, pods, fillSeconds, seconds, pods / seconds,
          cpuSeconds, pods / cpuSeconds);
    } finally {
      fixture.close();
    }
    System.exit(0);
  }

  /** CPU time of the whole process (all its threads, the collector's included). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static boolean isBound(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  /** Creates count objects through the registry, a bounded number at a time, and waits for all. */
  private static void createAll(ControllerFixture fixture, String apiVersion, String kind, int count,
      IntFunction<String> manifest) throws Exception {
    ResourceType type = fixture.registry.types().byKind(apiVersion, kind).orElseThrow();
    Semaphore inFlight = new Semaphore(CREATES_IN_FLIGHT);
    List<CompletableFuture<ObjectNode>> writes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ObjectNode object = (ObjectNode) Json.MAPPER.readTree(manifest.apply(i));
      inFlight.acquire();
      CompletableFuture<ObjectNode> write = fixture.registry.create(type, object.path("metadata").path("namespace").asText(null),
          object, WriteOptions.internal()).toCompletableFuture();
      write.whenComplete((ok, e) -> inFlight.release());
      writes.add(write);
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  /** A Node object with no agent behind it (a "hollow node", as kubemark's). */
  private static String hollowNode(int i) {
    String name = String.format("hollow-node-%04d", i);
    return """
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "%s", "labels": {"kubernetes.io/hostname": "%s"}},
         "status": {"capacity": {"cpu": "4", "memory": "32Gi", "pods": "110"},
                    "allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"},
                    "conditions": [{"type": "Ready", "status": "True"}]}}
        """.formatted(name, name);
  }

  private static String pendingPod(int i) {
    return """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "pod-%05d", "namespace": "default"},
         "spec": {"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
                                  "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}]}}
        """.formatted(i);
  }
}
