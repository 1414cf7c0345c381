package io.kubeactor.controlplane.controller.vpa;

import java.time.Duration;
import java.time.Instant;

/**
 * One running container's feed into its {@link AggregateContainerState} (upstream's
 * model/container.go): CPU samples go in as they come, each measurement once (a sample not newer
 * than the last is dropped); memory goes in as one peak per aggregation interval: a higher sample
 * within the interval replaces the interval's peak, the first sample past it opens the next one.
 */
final class ContainerState {

  private final AggregateContainerState aggregate;
  private final Duration memoryAggregationInterval;
  private Instant lastCpuSampleStart;
  private Instant lastMemorySampleStart;
  private Instant windowEnd;
  private double memoryPeak;

  ContainerState(AggregateContainerState aggregate, Duration memoryAggregationInterval) {
    this.aggregate = aggregate;
    this.memoryAggregationInterval = memoryAggregationInterval;
  }

  /** Adds a CPU sample unless it is not newer than the last one; whether it was added. */
  boolean addCpuSample(double usageCores, double requestCores, Instant measureStart) {
    if (usageCores < 0 || (lastCpuSampleStart != null && !measureStart.isAfter(lastCpuSampleStart))) return false;
    aggregate.addCpuSample(usageCores, requestCores, measureStart);
    lastCpuSampleStart = measureStart;
    return true;
  }

  /** Adds a memory sample to the current interval's peak unless it is older than the last one. */
  boolean addMemorySample(double bytes, Instant measureStart) {
    if (bytes < 0 || (lastMemorySampleStart != null && measureStart.isBefore(lastMemorySampleStart))) return false;
    lastMemorySampleStart = measureStart;
    if (windowEnd == null) windowEnd = measureStart;
    boolean addNewPeak = false;
    if (measureStart.isBefore(windowEnd)) {
      if (memoryPeak != 0 && bytes > memoryPeak) {
        aggregate.subtractMemoryPeak(memoryPeak, windowEnd);
        addNewPeak = true;
      }
    } else {
      long interval = memoryAggregationInterval.toNanos();
      long behind = Duration.between(windowEnd, measureStart).toNanos();
      windowEnd = windowEnd.plusNanos(behind / interval * interval + interval);
      memoryPeak = 0;
      addNewPeak = true;
    }
    if (addNewPeak) {
      aggregate.addMemoryPeak(bytes, windowEnd);
      memoryPeak = bytes;
    }
    return true;
  }
}
