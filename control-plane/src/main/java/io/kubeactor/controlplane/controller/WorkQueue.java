package io.kubeactor.controlplane.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * client-go's rate-limited work queue, without its threads (its owner, a {@link Controller} actor,
 * is the only user): a key added many times waits once; a key being reconciled is never handed
 * out again until it is done, and if it was added meanwhile it is queued again then; a key that
 * keeps failing waits longer each time (exponential back-off per key).
 */
final class WorkQueue {

  private final Duration baseDelay;
  private final Duration maxDelay;
  private final LinkedHashSet<String> queued = new LinkedHashSet<>();
  private final Set<String> processing = new HashSet<>();
  /** Keys added while being processed: queued again when done. */
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();

  WorkQueue(Duration baseDelay, Duration maxDelay) {
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
  }

  /** Queues a key unless it already waits; a key being processed is queued again when done. */
  void add(String key) {
    if (processing.contains(key)) dirty.add(key);
    else queued.add(key);
  }

  /** The next key to process, now marked as being processed. */
  Optional<String> next() {
    Iterator<String> it = queued.iterator();
    if (!it.hasNext()) return Optional.empty();
    String key = it.next();
    it.remove();
    processing.add(key);
    return Optional.of(key);
  }

  /** The key's reconcile has ended; it waits again if it was added meanwhile. */
  void done(String key) {
    processing.remove(key);
    if (dirty.remove(key)) queued.add(key);
  }

  /** How long to wait before retrying a key that failed: base × 2^failures, at most the maximum. */
  Duration backoff(String key) {
    int n = failures.merge(key, 1, Integer::sum) - 1;
    if (n >= 30) return maxDelay;
    Duration d = baseDelay.multipliedBy(1L << n);
    return d.compareTo(maxDelay) > 0 ? maxDelay : d;
  }

  /** The key succeeded: its next failure starts from the base delay again. */
  void forget(String key) {
    failures.remove(key);
  }

  int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  int waiting() {
    return queued.size();
  }

  int inProgress() {
    return processing.size();
  }
}
