package io.kubeactor.controlplane.controller.vpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Upstream's recommender/util/histogram_test.go, case by case (checkpoints left out: none here). */
class HistogramTest {

  /** Relative precision of values, absolute precision of weights (upstream's valueEpsilon, weightEpsilon). */
  static final double VALUE_EPSILON = 1e-15;
  static final double WEIGHT_EPSILON = 1e-15;
  static final Instant ANY_TIME = Instant.EPOCH;
  static final HistogramOptions OPTIONS = HistogramOptions.linear(10.0, 1.0, WEIGHT_EPSILON);

  static void assertInEpsilon(double expected, double actual) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * VALUE_EPSILON));
  }

  @Test
  void percentilesOfAnEmptyHistogramAreZero() {
    Histogram h = new Histogram(OPTIONS);
    for (double p = -0.5; p <= 1.5; p += 0.5) assertThat(h.percentile(p)).isEqualTo(0.0);
  }

  @Test
  void percentiles() {
    Histogram h = new Histogram(OPTIONS);
    for (int i = 1; i <= 4; i++) h.addSample(i, i, ANY_TIME);
    double[][] table = {{0.0, 2}, {0.1, 2}, {0.2, 3}, {0.3, 3}, {0.4, 4}, {0.5, 4}, {0.6, 4}, {0.7, 5}, {0.8, 5},
        {0.9, 5}, {1.0, 5}};
    for (double[] row : table) assertInEpsilon(row[1], h.percentile(row[0]));
  }

  @Test
  void percentilesOutOfBoundsAreTheMinimumAndTheMaximum() {
    Histogram h = new Histogram(HistogramOptions.linear(1.0, 0.1, WEIGHT_EPSILON));
    h.addSample(0.1, 0.1, ANY_TIME);
    h.addSample(0.2, 0.2, ANY_TIME);
    assertInEpsilon(0.2, h.percentile(-0.1));
    assertInEpsilon(0.3, h.percentile(1.1));
    // fill the boundary buckets
    h.addSample(0.0, 0.1, ANY_TIME);
    h.addSample(1.0, 0.2, ANY_TIME);
    assertInEpsilon(0.1, h.percentile(-0.1));
    assertInEpsilon(1.0, h.percentile(1.1));
  }

  @Test
  void emptyUntilABucketWeighsEpsilon() {
    Histogram h = new Histogram(HistogramOptions.linear(1.0, 0.1, WEIGHT_EPSILON));
    assertThat(h.isEmpty()).isTrue();
    h.addSample(0.1, WEIGHT_EPSILON * 2.5, ANY_TIME);
    assertThat(h.isEmpty()).isFalse();
    h.subtractSample(0.1, WEIGHT_EPSILON, ANY_TIME);
    assertThat(h.isEmpty()).isFalse();
    h.subtractSample(0.1, WEIGHT_EPSILON, ANY_TIME);
    assertThat(h.isEmpty()).isTrue();
  }

  @Test
  void notEmptyAfterAddingLessThanEpsilonToANonEmptyOne() {
    Histogram h = new Histogram(HistogramOptions.linear(1.0, 0.1, WEIGHT_EPSILON));
    h.addSample(9.9, WEIGHT_EPSILON * 3, ANY_TIME);
    assertThat(h.isEmpty()).isFalse();
    h.addSample(0.1, WEIGHT_EPSILON * 0.3, ANY_TIME);
    assertThat(h.isEmpty()).isFalse();
    h.addSample(999.9, WEIGHT_EPSILON * 0.3, ANY_TIME);
    assertThat(h.isEmpty()).isFalse();
  }

  @Test
  void mergeAddsTheOthersSamples() {
    Histogram h1 = new Histogram(OPTIONS);
    h1.addSample(1, 1, ANY_TIME);
    h1.addSample(2, 1, ANY_TIME);
    Histogram h2 = new Histogram(OPTIONS);
    h2.addSample(2, 1, ANY_TIME);
    h2.addSample(3, 1, ANY_TIME);
    Histogram expected = new Histogram(OPTIONS);
    expected.addSample(1, 1, ANY_TIME);
    expected.addSample(2, 1, ANY_TIME);
    expected.addSample(2, 1, ANY_TIME);
    expected.addSample(3, 1, ANY_TIME);
    h1.merge(h2);
    assertThat(h1.sameAs(expected)).isTrue();
  }

  @Test
  void negativeWeightsAreRefused() {
    Histogram h = new Histogram(OPTIONS);
    assertThatThrownBy(() -> h.addSample(1, -1, ANY_TIME)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exponentialBucketsStartWhereTheFormulaSays() {
    HistogramOptions cpu = AggregateContainerState.CPU_HISTOGRAM;
    assertThat(cpu.bucketStart(0)).isEqualTo(0.0);
    assertInEpsilon(0.01, cpu.bucketStart(1));
    assertInEpsilon(0.01 + 0.0105, cpu.bucketStart(2));
    assertThat(cpu.findBucket(0.005)).isZero();
    assertThat(cpu.findBucket(0.0150)).isEqualTo(1);
    assertThat(cpu.bucketStart(cpu.numBuckets() - 1)).isGreaterThanOrEqualTo(1000.0);
    assertThat(cpu.findBucket(1e9)).isEqualTo(cpu.numBuckets() - 1);
    assertThat(AggregateContainerState.MEMORY_HISTOGRAM.bucketStart(1)).isEqualTo(1e7);
  }

  // ---- checkpoints (histogram_test.go's SaveToCheckpoint and LoadFromCheckpoint cases) ----

  @Test
  void anEmptyHistogramSavesNothing() {
    Histogram.Checkpoint c = new Histogram(OPTIONS).saveToCheckpoint();
    assertThat(c.totalWeight()).isEqualTo(0.0);
    assertThat(c.bucketWeights()).isEmpty();
  }

  @Test
  void theHeaviestBucketSavesAsTheMaximumWeight() {
    Histogram h = new Histogram(OPTIONS);
    h.addSample(1, 1, ANY_TIME);
    Histogram.Checkpoint c = h.saveToCheckpoint();
    assertThat(c.totalWeight()).isEqualTo(1.0);
    assertThat(c.bucketWeights()).containsExactly(java.util.Map.entry(OPTIONS.findBucket(1), Histogram.MAX_CHECKPOINT_WEIGHT));
  }

  @Test
  void relativelySmallWeightsAreDropped() {
    Histogram h = new Histogram(OPTIONS);
    h.addSample(1, 1, ANY_TIME);
    h.addSample(2, 100000, ANY_TIME);
    Histogram.Checkpoint c = h.saveToCheckpoint();
    assertThat(c.totalWeight()).isEqualTo(100001.0);
    assertThat(c.bucketWeights()).containsExactly(java.util.Map.entry(OPTIONS.findBucket(2), Histogram.MAX_CHECKPOINT_WEIGHT));
  }

  @Test
  void severalValuesSaveScaled() {
    Histogram h = new Histogram(OPTIONS);
    h.addSample(1, 1, ANY_TIME);
    h.addSample(2, 10000, ANY_TIME);
    h.addSample(3, 50, ANY_TIME);
    Histogram.Checkpoint c = h.saveToCheckpoint();
    assertThat(c.totalWeight()).isEqualTo(10051.0);
    assertThat(c.bucketWeights()).containsOnly(java.util.Map.entry(OPTIONS.findBucket(1), 1L),
        java.util.Map.entry(OPTIONS.findBucket(2), 10000L), java.util.Map.entry(OPTIONS.findBucket(3), 50L));
  }

  @Test
  void loadingScalesTheWeightsToTheTotal() {
    Histogram h = new Histogram(OPTIONS);
    h.loadFromCheckpoint(new Histogram.Checkpoint(java.util.Map.of(0, 1L, 1, 2L), 6.0));
    assertThat(h.totalWeight).isEqualTo(6.0);
    assertThat(h.bucketWeight[0]).isEqualTo(2.0);
    assertThat(h.bucketWeight[1]).isEqualTo(4.0);
  }

  @Test
  void badCheckpointsAreRefused() {
    Histogram h = new Histogram(OPTIONS);
    assertThatThrownBy(() -> h.loadFromCheckpoint(new Histogram.Checkpoint(java.util.Map.of(-1, 1L), 1.0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.loadFromCheckpoint(new Histogram.Checkpoint(java.util.Map.of(99, 1L), 1.0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.loadFromCheckpoint(new Histogram.Checkpoint(java.util.Map.of(), -1.0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.loadFromCheckpoint(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
