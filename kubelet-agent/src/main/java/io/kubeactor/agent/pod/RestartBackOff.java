package io.kubeactor.agent.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * kubelet's crash-loop back-off: after a container exits, the next start waits 10 s, then 20 s, 40 s
 * ... up to 5 minutes; a container that ran for 10 minutes starts the sequence again. The first
 * restart after a fresh start is immediate, as in kubelet.
 */
final class RestartBackOff {
  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);
  static final Duration RESET_AFTER_RUNNING = Duration.ofMinutes(10);

  private record Entry(Duration delay, Instant updated) {}

  private final Map<String, Entry> entries = new HashMap<>();

  /**
   * How long before the container that finished at {@code finishedAt} (having started at
   * {@code startedAt}) may start again; zero when it may start now.
   */
  synchronized Duration remaining(String key, Instant startedAt, Instant finishedAt, Instant now) {
    Entry e = entries.get(key);
    if (e == null) return Duration.ZERO;
    if (startedAt != null && finishedAt != null && Duration.between(startedAt, finishedAt).compareTo(RESET_AFTER_RUNNING) >= 0) {
      entries.remove(key);
      return Duration.ZERO;
    }
    Instant until = (finishedAt == null ? e.updated : finishedAt).plus(e.delay);
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }

  /** The current delay (what the CrashLoopBackOff message names). */
  synchronized Duration delay(String key) {
    Entry e = entries.get(key);
    return e == null ? INITIAL : e.delay;
  }

  /** Records a (re)start: the next one waits longer. */
  synchronized void started(String key, Instant now) {
    Entry e = entries.get(key);
    Duration next = e == null ? INITIAL : e.delay.multipliedBy(2);
    if (next.compareTo(MAX) > 0) next = MAX;
    entries.put(key, new Entry(e == null ? INITIAL : next, now));
  }

  synchronized void forget(String keyPrefix) {
    entries.keySet().removeIf(k -> k.startsWith(keyPrefix));
  }
}
