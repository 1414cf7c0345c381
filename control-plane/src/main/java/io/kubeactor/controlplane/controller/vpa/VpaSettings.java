package io.kubeactor.controlplane.controller.vpa;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The vertical pod autoscaler's settings (kubeactor.controllers.vpa in application.conf), named
 * after upstream's recommender and updater flags; tests shorten the intervals and the history.
 *
 * @param recommenderInterval how often usage is sampled and recommendations written (--recommender-interval: 1m)
 * @param halfLife how fast the histograms forget (--cpu-histogram-decay-half-life, --memory-histogram-decay-half-life: 24h)
 * @param memoryAggregationInterval one memory peak per container per this (--memory-aggregation-interval: 24h)
 * @param confidenceInterval the unit of history the bounds' confidence counts (--confidence-interval-cpu/-memory: 24h)
 * @param updaterInterval how often the updater looks for pods to evict (--updater-interval: 1m)
 * @param evictionTolerance the fraction of a controller's replicas evicted at once (--eviction-tolerance: 0.5)
 * @param minReplicas fewer live replicas than this and none is evicted, unless the VPA says otherwise (--min-replicas: 2)
 * @param podLifetimeUpdateThreshold a pod within its recommended range is replaced only after living this long (12h)
 * @param inPlaceResizeTimeout in mode InPlaceOrRecreate, a pod resized in place that does not run with its new
 *     resources after this long is evicted instead (upstream's deferred-resize timeout: 5m)
 */
public record VpaSettings(Duration recommenderInterval, Duration halfLife, Duration memoryAggregationInterval,
    Duration confidenceInterval, Duration updaterInterval, double evictionTolerance, int minReplicas,
    Duration podLifetimeUpdateThreshold, Duration inPlaceResizeTimeout) {

  static final Duration IN_PLACE_RESIZE_TIMEOUT = Duration.ofMinutes(5);

  /** Settings with the default in-place resize timeout. */
  public VpaSettings(Duration recommenderInterval, Duration halfLife, Duration memoryAggregationInterval,
      Duration confidenceInterval, Duration updaterInterval, double evictionTolerance, int minReplicas,
      Duration podLifetimeUpdateThreshold) {
    this(recommenderInterval, halfLife, memoryAggregationInterval, confidenceInterval, updaterInterval, evictionTolerance,
        minReplicas, podLifetimeUpdateThreshold, IN_PLACE_RESIZE_TIMEOUT);
  }

  public static VpaSettings defaults() {
    return new VpaSettings(Duration.ofMinutes(1), Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(24),
        Duration.ofMinutes(1), 0.5, 2, Duration.ofHours(12), IN_PLACE_RESIZE_TIMEOUT);
  }

  /** From a kubeactor.controllers.vpa block; what it leaves out keeps its default. */
  public static VpaSettings from(Config vpa) {
    VpaSettings d = defaults();
    return new VpaSettings(
        duration(vpa, "recommender-interval", d.recommenderInterval),
        duration(vpa, "half-life", d.halfLife),
        duration(vpa, "memory-aggregation-interval", d.memoryAggregationInterval),
        duration(vpa, "confidence-interval", d.confidenceInterval),
        duration(vpa, "updater-interval", d.updaterInterval),
        vpa.hasPath("eviction-tolerance") ? vpa.getDouble("eviction-tolerance") : d.evictionTolerance,
        vpa.hasPath("min-replicas") ? vpa.getInt("min-replicas") : d.minReplicas,
        duration(vpa, "pod-lifetime-update-threshold", d.podLifetimeUpdateThreshold),
        duration(vpa, "in-place-resize-timeout", d.inPlaceResizeTimeout));
  }

  private static Duration duration(Config c, String key, Duration fallback) {
    return c.hasPath(key) ? c.getDuration(key) : fallback;
  }
}
