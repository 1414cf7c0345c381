package io.kubeactor.controlplane.controller.vpa;

import java.time.Duration;
import java.time.Instant;

/**
 * One running container's feed into its {@link AggregateContainerState} (upstream's
 * model/container.go): CPU samples go in as they come, each measurement once (a sample not newer
 * than the last is dropped); memory goes in as one peak per aggregation interval: a higher sample
 * within the interval replaces the interval's peak, the first sample past it opens the next one.
 * An OOM kill counts as a peak above what the container had (RecordOOM): 20% more than the larger of
 * its request and its usage peak, at least 100 MiB more.
 */
final class ContainerState {

  private final AggregateContainerState aggregate;
  private final Duration memoryAggregationInterval;
  private Instant lastCpuSampleStart;
  private Instant lastMemorySampleStart;
  private Instant windowEnd;
  private double memoryPeak;
  /** The interval's peak from an OOM kill, kept apart so that repeated kills do not compound. */
  private double oomPeak;
  private Instant lastOom;

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

  /** OOM bump-up: at least this many bytes more (upstream's --oom-min-bump-up-bytes: 100 MiB)... */
  static final double OOM_MIN_BUMP_UP = 100 * 1024 * 1024;
  /** ...and at least this factor (--oom-bump-up-ratio: 1.2). */
  static final double OOM_BUMP_UP_RATIO = 1.2;

  /** Adds a memory sample to the current interval's peak unless it is older than the last one. */
  boolean addMemorySample(double bytes, Instant measureStart) {
    if (bytes < 0 || (lastMemorySampleStart != null && measureStart.isBefore(lastMemorySampleStart))) return false;
    lastMemorySampleStart = measureStart;
    addPeak(bytes, measureStart, false);
    return true;
  }

  /**
   * An OOM kill at {@code time} of a container that requested {@code requestBytes} (RecordOOM),
   * once per kill; one older than the current aggregation interval is dropped.
   */
  boolean recordOom(Instant time, double requestBytes) {
    if (lastOom != null && !time.isAfter(lastOom)) return false;
    if (windowEnd != null && time.isBefore(windowEnd.minus(memoryAggregationInterval))) return false;
    lastOom = time;
    double used = Math.max(requestBytes, memoryPeak);
    addPeak(Math.max(used + OOM_MIN_BUMP_UP, used * OOM_BUMP_UP_RATIO), time, true);
    return true;
  }

  private void addPeak(double bytes, Instant measureStart, boolean oom) {
    if (windowEnd == null) windowEnd = measureStart;
    boolean addNewPeak = false;
    if (measureStart.isBefore(windowEnd)) {
      double oldPeak = Math.max(memoryPeak, oomPeak);
      if (oldPeak != 0 && bytes > oldPeak) {
        aggregate.subtractMemoryPeak(oldPeak, windowEnd);
        addNewPeak = true;
      }
    } else {
      long interval = memoryAggregationInterval.toNanos();
      long behind = Duration.between(windowEnd, measureStart).toNanos();
      windowEnd = windowEnd.plusNanos(behind / interval * interval + interval);
      memoryPeak = 0;
      oomPeak = 0;
      addNewPeak = true;
    }
    if (addNewPeak) {
      aggregate.addMemoryPeak(bytes, windowEnd);
      if (oom) oomPeak = bytes;
      else memoryPeak = bytes;
    }
  }
}
