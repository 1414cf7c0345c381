package io.kubeactor.controlplane.controller.vpa;

import java.time.Duration;

/**
 * An estimate of one resource a container needs, from its aggregated history (upstream's
 * logic/estimator.go): CPU in millicores, memory in bytes, both as upstream's ResourceAmount
 * (truncated to whole units, at most 1e14). Estimators wrap one another: a percentile, plus a
 * safety margin, times a confidence multiplier, at least a minimum.
 */
@FunctionalInterface
public interface Estimator {

  /** Upstream's MaxResourceAmount. */
  long MAX_AMOUNT = 100_000_000_000_000L;

  long estimate(AggregateContainerState s);

  /** A percentile of the CPU usage histogram. */
  static Estimator cpuPercentile(double percentile) {
    return s -> amount(s.cpuUsage.percentile(percentile) * 1000);
  }

  /** A percentile of the memory peaks histogram. */
  static Estimator memoryPercentile(double percentile) {
    return s -> amount(s.memoryPeaks.percentile(percentile));
  }

  static Estimator constant(long amount) {
    return s -> amount;
  }

  /** The base estimate plus {@code fraction} of itself. */
  static Estimator withMargin(double fraction, Estimator base) {
    return s -> {
      long b = base.estimate(s);
      return b + amount(b * fraction);
    };
  }

  /**
   * The base estimate scaled by (1 + multiplier/confidence)^exponent, the confidence measured in
   * {@code interval}s: without history +∞ (a positive exponent) or 0 (a negative one), tending to 1
   * as history grows.
   */
  static Estimator withConfidenceMultiplier(double multiplier, double exponent, Duration interval, Estimator base) {
    return s -> amount(base.estimate(s) * Math.pow(1.0 + multiplier / s.confidence(interval), exponent));
  }

  /** At least {@code min}. */
  static Estimator withMinimum(long min, Estimator base) {
    return s -> Math.max(base.estimate(s), min);
  }

  /** resourceAmountFromFloat: negative is 0, past the maximum is the maximum, else truncated. */
  static long amount(double value) {
    if (!(value >= 0)) return value > 0 ? MAX_AMOUNT : 0;
    if (value > MAX_AMOUNT) return MAX_AMOUNT;
    return (long) value;
  }
}
