package io.kubeactor.controlplane.controller.nodelifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Upstream's per-zone rate limiter of NoExecute tainting (a token bucket of burst 1, as
 * flowcontrol's): the first node of a zone is tainted at once, the next ones at the zone's rate. A
 * new rate (the zone changed state) starts a full bucket, as upstream's SwapLimiter does.
 */
final class TaintingLimiter {

  private record Bucket(double rate, double tokens, Instant at) {}

  private final Map<String, Bucket> zones = new HashMap<>();

  /**
   * Takes the zone's token: {@link Duration#ZERO} when the node may be tainted now, else how long
   * until a token is due, or null when the zone's rate is zero (no tainting in this state).
   */
  synchronized Duration tryAcquire(String zone, double rate, Instant now) {
    if (rate <= 0) return null;
    Bucket b = zones.get(zone);
    double tokens = b == null || b.rate() != rate ? 1
        : Math.min(1, b.tokens() + Duration.between(b.at(), now).toNanos() / 1e9 * rate);
    if (tokens >= 1) {
      zones.put(zone, new Bucket(rate, tokens - 1, now));
      return Duration.ZERO;
    }
    zones.put(zone, new Bucket(rate, tokens, now));
    return Duration.ofNanos((long) Math.ceil((1 - tokens) / rate * 1e9));
  }
}
