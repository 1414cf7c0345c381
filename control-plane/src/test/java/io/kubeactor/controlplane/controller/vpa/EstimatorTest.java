package io.kubeactor.controlplane.controller.vpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's recommender/logic/estimator_test.go and the recommender's minimums and bounds. */
class EstimatorTest {

  static final Instant ANY_TIME = Instant.EPOCH;
  static final Duration DAY = Duration.ofHours(24);

  private static AggregateContainerState plain() {
    return new AggregateContainerState(new Histogram(AggregateContainerState.CPU_HISTOGRAM),
        new Histogram(AggregateContainerState.MEMORY_HISTOGRAM));
  }

  @Test
  void percentilesOfCpuAndMemoryPeaks() {
    AggregateContainerState s = plain();
    for (double cores : new double[] {1.0, 2.0, 3.0}) s.cpuUsage.addSample(cores, 1.0, ANY_TIME);
    for (double bytes : new double[] {1e9, 2e9, 3e9}) s.memoryPeaks.addSample(bytes, 1.0, ANY_TIME);
    // 5% relative error for the histogram's rounding
    assertThat(Estimator.cpuPercentile(0.2).estimate(s) / 1000.0).isCloseTo(1.0, within(0.05));
    assertThat((double) Estimator.memoryPercentile(0.5).estimate(s)).isCloseTo(2e9, within(2e9 * 0.05));
  }

  @Test
  void confidenceMultiplier() {
    Estimator cpu = Estimator.constant(3140);
    Estimator memory = Estimator.constant(3_140_000_000L);
    AggregateContainerState s = plain();
    // no history: the maximum with a positive exponent, zero with a negative one
    assertThat(Estimator.withConfidenceMultiplier(1.0, 1.0, DAY, cpu).estimate(s)).isEqualTo(100_000_000_000_000L);
    assertThat(Estimator.withConfidenceMultiplier(1.0, -1.0, DAY, cpu).estimate(s)).isZero();

    Instant t = ANY_TIME;
    for (int i = 1; i <= 9; i++) {
      s.addCpuSample(1.0, 0, t);
      t = t.plus(Duration.ofMinutes(2));
    }
    assertThat(s.confidence(DAY)).isEqualTo(0.00625);
    // 3.14 · (1 + 0.1/0.00625)^2 = 907.46
    assertThat(Estimator.withConfidenceMultiplier(0.1, 2.0, DAY, cpu).estimate(s) / 1000.0).isEqualTo(907.46);
    assertThat((double) Estimator.withConfidenceMultiplier(0.1, 2.0, DAY, memory).estimate(s)).isEqualTo(9.0746e+11);
  }

  @Test
  void confidenceMultiplierWithACustomInterval() {
    Duration interval = Duration.ofMinutes(18);
    AggregateContainerState s = plain();
    Instant t = ANY_TIME;
    for (int i = 1; i <= 9; i++) {
      s.addCpuSample(1.0, 0, t);
      t = t.plus(Duration.ofMinutes(2));
    }
    assertThat(s.confidence(interval)).isEqualTo(0.5);
    // 3.14 · (1 + 0.1/0.5)^2 = 4.5216, truncated to millicores
    assertThat(Estimator.withConfidenceMultiplier(0.1, 2.0, interval, Estimator.constant(3140)).estimate(s) / 1000.0)
        .isEqualTo(4.521);
    assertThat((double) Estimator.withConfidenceMultiplier(0.1, 2.0, interval, Estimator.constant(3_140_000_000L)).estimate(s))
        .isEqualTo(4.5216e+9);
  }

  @Test
  void confidenceMultiplierWithoutHistoryIsTheMaximum() {
    assertThat(Estimator.withConfidenceMultiplier(0.1, 2.0, DAY, Estimator.constant(3140)).estimate(plain()))
        .isEqualTo(100_000_000_000_000L);
  }

  @Test
  void marginAddsAFraction() {
    assertThat(Estimator.withMargin(0.1, Estimator.constant(3140)).estimate(plain()) / 1000.0).isEqualTo(3.454);
    assertThat(Estimator.withMargin(0.1, Estimator.constant(3_140_000_000L)).estimate(plain())).isEqualTo(3_454_000_000L);
  }

  @Test
  void minimumIsAFloorOnly() {
    assertThat(Estimator.withMinimum(200, Estimator.constant(3140)).estimate(plain())).isEqualTo(3140);
    assertThat(Estimator.withMinimum(20_000_000, Estimator.constant(400_000_000)).estimate(plain())).isEqualTo(400_000_000);
    assertThat(Estimator.withMinimum(200, Estimator.constant(10)).estimate(plain())).isEqualTo(200);
  }

  /**
   * A container steadily using 1 core and 100 MB: target is the bucket end above its P90 plus 15%;
   * the lower bound is at least the minimum shared by the pod's containers; bounds surround the
   * target once there is a day of history.
   */
  @Test
  void recommenderBoundsAndMinimums() {
    AggregateContainerState s = new AggregateContainerState(DAY);
    ContainerState c = new ContainerState(s, DAY);
    Instant t = ANY_TIME;
    for (int i = 0; i < 60 * 24 * 2; i++) {
      c.addCpuSample(1.0, 0.5, t);
      c.addMemorySample(100e6, t);
      t = t.plus(Duration.ofMinutes(1));
    }
    PodResourceRecommender.Recommendation r = new PodResourceRecommender(DAY)
        .recommend(Map.of("app", s), Map.of("app", List.of("cpu", "memory"))).get("app");
    long bucketEnd = (long) (AggregateContainerState.CPU_HISTOGRAM.bucketStart(
        AggregateContainerState.CPU_HISTOGRAM.findBucket(1.0) + 1) * 1000);
    assertThat(r.target().get("cpu")).isEqualTo(Estimator.amount(bucketEnd + bucketEnd * 0.15));
    assertThat(r.lowerBound().get("cpu")).isLessThanOrEqualTo(r.target().get("cpu"));
    assertThat(r.upperBound().get("cpu")).isGreaterThan(r.target().get("cpu"));
    // 100 MB is under the pod's 250 MiB minimum
    assertThat(r.target().get("memory")).isEqualTo(250L * 1024 * 1024);

    // two containers share the minimum: 12m and 125 MiB each
    AggregateContainerState idle = new AggregateContainerState(DAY);
    idle.addCpuSample(0.001, 0.1, ANY_TIME);
    Map<String, PodResourceRecommender.Recommendation> two = new PodResourceRecommender(DAY)
        .recommend(new java.util.TreeMap<>(Map.of("a", idle, "b", idle)), Map.of("a", List.of("cpu"), "b", List.of("cpu", "memory")));
    assertThat(two.get("a").target()).containsOnlyKeys("cpu").containsEntry("cpu", 12L);
    assertThat(two.get("b").target()).containsEntry("memory", 125L * 1024 * 1024);
    // no history: lower bound 0 before the minimum, upper bound the maximum
    assertThat(two.get("a").lowerBound()).containsEntry("cpu", 12L);
    assertThat(two.get("a").upperBound()).containsEntry("cpu", Estimator.MAX_AMOUNT);
  }

  /**
   * An OOM kill is a memory peak 20% (at least 100 MiB) above the larger of the request and the
   * usage peak; the same kill counts once, and a second one does not compound on the first.
   */
  @Test
  void anOomKillRaisesTheMemoryPeak() {
    AggregateContainerState s = plain();
    ContainerState c = new ContainerState(s, DAY);
    c.addCpuSample(0.1, 0.1, ANY_TIME);
    c.addMemorySample(50e6, ANY_TIME);
    assertThat(c.recordOom(ANY_TIME.plusSeconds(60), 1e9)).isTrue();
    assertThat(c.recordOom(ANY_TIME.plusSeconds(60), 1e9)).isFalse();
    // one peak in the interval: the OOM's 1.2 GB replaced the 50 MB usage peak
    HistogramOptions m = AggregateContainerState.MEMORY_HISTOGRAM;
    assertThat(s.memoryPeaks.percentile(0.0)).isEqualTo(m.bucketStart(m.findBucket(1.2e9) + 1));
    assertThat(s.memoryPeaks.totalWeight).isCloseTo(1.0, within(1e-9));

    ContainerState small = new ContainerState(s = plain(), DAY);
    small.recordOom(ANY_TIME, 10e6);
    assertThat(s.memoryPeaks.percentile(1.0)).isEqualTo(m.bucketStart(m.findBucket(10e6 + 100 * 1024 * 1024) + 1));
  }
}
