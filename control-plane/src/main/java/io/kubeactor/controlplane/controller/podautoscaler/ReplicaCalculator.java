package io.kubeactor.controlplane.controller.podautoscaler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's ReplicaCalculator (replica_calculator.go): the replica count a resource metric asks
 * for, from the pods' figures and their requests. Pods being deleted or failed are left out; pending
 * pods, and for cpu pods not yet ready or still starting (within the cpu initialization period, or
 * unready since before the initial readiness delay), are "unready"; running pods without a figure
 * are "missing". The ratio of usage to target decides alone when every pod counts; otherwise it is
 * computed again with missing pods at 100% of their request (or the target, if higher) on a
 * scale-down and 0% on a scale-up, and unready pods at 0% on a scale-up, and the scale is kept when
 * that second ratio is within tolerance or points the other way.
 */
final class ReplicaCalculator {

  /** What a metric proposes: the replica count, the average utilization (percent of requests) and the average value. */
  record Proposal(int replicas, int utilization, long rawAverage, Instant timestamp) {}

  private final double tolerance;
  private final Duration cpuInitializationPeriod;
  private final Duration delayOfInitialReadinessStatus;
  private final Clock clock;

  ReplicaCalculator(double tolerance, Duration cpuInitializationPeriod, Duration delayOfInitialReadinessStatus, Clock clock) {
    this.tolerance = tolerance;
    this.cpuInitializationPeriod = cpuInitializationPeriod;
    this.delayOfInitialReadinessStatus = delayOfInitialReadinessStatus;
    this.clock = clock;
  }

  /** kube-controller-manager's defaults: tolerance 0.1, cpu initialization period 5 min, initial readiness delay 30 s. */
  static ReplicaCalculator defaults(Clock clock) {
    return new ReplicaCalculator(0.1, Duration.ofMinutes(5), Duration.ofSeconds(30), clock);
  }

  /** GetResourceReplicas: a target average utilization, in percent of the pods' requests. */
  Proposal resourceReplicas(int currentReplicas, int targetUtilization, String resource, List<Pod> pods,
      Map<String, PodMetric> fetched, String container, Instant timestamp) throws MetricsUnavailableException {
    Map<String, PodMetric> metrics = new HashMap<>(fetched);
    Groups g = usable(pods, metrics, resource);
    Map<String, Long> requests = podRequests(pods, container, resource);
    Utilization u = utilizationRatio(metrics, requests, targetUtilization);

    boolean scaleUpWithUnready = !g.unready.isEmpty() && u.ratio > 1.0;
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (Math.abs(1.0 - u.ratio) <= tolerance) return new Proposal(currentReplicas, u.utilization, u.rawAverage, timestamp);
      return new Proposal((int) Math.ceil(u.ratio * g.ready), u.utilization, u.rawAverage, timestamp);
    }
    if (!g.missing.isEmpty()) {
      if (u.ratio < 1.0) {
        // on a scale-down, missing pods use all their request, or the target when it is above 100%
        long fallback = Math.max(100, targetUtilization);
        for (String pod : g.missing) metrics.put(pod, PodMetric.of(requests.get(pod) * fallback / 100));
      } else if (u.ratio > 1.0) {
        for (String pod : g.missing) metrics.put(pod, PodMetric.of(0));
      }
    }
    if (scaleUpWithUnready) {
      for (String pod : g.unready) metrics.put(pod, PodMetric.of(0));
    }
    double newRatio = utilizationRatio(metrics, requests, targetUtilization).ratio;
    return new Proposal(recomputed(currentReplicas, u.ratio, newRatio, metrics.size()), u.utilization, u.rawAverage, timestamp);
  }

  /** GetRawResourceReplicas (calcPlainMetricReplicas): a target average value per pod, in milli-units. */
  Proposal rawResourceReplicas(int currentReplicas, long targetUsage, String resource, List<Pod> pods,
      Map<String, PodMetric> fetched, Instant timestamp) throws MetricsUnavailableException {
    Map<String, PodMetric> metrics = new HashMap<>(fetched);
    Groups g = usable(pods, metrics, resource);
    double ratio = usageRatio(metrics, targetUsage);
    long usage = averageUsage(metrics);
    boolean scaleUpWithUnready = !g.unready.isEmpty() && ratio > 1.0;
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (Math.abs(1.0 - ratio) <= tolerance) return new Proposal(currentReplicas, 0, usage, timestamp);
      return new Proposal((int) Math.ceil(ratio * g.ready), 0, usage, timestamp);
    }
    if (!g.missing.isEmpty()) {
      if (ratio < 1.0) {
        // on a scale-down, missing pods use exactly the target
        for (String pod : g.missing) metrics.put(pod, PodMetric.of(targetUsage));
      } else if (ratio > 1.0) {
        for (String pod : g.missing) metrics.put(pod, PodMetric.of(0));
      }
    }
    if (scaleUpWithUnready) {
      for (String pod : g.unready) metrics.put(pod, PodMetric.of(0));
    }
    double newRatio = usageRatio(metrics, targetUsage);
    return new Proposal(recomputed(currentReplicas, ratio, newRatio, metrics.size()), 0, usage, timestamp);
  }

  /**
   * The replica count from the ratio recomputed with substitutes for missing and unready pods: the
   * current count when it is within tolerance or turns the scale's direction, or when the count of
   * pods considered would.
   */
  private int recomputed(int currentReplicas, double ratio, double newRatio, int considered) {
    if (Math.abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
      return currentReplicas;
    }
    int newReplicas = (int) Math.ceil(newRatio * considered);
    if ((newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas)) {
      return currentReplicas;
    }
    return newReplicas;
  }

  /** The pods grouped, and the metrics of ignored and unready pods removed; an error when none is left. */
  private Groups usable(List<Pod> pods, Map<String, PodMetric> metrics, String resource) throws MetricsUnavailableException {
    if (pods.isEmpty()) throw new MetricsUnavailableException("no pods returned by selector while calculating replica count");
    Groups g = groupPods(pods, metrics, resource);
    metrics.keySet().removeAll(g.ignored);
    metrics.keySet().removeAll(g.unready);
    if (metrics.isEmpty()) {
      throw new MetricsUnavailableException("did not receive metrics for targeted pods (pods might be unready)");
    }
    return g;
  }

  private record Groups(int ready, Set<String> unready, Set<String> missing, Set<String> ignored) {}

  /** groupPods: ready pods counted; unready, missing and ignored pods named. */
  private Groups groupPods(List<Pod> pods, Map<String, PodMetric> metrics, String resource) {
    Set<String> unready = new HashSet<>();
    Set<String> missing = new HashSet<>();
    Set<String> ignored = new HashSet<>();
    int ready = 0;
    Instant now = clock.instant();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase)) {
        ignored.add(name);
        continue;
      }
      if ("Pending".equals(phase)) {
        unready.add(name);
        continue;
      }
      PodMetric metric = metrics.get(name);
      if (metric == null) {
        missing.add(name);
        continue;
      }
      if ("cpu".equals(resource) && cpuUnready(pod, metric, now)) {
        unready.add(name);
        continue;
      }
      ready++;
    }
    return new Groups(ready, unready, missing, ignored);
  }

  /** A cpu sample taken while the pod was starting, or of a pod that has never been ready, does not count. */
  private boolean cpuUnready(Pod pod, PodMetric metric, Instant now) {
    PodCondition condition = readyCondition(pod);
    Instant start = instant(pod.getStatus() == null ? null : pod.getStatus().getStartTime());
    if (condition == null || start == null) return true;
    Instant transition = instant(condition.getLastTransitionTime());
    if (transition == null) transition = Instant.EPOCH;
    boolean isFalse = "False".equals(condition.getStatus());
    if (start.plus(cpuInitializationPeriod).isAfter(now)) {
      // within the initialization period: unready, or no full window measured since it became ready
      return isFalse || metric.timestamp().isBefore(transition.plus(metric.window()));
    }
    // after it: unready and never ready since the initial readiness delay
    return isFalse && start.plus(delayOfInitialReadinessStatus).isAfter(transition);
  }

  private static PodCondition readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) return c;
    }
    return null;
  }

  private static Instant instant(String time) {
    if (time == null || time.isEmpty()) return null;
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** calculatePodRequests: each pod's request for the resource (of one container, or of all and sidecars), in milli-units. */
  static Map<String, Long> podRequests(List<Pod> pods, String container, String resource) throws MetricsUnavailableException {
    Map<String, Long> requests = new HashMap<>();
    for (Pod pod : pods) {
      List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
      if (pod.getSpec().getInitContainers() != null) {
        for (Container c : pod.getSpec().getInitContainers()) {
          if ("Always".equals(c.getRestartPolicy())) containers.add(c);
        }
      }
      long sum = 0;
      for (Container c : containers) {
        if (container == null || container.isEmpty() || container.equals(c.getName())) {
          Quantity q = c.getResources() == null || c.getResources().getRequests() == null
              ? null : c.getResources().getRequests().get(resource);
          if (q == null) {
            throw new MetricsUnavailableException("missing request for " + resource + " in container " + c.getName()
                + " of Pod " + pod.getMetadata().getName());
          }
          sum += milliValue(q);
        }
      }
      requests.put(pod.getMetadata().getName(), sum);
    }
    return requests;
  }

  /** Quantity.MilliValue: the quantity in thousandths, rounded up. */
  static long milliValue(Quantity q) {
    return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  private record Utilization(double ratio, int utilization, long rawAverage) {}

  /** GetResourceUtilizationRatio: usage over requests of the pods with both, in whole percent, against the target. */
  private static Utilization utilizationRatio(Map<String, PodMetric> metrics, Map<String, Long> requests, int target)
      throws MetricsUnavailableException {
    long metricsTotal = 0;
    long requestsTotal = 0;
    int entries = 0;
    for (Map.Entry<String, PodMetric> e : metrics.entrySet()) {
      Long request = requests.get(e.getKey());
      if (request == null) continue; // a metric of a pod we do not know
      metricsTotal += e.getValue().value();
      requestsTotal += request;
      entries++;
    }
    if (requestsTotal == 0) throw new MetricsUnavailableException("no metrics returned matched known pods");
    int utilization = (int) (metricsTotal * 100 / requestsTotal);
    return new Utilization((double) utilization / target, utilization, metricsTotal / entries);
  }

  /** GetMetricUsageRatio: the average usage against the target. */
  private static double usageRatio(Map<String, PodMetric> metrics, long target) {
    return (double) averageUsage(metrics) / target;
  }

  private static long averageUsage(Map<String, PodMetric> metrics) {
    long total = 0;
    for (PodMetric m : metrics.values()) total += m.value();
    return total / metrics.size();
  }
}
