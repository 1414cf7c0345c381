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
 * keeps failing waits longer each time (exponential back-off per key). Measured as client-go measures
 * its queues ({@link WorkQueueMetrics}).
 */
final class WorkQueue {

  private final Duration baseDelay;
  private final Duration maxDelay;
  private final LinkedHashSet<String> queued = new LinkedHashSet<>();
  private final Set<String> processing = new HashSet<>();
  /** Keys added while being processed: queued again when done. */
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final WorkQueueMetrics metrics;
  /** When each waiting key was added, and when each key being processed was handed out (System.nanoTime). */
  private final Map<String, Long> addedAt = new HashMap<>();
  private final Map<String, Long> processingSince = new HashMap<>();

  WorkQueue(Duration baseDelay, Duration maxDelay) {
    this(baseDelay, maxDelay, WorkQueueMetrics.NONE);
  }

  WorkQueue(Duration baseDelay, Duration maxDelay, WorkQueueMetrics metrics) {
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.metrics = metrics;
  }

  /** Queues a key unless it already waits; a key being processed is queued again when done. */
  void add(String key) {
    if (queued.contains(key) || dirty.contains(key)) return;
    // client-go counts an add, and the depth, when the key was not waiting already
    metrics.adds.inc();
    metrics.depth.inc();
    addedAt.putIfAbsent(key, System.nanoTime());
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
    long now = System.nanoTime();
    metrics.depth.dec();
    Long added = addedAt.remove(key);
    if (added != null) metrics.queueDuration.observe((now - added) / 1e9);
    processingSince.put(key, now);
    return Optional.of(key);
  }

  /** The key's reconcile has ended; it waits again if it was added meanwhile. */
  void done(String key) {
    processing.remove(key);
    Long since = processingSince.remove(key);
    if (since != null) metrics.workDuration.observe((System.nanoTime() - since) / 1e9);
    if (dirty.remove(key)) queued.add(key);
  }

  /** client-go's unfinished-work gauges, from the keys being processed now: their time together and the longest. */
  void updateUnfinishedWork() {
    long now = System.nanoTime();
    double total = 0;
    double longest = 0;
    for (long since : processingSince.values()) {
      double seconds = (now - since) / 1e9;
      total += seconds;
      longest = Math.max(longest, seconds);
    }
    metrics.unfinished.set(total);
    metrics.longestRunning.set(longest);
  }

  /** How long to wait before retrying a key that failed (a retry, to client-go's metrics): base × 2^failures, at most the maximum. */
  Duration backoff(String key) {
    metrics.retries.inc();
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
