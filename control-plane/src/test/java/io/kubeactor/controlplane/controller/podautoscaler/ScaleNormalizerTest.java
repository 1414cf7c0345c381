package io.kubeactor.controlplane.controller.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.kubeactor.controlplane.controller.nodelifecycle.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits of one sync (upstream's TestConvertDesiredReplicasWithRules, and the scaling rules'
 * tables of calculateScaleUpLimitWithScalingRules and calculateScaleDownLimitWithBehaviors), and
 * the stabilization windows over recommendations made at times the test sets.
 */
class ScaleNormalizerTest {

  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  static HPAScalingPolicy policy(String type, int value, int period) {
    return new HPAScalingPolicy(period, type, value);
  }

  static HPAScalingRules rules(String select, HPAScalingPolicy... policies) {
    HPAScalingRules r = new HPAScalingRules();
    r.setSelectPolicy(select);
    r.setPolicies(List.of(policies));
    return r;
  }

  static ScaleNormalizer.ScaleEvent event(int change, int secondsAgo) {
    return new ScaleNormalizer.ScaleEvent(change, NOW.minusSeconds(secondsAgo));
  }

  // ---- the legacy rules (convertDesiredReplicasWithRules) ----

  static ScaleNormalizer.Normalized legacy(int current, int desired, int min, int max) {
    return new ScaleNormalizer(new MutableClock(NOW), Duration.ofMinutes(5)).normalize("ns/hpa", current, desired, min, max);
  }

  @Test
  void legacyRules() {
    assertThat(legacy(5, 7, 3, 8)).extracting("replicas", "limitedReason").containsExactly(7, "DesiredWithinRange");
    assertThat(legacy(3, 1, 2, 8)).extracting("replicas", "limitedReason", "limitedMessage")
        .containsExactly(2, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
    assertThat(legacy(1, 0, 0, 10)).extracting("replicas", "limitedReason").containsExactly(0, "DesiredWithinRange");
    assertThat(legacy(20, 1000, 1, 10)).extracting("replicas", "limitedReason").containsExactly(10, "TooManyReplicas");
    assertThat(legacy(3, 1000, 1, 2000)).extracting("replicas", "limitedReason").containsExactly(6, "ScaleUpLimit");
    assertThat(legacy(1, 1000, 1, 2000).replicas()).isEqualTo(4); // max(2 * 1, 4)
  }

  // ---- the scaling rules' limits ----

  @Test
  void scaleUpLimits() {
    assertThat(ScaleNormalizer.limit(true, 5, List.of(), List.of(), rules("Max", policy("Pods", 4, 60)), NOW)).isEqualTo(9);
    assertThat(ScaleNormalizer.limit(true, 5, List.of(event(2, 30)), List.of(), rules("Max", policy("Pods", 4, 60)), NOW))
        .isEqualTo(7);
    assertThat(ScaleNormalizer.limit(true, 5, List.of(), List.of(), rules("Disabled", policy("Pods", 4, 60)), NOW))
        .isEqualTo(5);
    assertThat(ScaleNormalizer.limit(true, 5, List.of(), List.of(),
        rules("Min", policy("Pods", 4, 60), policy("Pods", 2, 60)), NOW)).isEqualTo(7);
    assertThat(ScaleNormalizer.limit(true, 10, List.of(), List.of(), rules("Max", policy("Percent", 50, 60)), NOW))
        .isEqualTo(15);
    // an event older than the period no longer counts
    assertThat(ScaleNormalizer.limit(true, 5, List.of(event(2, 90)), List.of(), rules("Max", policy("Pods", 4, 60)), NOW))
        .isEqualTo(9);
  }

  @Test
  void scaleDownLimits() {
    assertThat(ScaleNormalizer.limit(false, 10, List.of(), List.of(), rules("Max", policy("Percent", 20, 60)), NOW))
        .isEqualTo(8);
    assertThat(ScaleNormalizer.limit(false, 10, List.of(), List.of(event(1, 30)), rules("Max", policy("Percent", 20, 60)),
        NOW)).isEqualTo(8);
    assertThat(ScaleNormalizer.limit(false, 100, List.of(), List.of(),
        rules("Max", policy("Percent", 10, 60), policy("Pods", 5, 60)), NOW)).isEqualTo(90);
    assertThat(ScaleNormalizer.limit(false, 10, List.of(), List.of(), rules("Disabled", policy("Percent", 20, 60)), NOW))
        .isEqualTo(10);
    assertThat(ScaleNormalizer.limit(false, 100, List.of(), List.of(),
        rules("Min", policy("Percent", 10, 60), policy("Pods", 15, 60)), NOW)).isEqualTo(90);
  }

  // ---- stabilization windows ----

  static HorizontalPodAutoscalerBehavior behavior(int upWindow, int downWindow) {
    HorizontalPodAutoscalerBehavior b = new HorizontalPodAutoscalerBehavior();
    HPAScalingRules up = rules("Max", policy("Pods", 4, 15), policy("Percent", 100, 15));
    up.setStabilizationWindowSeconds(upWindow);
    HPAScalingRules down = rules("Max", policy("Percent", 100, 15));
    down.setStabilizationWindowSeconds(downWindow);
    b.setScaleUp(up);
    b.setScaleDown(down);
    return b;
  }

  @Test
  void scaleDownTakesTheHighestRecommendationOfItsWindow() {
    MutableClock clock = new MutableClock(NOW);
    ScaleNormalizer n = new ScaleNormalizer(clock, Duration.ofMinutes(5));
    HorizontalPodAutoscalerBehavior b = behavior(0, 60);
    n.recordInitial("k", 8);
    clock.advance(Duration.ofSeconds(15));
    assertThat(n.normalizeWithBehavior("k", b, 8, 6, 1, 10)).extracting("replicas", "ableReason")
        .containsExactly(8, "ScaleDownStabilized");
    clock.advance(Duration.ofSeconds(30));
    assertThat(n.normalizeWithBehavior("k", b, 8, 2, 1, 10).replicas()).isEqualTo(8); // 8 is 45 s old
    clock.advance(Duration.ofSeconds(29));
    assertThat(n.normalizeWithBehavior("k", b, 8, 2, 1, 10).replicas()).isEqualTo(6); // 6 is 59 s old: inside
    clock.advance(Duration.ofSeconds(16));
    assertThat(n.normalizeWithBehavior("k", b, 8, 2, 1, 10)).extracting("replicas", "ableReason")
        .containsExactly(2, "ReadyForNewScale");
  }

  @Test
  void scaleUpTakesTheLowestRecommendationOfItsWindow() {
    MutableClock clock = new MutableClock(NOW);
    ScaleNormalizer n = new ScaleNormalizer(clock, Duration.ofMinutes(5));
    HorizontalPodAutoscalerBehavior b = behavior(30, 300);
    n.recordInitial("k", 2);
    clock.advance(Duration.ofSeconds(15));
    assertThat(n.normalizeWithBehavior("k", b, 2, 5, 1, 10)).extracting("replicas", "ableReason", "ableMessage")
        .containsExactly(2, "ScaleUpStabilized",
            "recent recommendations were lower than current one, applying the lowest recent recommendation");
    clock.advance(Duration.ofSeconds(20));
    assertThat(n.normalizeWithBehavior("k", b, 2, 5, 1, 10).replicas()).isEqualTo(5); // 2 left the window
  }

  @Test
  void scaleEventsCountAgainstTheirPolicysPeriod() {
    MutableClock clock = new MutableClock(NOW);
    ScaleNormalizer n = new ScaleNormalizer(clock, Duration.ofMinutes(5));
    HorizontalPodAutoscalerBehavior b = new HorizontalPodAutoscalerBehavior();
    HPAScalingRules up = rules("Max", policy("Pods", 2, 60));
    up.setStabilizationWindowSeconds(0);
    b.setScaleUp(up);
    b.setScaleDown(behavior(0, 0).getScaleDown());
    assertThat(n.normalizeWithBehavior("k", b, 1, 9, 1, 10)).extracting("replicas", "limited", "limitedReason")
        .containsExactly(3, true, "ScaleUpLimit");
    n.scaled("k", b, 1, 3);
    clock.advance(Duration.ofSeconds(30));
    assertThat(n.normalizeWithBehavior("k", b, 3, 9, 1, 10).replicas()).isEqualTo(3); // the minute's 2 are spent
    clock.advance(Duration.ofSeconds(31));
    assertThat(n.normalizeWithBehavior("k", b, 3, 9, 1, 10).replicas()).isEqualTo(5);
  }
}
