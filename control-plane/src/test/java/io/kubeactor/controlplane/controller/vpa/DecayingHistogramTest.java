package io.kubeactor.controlplane.controller.vpa;

import static io.kubeactor.controlplane.controller.vpa.HistogramTest.OPTIONS;
import static io.kubeactor.controlplane.controller.vpa.HistogramTest.assertInEpsilon;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Upstream's recommender/util/decaying_histogram_test.go, case by case (checkpoints left out). */
class DecayingHistogramTest {

  static final Instant START = Instant.ofEpochSecond(1234567890);
  static final Duration HOUR = Duration.ofHours(1);

  @Test
  void percentilesOfAnEmptyHistogramAreZero() {
    DecayingHistogram h = new DecayingHistogram(OPTIONS, HOUR);
    for (double p = -0.5; p <= 1.5; p += 0.5) assertThat(h.percentile(p)).isEqualTo(0.0);
  }

  /** A heavy sample is almost, not entirely, forgotten 20 half-lives later. */
  @Test
  void simpleDecay() {
    DecayingHistogram h = new DecayingHistogram(OPTIONS, HOUR);
    h.addSample(2, 1000, START);
    h.addSample(1, 1, START.plus(HOUR.multipliedBy(20)));
    assertInEpsilon(2, h.percentile(0.999));
    assertInEpsilon(3, h.percentile(1.0));
  }

  /** Past 2^100 the weights are renormalized and the histogram still answers. */
  @Test
  void longtermDecay() {
    DecayingHistogram h = new DecayingHistogram(OPTIONS, HOUR);
    h.addSample(2, 1, START);
    h.addSample(1, 1, START.plus(HOUR.multipliedBy(101)));
    assertInEpsilon(2, h.percentile(1.0));
  }

  @Test
  void percentilesOfSamplesOneHalfLifeApart() {
    DecayingHistogram h = new DecayingHistogram(OPTIONS, HOUR);
    Instant t = START;
    for (int i = 1; i <= 4; i++) {
      h.addSample(i, i, t);
      t = t.plus(HOUR);
    }
    // [1..2] 1·2^-3: 0%..2%; [2..3] 2·2^-2: 3%..10%; [3..4] 3·2^-1: 11%..34%; [4..5] 4: 35%..100%
    double[][] table = {{0.00, 2}, {0.02, 2}, {0.03, 3}, {0.10, 3}, {0.11, 4}, {0.34, 4}, {0.35, 5}, {1.00, 5}};
    for (double[] row : table) assertInEpsilon(row[1], h.percentile(row[0]));
  }

  @Test
  void noDecayAtOneTime() {
    DecayingHistogram h = new DecayingHistogram(OPTIONS, HOUR);
    for (int i = 1; i <= 4; i++) h.addSample(i, i, START);
    double[][] table = {{0.0, 2}, {0.2, 3}, {0.1, 2}, {0.3, 3}, {0.4, 4}, {0.5, 4}, {0.6, 4}, {0.7, 5}, {0.8, 5},
        {0.9, 5}, {1.0, 5}};
    for (double[] row : table) assertInEpsilon(row[1], h.percentile(row[0]));
  }

  @Test
  void merge() {
    DecayingHistogram h1 = new DecayingHistogram(OPTIONS, HOUR);
    h1.addSample(1, 1, START);
    h1.addSample(2, 1, START.plus(HOUR));
    DecayingHistogram h2 = new DecayingHistogram(OPTIONS, HOUR);
    h2.addSample(2, 1, START.plus(HOUR.multipliedBy(2)));
    h2.addSample(3, 1, START.plus(HOUR));
    DecayingHistogram expected = new DecayingHistogram(OPTIONS, HOUR);
    expected.addSample(2, 1, START.plus(HOUR.multipliedBy(2)));
    expected.addSample(2, 1, START.plus(HOUR));
    expected.addSample(3, 1, START.plus(HOUR));
    expected.addSample(1, 1, START);
    h1.merge(h2);
    assertThat(h1.sameAs(expected)).isTrue();
  }

  @Test
  void aCheckpointKeepsTheReferenceTimestamp() {
    DecayingHistogram h = new DecayingHistogram(OPTIONS, HOUR);
    h.addSample(2, 1, START.plus(HOUR.multipliedBy(100)));
    assertThat(h.referenceTimestamp()).isNotEqualTo(Instant.EPOCH);
    Histogram.Checkpoint c = h.saveToCheckpoint();
    assertThat(c.bucketWeights()).isNotEmpty();
    assertThat(c.totalWeight()).isNotZero();

    DecayingHistogram loaded = new DecayingHistogram(OPTIONS, HOUR);
    Instant reference = Instant.parse("2018-01-02T03:04:05Z");
    loaded.loadFromCheckpoint(new Histogram.Checkpoint(java.util.Map.of(0, 1L), 6.0), reference);
    assertThat(loaded.isEmpty()).isFalse();
    assertThat(loaded.referenceTimestamp()).isEqualTo(reference);
  }
}
