package io.kubeactor.controlplane.bench;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import io.kubeactor.controlplane.controller.podautoscaler.HorizontalController;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the HPA controller costs with many HPAs, measured alone: N ReplicaSets of P running pods
 * each (written straight into the store, with no ReplicaSet controller behind them), one
 * HorizontalPodAutoscaler per ReplicaSet (cpu at 50% of requests), and a node's usage report with
 * every pod at 50m of its 100m request, so each sync computes a count within the tolerance and
 * scales nothing: the steady state of a cluster at its targets. Measures the first round (every
 * HPA synced and its status written) and the CPU the process uses over the next sync periods,
 * beside the same process idle over as long before the controller starts (the anchor: informers,
 * actors and the collector with nothing to do). Prints Markdown. Usage: HorizontalControllerBenchmark [HPAS] [PODS_EACH]
 */
public final class HorizontalControllerBenchmark {
  private static final Duration SYNC_PERIOD = ControllerSettings.HPA_SYNC_PERIOD;
  private static final int PERIODS = 4;

  public static void main(String[] args) throws Exception {
    int hpas = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int podsEach = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Clock clock = Clock.systemUTC();
    ControllerFixture fixture = new ControllerFixture(ControllerSettings.defaults(), clock);
    try {
      long filling = System.nanoTime();
      String since = clock.instant().minus(Duration.ofMinutes(10)).toString();
      List<NodeProtocol.PodUsage> usage = new ArrayList<>();
      for (int i = 0; i < hpas; i++) {
        String app = String.format("app-%04d", i);
        fixture.apply(replicaSet(app, podsEach));
        for (int p = 0; p < podsEach; p++) {
          String pod = app + "-" + p;
          fixture.apply(pod(pod, app));
          fixture.changeStatus("v1", "Pod", "default", pod, o -> {
            var status = o.putObject("status");
            status.put("phase", "Running").put("startTime", since);
            status.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("lastTransitionTime", since);
            return o;
          });
          usage.add(new NodeProtocol.PodUsage("default", pod, 15_000,
              List.of(new NodeProtocol.ContainerUsage("c", new NodeProtocol.Usage(50_000_000L, 20L << 20)))));
        }
        fixture.apply(hpa(app));
      }
      fixture.metrics.put(new NodeProtocol.UsageReport("hollow-node", clock.millis(), 15_000, new NodeProtocol.Usage(0, 0), usage));
      Informer<HorizontalPodAutoscaler> informer = fixture.context.informers().of(HorizontalPodAutoscaler.class);
      while (informer.list().size() < hpas) Thread.sleep(10);
      double fillSeconds = (System.nanoTime() - filling) / 1e9;

      // the anchor: the same process, as long as the measured periods, with no controller running
      System.gc();
      long idleCpu = cpuOver(SYNC_PERIOD.multipliedBy(PERIODS));

      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      fixture.start(new HorizontalController(fixture.context));
      while (informer.list().stream().filter(HorizontalControllerBenchmark::synced).count() < hpas) {
        if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
          throw new IllegalStateException("not every HPA was synced within 5 minutes");
        }
        Thread.sleep(20);
      }
      double firstRound = (System.nanoTime() - start) / 1e9;
      double firstRoundCpu = (processCpuNanos() - cpuStart) / 1e9;
      // the steady state starts with the next period: every HPA synced once per period, nothing written
      Thread.sleep(Math.max(0, SYNC_PERIOD.toMillis() - (long) (firstRound * 1000)));
      long steadyCpu = cpuOver(SYNC_PERIOD.multipliedBy(PERIODS));

      double periodSeconds = SYNC_PERIOD.toMillis() / 1000.0;
      double idlePerPeriod = idleCpu / 1e9 / PERIODS;
      double steadyPerPeriod = steadyCpu / 1e9 / PERIODS;
      System.out.printf("| HPAs | pods | filled in | first round (every HPA synced, status written) | its CPU "
          + "| CPU per %.0f s sync, steady | same process idle (anchor) | controller's share of one core |%n", periodSeconds);
      System.out.println("|---|---|---|---|---|---|---|---|");
      System.out.printf("| %d | %d | %.1f s | %.2f s | %.2f s | %.2f s | %.2f s | %.1f%% |%n", hpas, hpas * podsEach, fillSeconds,
          firstRound, firstRoundCpu, steadyPerPeriod, idlePerPeriod, 100 * (steadyPerPeriod - idlePerPeriod) / periodSeconds);
    } finally {
      fixture.close();
    }
    System.exit(0);
  }

  /** Synced: the controller has written the HPA's status from its metrics. */
  private static boolean synced(HorizontalPodAutoscaler hpa) {
    return hpa.getStatus() != null && hpa.getStatus().getCurrentMetrics() != null && !hpa.getStatus().getCurrentMetrics().isEmpty();
  }

  private static long cpuOver(Duration d) throws InterruptedException {
    long before = processCpuNanos();
    Instant end = Instant.now().plus(d);
    while (Instant.now().isBefore(end)) Thread.sleep(Math.max(1, Duration.between(Instant.now(), end).toMillis()));
    return processCpuNanos() - before;
  }

  /** CPU time of the whole process (all its threads, the collector's included). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String replicaSet(String app, int replicas) {
    return """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: %s, namespace: default}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]}
        """.formatted(app, replicas, app, app);
  }

  private static String pod(String name, String app) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default, labels: {app: %s}}
        spec: {nodeName: hollow-node, containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]}
        """.formatted(name, app);
  }

  private static String hpa(String app) {
    return """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: %s, namespace: default}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: %s}
          minReplicas: 1
          maxReplicas: 10
          metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
        """.formatted(app, app);
  }
}
