package io.kubeactor.controlplane.scheduler;

import io.kubeactor.common.metrics.PrometheusText;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * kube-scheduler's metrics as its pkg/scheduler/metrics names them: attempts by result and profile,
 * each attempt's duration (buckets from 1 ms, ×2, 15 of them), and the pods waiting, by queue. This
 * scheduler has no backoff queue (a pod that fit nowhere waits for a change in the cluster) and
 * ignores gated pods, so those two queues read 0.
 */
final class SchedulerMetrics {

  static final Counter ATTEMPTS = Counter.builder().name("scheduler_schedule_attempts_total")
      .help("Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, "
          + "while 'error' means an internal scheduler problem.")
      .labelNames("result", "profile").withoutExemplars().register(PrometheusText.registry());
  static final Histogram ATTEMPT_DURATION = Histogram.builder().name("scheduler_scheduling_attempt_duration_seconds")
      .help("Scheduling attempt latency in seconds (scheduling algorithm + binding)")
      .labelNames("result", "profile").classicOnly().classicUpperBounds(PrometheusText.exponentialBuckets(0.001, 2, 15))
      .withoutExemplars().register(PrometheusText.registry());
  static final Gauge PENDING = Gauge.builder().name("scheduler_pending_pods")
      .help("Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means "
          + "number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler "
          + "attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never "
          + "attempted to schedule because they are gated.")
      .labelNames("queue").withoutExemplars().register(PrometheusText.registry());

  static final CounterDataPoint SCHEDULED = ATTEMPTS.labelValues("scheduled", Scheduler.NAME);
  static final CounterDataPoint UNSCHEDULABLE = ATTEMPTS.labelValues("unschedulable", Scheduler.NAME);
  static final CounterDataPoint ERROR = ATTEMPTS.labelValues("error", Scheduler.NAME);
  static final DistributionDataPoint SCHEDULED_DURATION = ATTEMPT_DURATION.labelValues("scheduled", Scheduler.NAME);
  static final DistributionDataPoint UNSCHEDULABLE_DURATION = ATTEMPT_DURATION.labelValues("unschedulable", Scheduler.NAME);
  static final DistributionDataPoint ERROR_DURATION = ATTEMPT_DURATION.labelValues("error", Scheduler.NAME);
  static final GaugeDataPoint ACTIVE = PENDING.labelValues("active");
  static final GaugeDataPoint UNSCHEDULABLE_PODS = PENDING.labelValues("unschedulable");

  static {
    PENDING.labelValues("backoff").set(0);
    PENDING.labelValues("gated").set(0);
  }

  private SchedulerMetrics() {}

  /** One scheduling attempt's outcome and how long it took, from {@code startedNanos}. */
  static void attempt(boolean scheduled, long startedNanos) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    (scheduled ? SCHEDULED : UNSCHEDULABLE).inc();
    (scheduled ? SCHEDULED_DURATION : UNSCHEDULABLE_DURATION).observe(seconds);
  }

  /** An attempt that failed inside the scheduler (its binding was refused). */
  static void error(long startedNanos) {
    ERROR.inc();
    ERROR_DURATION.observe((System.nanoTime() - startedNanos) / 1e9);
  }

  /** The waiting pods: those to try in the next round, and those that fit nowhere at their last try. */
  static void pending(int active, int unschedulable) {
    ACTIVE.set(active);
    UNSCHEDULABLE_PODS.set(unschedulable);
  }
}
