package io.kubeactor.controlplane.controller.daemonset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * client-go's flowcontrol.Backoff as the DaemonSet controller uses it for failed daemon pods: a
 * kubelet that rejects a pod would otherwise see it deleted and made again in a hot loop. Each
 * (DaemonSet, generation, node) waits 1 s after a deletion, doubling to 15 min; an entry unused for
 * twice the maximum is forgotten.
 */
final class FailedPodsBackoff {

  static final Duration INITIAL = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(15);

  private record Entry(Duration backoff, Instant lastUpdate) {}

  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  FailedPodsBackoff(Clock clock) {
    this.clock = clock;
  }

  static String key(String dsUid, long observedGeneration, String nodeName) {
    return dsUid + "/" + observedGeneration + "/" + nodeName;
  }

  Instant now() {
    return clock.instant();
  }

  /** Whether the last deletion for the key was less than its back-off ago (IsInBackOffSinceUpdate). */
  boolean inBackoff(String key, Instant now) {
    Entry e = entries.get(key);
    if (e == null || expired(e, now)) return false;
    return now.isBefore(e.lastUpdate().plus(e.backoff()));
  }

  /** The key's current back-off. */
  Duration get(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.backoff();
  }

  /** Records a deletion: the first (or after a long quiet) waits the initial delay, each next one twice the last. */
  void next(String key, Instant now) {
    entries.compute(key, (k, e) -> e == null || expired(e, now)
        ? new Entry(INITIAL, now)
        : new Entry(e.backoff().multipliedBy(2).compareTo(MAX) > 0 ? MAX : e.backoff().multipliedBy(2), now));
    gc(now);
  }

  /** Forgets entries unused for twice the maximum (upstream runs this every minute). */
  void gc(Instant now) {
    entries.values().removeIf(e -> expired(e, now));
  }

  private static boolean expired(Entry e, Instant now) {
    return Duration.between(e.lastUpdate(), now).compareTo(MAX.multipliedBy(2)) > 0;
  }
}
