package io.kubeactor.controlplane.controller.podautoscaler;

import java.time.Duration;
import java.time.Instant;

/**
 * One pod's figure for a metric (upstream's metrics.PodMetric): its value in milli-units (cpu in
 * millicores, memory in milli-bytes, as Quantity.MilliValue gives them), when it was measured and
 * over which window.
 */
record PodMetric(long value, Instant timestamp, Duration window) {

  static PodMetric of(long value) {
    return new PodMetric(value, Instant.EPOCH, Duration.ZERO);
  }
}
