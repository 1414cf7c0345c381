package io.kubeactor.controlplane.controller.vpa;

import java.time.Duration;
import java.time.Instant;

/**
 * The usage history of one container name under one VPA, over all its pods (upstream's
 * model/aggregate_container_state.go): a decaying histogram of CPU usage in cores, each sample
 * weighted by the container's CPU request at the time (at least 0.1), so that raising the request
 * makes the older history count less; a decaying histogram of memory peaks in bytes, one peak per
 * aggregation interval per container ({@link ContainerState}); and, for the confidence of the
 * bounds, the first and last CPU sample times and the number of CPU samples.
 */
public final class AggregateContainerState {

  /** CPU: exponential buckets from 0.01 core growing by 5%, up to 1000 cores. */
  public static final HistogramOptions CPU_HISTOGRAM = HistogramOptions.exponential(1000.0, 0.01, 1.05, 0.0001);
  /** Memory: exponential buckets from 10 MB growing by 5%, up to 1 TB. */
  public static final HistogramOptions MEMORY_HISTOGRAM = HistogramOptions.exponential(1e12, 1e7, 1.05, 0.0001);
  /** A CPU sample weighs at least this, whatever the container requested. */
  static final double MIN_SAMPLE_WEIGHT = 0.1;

  final Histogram cpuUsage;
  final Histogram memoryPeaks;
  Instant firstSampleStart;
  Instant lastSampleStart;
  long totalSamplesCount;

  /** With decaying histograms of this half-life (upstream: 24 h for both). */
  public AggregateContainerState(Duration halfLife) {
    this(new DecayingHistogram(CPU_HISTOGRAM, halfLife), new DecayingHistogram(MEMORY_HISTOGRAM, halfLife));
  }

  AggregateContainerState(Histogram cpuUsage, Histogram memoryPeaks) {
    this.cpuUsage = cpuUsage;
    this.memoryPeaks = memoryPeaks;
  }

  /** A CPU usage sample, in cores, by a container that requested {@code requestCores}. */
  public void addCpuSample(double usageCores, double requestCores, Instant measureStart) {
    cpuUsage.addSample(usageCores, Math.max(requestCores, MIN_SAMPLE_WEIGHT), measureStart);
    if (lastSampleStart == null || measureStart.isAfter(lastSampleStart)) lastSampleStart = measureStart;
    if (firstSampleStart == null || measureStart.isBefore(firstSampleStart)) firstSampleStart = measureStart;
    totalSamplesCount++;
  }

  void addMemoryPeak(double bytes, Instant windowEnd) {
    memoryPeaks.addSample(bytes, 1.0, windowEnd);
  }

  void subtractMemoryPeak(double bytes, Instant windowEnd) {
    memoryPeaks.subtractSample(bytes, 1.0, windowEnd);
  }

  public long totalSamplesCount() {
    return totalSamplesCount;
  }

  /**
   * How much the history can be trusted (getConfidence): for a steady sample a minute over N
   * confidence intervals, N; the lesser of the history's span and its sample count, both in intervals.
   */
  public double confidence(Duration interval) {
    if (firstSampleStart == null) return 0.0;
    double lifespan = (double) Duration.between(firstSampleStart, lastSampleStart).toNanos() / interval.toNanos();
    double samples = totalSamplesCount / (interval.toNanos() / 60e9);
    return Math.min(lifespan, samples);
  }
}
