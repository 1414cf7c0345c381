package io.kubeactor.controlplane.controller.vpa;

import io.kubeactor.controlplane.api.vpa.VpaPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream's logic/recommender.go: per container, the target is the 90th percentile of CPU usage
 * and of memory peaks, the lower bound the 50th, the upper bound the 95th, each with a 15% safety
 * margin; the upper bound is multiplied by (1 + 1/confidence) and the lower bound by (1 +
 * 0.001/confidence)^-2, so that with little history the updater does not act on the bounds alone;
 * every estimate is at least the pod's minimum (25 millicores, 250 MiB) shared among its containers.
 */
public final class PodResourceRecommender {

  /** Target, lower and upper bound of one container, by resource ("cpu" in millicores, "memory" in bytes). */
  public record Recommendation(Map<String, Long> target, Map<String, Long> lowerBound, Map<String, Long> upperBound) {}

  static final double SAFETY_MARGIN_FRACTION = 0.15;
  static final double POD_MIN_CPU_MILLICORES = 25;
  static final double POD_MIN_MEMORY_MB = 250;
  static final double TARGET_PERCENTILE = 0.9;
  static final double LOWER_BOUND_PERCENTILE = 0.5;
  static final double UPPER_BOUND_PERCENTILE = 0.95;

  private final Estimator targetCpu;
  private final Estimator targetMemory;
  private final Estimator lowerCpu;
  private final Estimator lowerMemory;
  private final Estimator upperCpu;
  private final Estimator upperMemory;

  /** With bounds whose confidence is measured in {@code confidenceInterval}s (upstream: 24 h). */
  public PodResourceRecommender(Duration confidenceInterval) {
    targetCpu = Estimator.withMargin(SAFETY_MARGIN_FRACTION, Estimator.cpuPercentile(TARGET_PERCENTILE));
    targetMemory = Estimator.withMargin(SAFETY_MARGIN_FRACTION, Estimator.memoryPercentile(TARGET_PERCENTILE));
    lowerCpu = Estimator.withConfidenceMultiplier(0.001, -2.0, confidenceInterval,
        Estimator.withMargin(SAFETY_MARGIN_FRACTION, Estimator.cpuPercentile(LOWER_BOUND_PERCENTILE)));
    lowerMemory = Estimator.withConfidenceMultiplier(0.001, -2.0, confidenceInterval,
        Estimator.withMargin(SAFETY_MARGIN_FRACTION, Estimator.memoryPercentile(LOWER_BOUND_PERCENTILE)));
    upperCpu = Estimator.withConfidenceMultiplier(1.0, 1.0, confidenceInterval,
        Estimator.withMargin(SAFETY_MARGIN_FRACTION, Estimator.cpuPercentile(UPPER_BOUND_PERCENTILE)));
    upperMemory = Estimator.withConfidenceMultiplier(1.0, 1.0, confidenceInterval,
        Estimator.withMargin(SAFETY_MARGIN_FRACTION, Estimator.memoryPercentile(UPPER_BOUND_PERCENTILE)));
  }

  /**
   * The recommendation of each container (GetRecommendedPodResources): the pod's minimums split
   * evenly among the containers given, and only the resources each controls.
   *
   * @param containers each container's history and controlled resources
   */
  public Map<String, Recommendation> recommend(Map<String, AggregateContainerState> containers,
      Map<String, java.util.List<String>> controlledResources) {
    Map<String, Recommendation> out = new LinkedHashMap<>();
    if (containers.isEmpty()) return out;
    double fraction = 1.0 / containers.size();
    long minCpu = Estimator.amount(POD_MIN_CPU_MILLICORES * fraction);
    long minMemory = Estimator.amount(POD_MIN_MEMORY_MB * 1024 * 1024 * fraction);
    containers.forEach((name, s) -> {
      java.util.List<String> resources = controlledResources.getOrDefault(name, java.util.List.of(VpaPolicy.CPU, VpaPolicy.MEMORY));
      out.put(name, new Recommendation(
          pick(resources, Math.max(targetCpu.estimate(s), minCpu), Math.max(targetMemory.estimate(s), minMemory)),
          pick(resources, Math.max(lowerCpu.estimate(s), minCpu), Math.max(lowerMemory.estimate(s), minMemory)),
          pick(resources, Math.max(upperCpu.estimate(s), minCpu), Math.max(upperMemory.estimate(s), minMemory))));
    });
    return out;
  }

  /** FilterControlledResources. */
  private static Map<String, Long> pick(java.util.List<String> resources, long cpu, long memory) {
    Map<String, Long> out = new java.util.TreeMap<>();
    if (resources.contains(VpaPolicy.CPU)) out.put(VpaPolicy.CPU, cpu);
    if (resources.contains(VpaPolicy.MEMORY)) out.put(VpaPolicy.MEMORY, memory);
    return out;
  }
}
