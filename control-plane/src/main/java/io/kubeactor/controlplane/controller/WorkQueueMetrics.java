package io.kubeactor.controlplane.controller;

import io.kubeactor.common.metrics.PrometheusText;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * client-go's workqueue metrics (its prometheus metrics provider in component-base), one set of
 * series per queue, labelled name=the controller: adds, depth, retries, the time a key waits and the
 * time its reconcile takes (buckets 10ns to 10s, ×10 apart), and the work still unfinished.
 */
final class WorkQueueMetrics {

  private static final double[] BUCKETS = PrometheusText.exponentialBuckets(10e-9, 10, 10);

  static final Gauge DEPTH = Gauge.builder().name("workqueue_depth")
      .help("Current depth of workqueue").labelNames("name").withoutExemplars().register(PrometheusText.registry());
  static final Counter ADDS = Counter.builder().name("workqueue_adds_total")
      .help("Total number of adds handled by workqueue").labelNames("name").withoutExemplars()
      .register(PrometheusText.registry());
  static final Histogram QUEUE_DURATION = Histogram.builder().name("workqueue_queue_duration_seconds")
      .help("How long in seconds an item stays in workqueue before being requested.").labelNames("name")
      .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(PrometheusText.registry());
  static final Histogram WORK_DURATION = Histogram.builder().name("workqueue_work_duration_seconds")
      .help("How long in seconds processing an item from workqueue takes.").labelNames("name")
      .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(PrometheusText.registry());
  static final Gauge UNFINISHED = Gauge.builder().name("workqueue_unfinished_work_seconds")
      .help("How many seconds of work has done that is in progress and hasn't been observed by work_duration. Large "
          + "values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which "
          + "this increases.")
      .labelNames("name").withoutExemplars().register(PrometheusText.registry());
  static final Gauge LONGEST_RUNNING = Gauge.builder().name("workqueue_longest_running_processor_seconds")
      .help("How many seconds has the longest running processor for workqueue been running.")
      .labelNames("name").withoutExemplars().register(PrometheusText.registry());
  static final Counter RETRIES = Counter.builder().name("workqueue_retries_total")
      .help("Total number of retries handled by workqueue").labelNames("name").withoutExemplars()
      .register(PrometheusText.registry());

  /** For queues nobody scrapes (unit tests of the queue alone). */
  static final WorkQueueMetrics NONE = new WorkQueueMetrics(null);

  final GaugeDataPoint depth;
  final CounterDataPoint adds;
  final DistributionDataPoint queueDuration;
  final DistributionDataPoint workDuration;
  final GaugeDataPoint unfinished;
  final GaugeDataPoint longestRunning;
  final CounterDataPoint retries;

  private WorkQueueMetrics(String name) {
    boolean on = name != null;
    depth = on ? DEPTH.labelValues(name) : Gauge.builder().name("unregistered").build();
    adds = on ? ADDS.labelValues(name) : Counter.builder().name("unregistered").build();
    queueDuration = on ? QUEUE_DURATION.labelValues(name) : Histogram.builder().name("unregistered").classicOnly().build();
    workDuration = on ? WORK_DURATION.labelValues(name) : Histogram.builder().name("unregistered").classicOnly().build();
    unfinished = on ? UNFINISHED.labelValues(name) : Gauge.builder().name("unregistered").build();
    longestRunning = on ? LONGEST_RUNNING.labelValues(name) : Gauge.builder().name("unregistered").build();
    retries = on ? RETRIES.labelValues(name) : Counter.builder().name("unregistered").build();
  }

  /** Where kube-controller-manager's queue is not named as its controller less "-controller". */
  private static final java.util.Map<String, String> UPSTREAM_QUEUE_NAMES = java.util.Map.of(
      "endpoints-controller", "endpoint",
      "endpointslice-controller", "endpoint_slice",
      "endpointslice-mirroring-controller", "endpoint_slice_mirroring",
      "garbage-collector-controller", "garbage_collector_attempt_to_delete",
      "node-lifecycle-controller", "node_lifecycle_controller",
      "root-ca-certificate-publisher-controller", "root_ca_cert_publisher",
      // upstream's token controller has a queue of accounts and one of secrets; ours is keyed by secrets
      "serviceaccount-token-controller", "serviceaccount_tokens_secret");

  /** The series of a controller's queue, named as upstream names that controller's ("replicaset", "endpoint"). */
  static WorkQueueMetrics of(String controllerName) {
    return new WorkQueueMetrics(queueName(controllerName));
  }

  static String queueName(String controllerName) {
    String upstream = UPSTREAM_QUEUE_NAMES.get(controllerName);
    if (upstream != null) return upstream;
    return controllerName.endsWith("-controller")
        ? controllerName.substring(0, controllerName.length() - "-controller".length()) : controllerName;
  }
}
