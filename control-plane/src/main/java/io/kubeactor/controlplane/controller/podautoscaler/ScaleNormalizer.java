package io.kubeactor.controlplane.controller.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far one sync may move the replica count (horizontal.go's normalizeDesiredReplicas and
 * normalizeDesiredReplicasWithBehaviors): the recommendations of each HPA over its stabilization
 * windows and the scale changes it made over its policies' periods, kept in memory per HPA key
 * as upstream keeps them (a restart forgets them, as kube-controller-manager's does).
 */
final class ScaleNormalizer {

  /** Without behavior, one sync grows the count to at most max(2 * current, 4) (scaleUpLimitFactor, scaleUpLimitMinimum). */
  static final double SCALE_UP_LIMIT_FACTOR = 2.0;
  static final double SCALE_UP_LIMIT_MINIMUM = 4.0;

  /** The outcome: the replica count and the conditions it sets (AbleToScale's reason and message, ScalingLimited's). */
  record Normalized(int replicas, String ableReason, String ableMessage, boolean limited, String limitedReason,
      String limitedMessage) {}

  private record Recommendation(int replicas, Instant timestamp) {}

  static final class ScaleEvent {
    final int change;
    final Instant timestamp;
    boolean outdated;

    ScaleEvent(int change, Instant timestamp) {
      this.change = change;
      this.timestamp = timestamp;
    }
  }

  private final Clock clock;
  private final Duration downscaleStabilisationWindow;
  private final Map<String, List<Recommendation>> recommendations = new HashMap<>();
  private final Map<String, List<ScaleEvent>> scaleUpEvents = new HashMap<>();
  private final Map<String, List<ScaleEvent>> scaleDownEvents = new HashMap<>();

  ScaleNormalizer(Clock clock, Duration downscaleStabilisationWindow) {
    this.clock = clock;
    this.downscaleStabilisationWindow = downscaleStabilisationWindow;
  }

  /** recordInitialRecommendation: the current count is the first recommendation an HPA has. */
  synchronized void recordInitial(String key, int currentReplicas) {
    recommendations.computeIfAbsent(key, k -> new ArrayList<>(List.of(new Recommendation(currentReplicas, clock.instant()))));
  }

  /** The HPA is gone: its history too. */
  synchronized void forget(String key) {
    recommendations.remove(key);
    scaleUpEvents.remove(key);
    scaleDownEvents.remove(key);
  }

  /** normalizeDesiredReplicas: the legacy rules, for an HPA without behavior. */
  synchronized Normalized normalize(String key, int current, int desired, int min, int max) {
    int stabilized = stabilizeLegacy(key, desired);
    String ableReason = stabilized != desired ? "ScaleDownStabilized" : "ReadyForNewScale";
    String ableMessage = stabilized != desired
        ? "recent recommendations were higher than current one, applying the highest recent recommendation"
        : "recommended size matches current size";
    int scaleUpLimit = (int) Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
    Bound upper = Bound.upper(max, scaleUpLimit);
    if (stabilized < min) {
      return new Normalized(min, ableReason, ableMessage, min != stabilized, "TooFewReplicas",
          "the desired replica count is less than the minimum replica count");
    }
    if (stabilized > upper.replicas) {
      return new Normalized(upper.replicas, ableReason, ableMessage, true, upper.reason, upper.message);
    }
    return new Normalized(stabilized, ableReason, ableMessage, false, WITHIN_RANGE, WITHIN_RANGE_MESSAGE);
  }

  private static final String WITHIN_RANGE = "DesiredWithinRange";
  private static final String WITHIN_RANGE_MESSAGE = "the desired count is within the acceptable range";

  /** The count one side may reach, and the ScalingLimited reason it gives when it binds. */
  private record Bound(int replicas, String reason, String message) {
    /** maxReplicas, or the rate limit when that is lower. */
    static Bound upper(int max, int limit) {
      return max > limit
          ? new Bound(limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
          : new Bound(max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
    }

    /** minReplicas, or the rate limit when that is higher. */
    static Bound lower(int min, int limit) {
      return min < limit
          ? new Bound(limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
          : new Bound(min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
    }
  }

  /** stabilizeRecommendation: the highest recommendation within the downscale stabilization window. */
  private int stabilizeLegacy(String key, int desired) {
    int max = desired;
    Instant now = clock.instant();
    Instant cutoff = now.minus(downscaleStabilisationWindow);
    List<Recommendation> list = recommendations.computeIfAbsent(key, k -> new ArrayList<>());
    int oldIndex = -1;
    for (int i = 0; i < list.size(); i++) {
      Recommendation r = list.get(i);
      if (r.timestamp.isBefore(cutoff)) oldIndex = i;
      else if (r.replicas > max) max = r.replicas;
    }
    Recommendation fresh = new Recommendation(desired, now);
    if (oldIndex >= 0) list.set(oldIndex, fresh);
    else list.add(fresh);
    return max;
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilization windows, then the policies' rates. */
  synchronized Normalized normalizeWithBehavior(String key, HorizontalPodAutoscalerBehavior behavior, int current,
      int desired, int min, int max) {
    HPAScalingRules up = behavior.getScaleUp();
    HPAScalingRules down = behavior.getScaleDown();
    int upWindow = up == null || up.getStabilizationWindowSeconds() == null ? 0 : up.getStabilizationWindowSeconds();
    int downWindow = down == null || down.getStabilizationWindowSeconds() == null
        ? (int) downscaleStabilisationWindow.toSeconds() : down.getStabilizationWindowSeconds();

    int stabilized = desired;
    String reason;
    String message;
    boolean scalingUp = desired >= current;
    int window;
    if (scalingUp) {
      window = upWindow;
      reason = "ScaleUpStabilized";
      message = "recent recommendations were lower than current one, applying the lowest recent recommendation";
    } else {
      window = downWindow;
      reason = "ScaleDownStabilized";
      message = "recent recommendations were higher than current one, applying the highest recent recommendation";
    }
    Instant now = clock.instant();
    Instant obsolete = now.minusSeconds(Math.max(upWindow, downWindow));
    Instant cutoff = now.minusSeconds(window);
    List<Recommendation> list = recommendations.computeIfAbsent(key, k -> new ArrayList<>());
    int oldIndex = -1;
    for (int i = 0; i < list.size(); i++) {
      Recommendation r = list.get(i);
      if (r.timestamp.isAfter(cutoff)) {
        stabilized = scalingUp ? Math.min(r.replicas, stabilized) : Math.max(r.replicas, stabilized);
      }
      if (r.timestamp.isBefore(obsolete)) oldIndex = i;
    }
    Recommendation fresh = new Recommendation(desired, now);
    if (oldIndex >= 0) list.set(oldIndex, fresh);
    else list.add(fresh);

    String ableReason = stabilized != desired ? reason : "ReadyForNewScale";
    String ableMessage = stabilized != desired ? message : "recommended size matches current size";

    List<ScaleEvent> ups = scaleUpEvents.getOrDefault(key, List.of());
    List<ScaleEvent> downs = scaleDownEvents.getOrDefault(key, List.of());
    Bound bound = null;
    if (stabilized > current) {
      Bound upper = Bound.upper(max, Math.max(limit(true, current, ups, downs, up, now), current));
      if (stabilized > upper.replicas) bound = upper;
    } else if (stabilized < current) {
      Bound lower = Bound.lower(min, Math.min(limit(false, current, ups, downs, down, now), current));
      if (stabilized < lower.replicas) bound = lower;
    }
    if (bound == null) {
      return new Normalized(stabilized, ableReason, ableMessage, false, WITHIN_RANGE, WITHIN_RANGE_MESSAGE);
    }
    return new Normalized(bound.replicas, ableReason, ableMessage, true, bound.reason, bound.message);
  }

  /** storeScaleEvent: a change made, for the policies' periods (only with behavior, as upstream). */
  synchronized void scaled(String key, HorizontalPodAutoscalerBehavior behavior, int previous, int now) {
    if (behavior == null) return;
    boolean up = now > previous;
    HPAScalingRules rules = up ? behavior.getScaleUp() : behavior.getScaleDown();
    List<ScaleEvent> events = (up ? scaleUpEvents : scaleDownEvents).computeIfAbsent(key, k -> new ArrayList<>());
    Instant t = clock.instant();
    Instant cutoff = t.minusSeconds(longestPeriod(rules));
    int oldIndex = -1;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).timestamp.isBefore(cutoff)) events.get(i).outdated = true;
      if (events.get(i).outdated) oldIndex = i;
    }
    ScaleEvent e = new ScaleEvent(Math.abs(now - previous), t);
    if (oldIndex >= 0) events.set(oldIndex, e);
    else events.add(e);
  }

  private static int longestPeriod(HPAScalingRules rules) {
    int longest = 0;
    if (rules != null && rules.getPolicies() != null) {
      for (HPAScalingPolicy p : rules.getPolicies()) longest = Math.max(longest, p.getPeriodSeconds());
    }
    return longest;
  }

  /** getReplicasChangePerPeriod: the replicas changed within the period. */
  private static int changeWithin(int periodSeconds, List<ScaleEvent> events, Instant now) {
    Instant cutoff = now.minusSeconds(periodSeconds);
    int sum = 0;
    for (ScaleEvent e : events) {
      if (e.timestamp.isAfter(cutoff)) sum += e.change;
    }
    return sum;
  }

  /**
   * calculateScaleUpLimitWithScalingRules and calculateScaleDownLimitWithBehaviors: the count the
   * policies allow from the count at the start of each policy's period; "Max" picks the policy that
   * allows the largest change, "Min" the smallest, "Disabled" none.
   */
  static int limit(boolean up, int current, List<ScaleEvent> ups, List<ScaleEvent> downs, HPAScalingRules rules,
      Instant now) {
    String select = rules == null || rules.getSelectPolicy() == null ? "Max" : rules.getSelectPolicy();
    if (select.equals("Disabled")) return current;
    // the largest change is the highest count up and the lowest count down
    boolean highest = up != select.equals("Min");
    int result = highest ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    List<HPAScalingPolicy> policies = rules == null || rules.getPolicies() == null ? List.of() : rules.getPolicies();
    for (HPAScalingPolicy p : policies) {
      int periodStart = current - changeWithin(p.getPeriodSeconds(), ups, now) + changeWithin(p.getPeriodSeconds(), downs, now);
      int value = p.getValue() == null ? 0 : p.getValue();
      int proposed;
      if ("Pods".equals(p.getType())) {
        proposed = up ? periodStart + value : periodStart - value;
      } else if ("Percent".equals(p.getType())) {
        // up rounds up, or a small percentage of a few pods would never add one; down truncates
        proposed = up ? (int) Math.ceil(periodStart * (1 + value / 100.0)) : (int) (periodStart * (1 - value / 100.0));
      } else {
        continue;
      }
      result = highest ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }
}
