package io.kubeactor.controlplane.controller;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconciles one controller has run, as its {@link Controller.Listener} is told of them: for
 * tests that assert that nothing came of a change, which must first know that the controller has
 * processed it. Starts are stamped from one counter that marks are taken from too, so "a reconcile
 * that started after the mark" is exact, without clocks.
 */
public final class ReconcileLog implements Controller.Listener {

  private static final AtomicLong ticks = new AtomicLong();

  /** Key to the tick its running reconcile started at. */
  private final Map<String, Long> running = new ConcurrentHashMap<>();
  /** Key to the start tick of its latest reconcile that succeeded. */
  private final Map<String, Long> succeeded = new ConcurrentHashMap<>();

  /** A point in time: reconciles that start later are after it. */
  public static long mark() {
    return ticks.incrementAndGet();
  }

  @Override
  public void started(String key) {
    running.put(key, ticks.incrementAndGet());
  }

  @Override
  public void finished(String key, Throwable failure) {
    Long start = running.remove(key);
    if (start != null && failure == null) succeeded.merge(key, start, Math::max);
  }

  /** Whether a reconcile of the key that started after the mark has succeeded. */
  public boolean succeededSince(String key, long mark) {
    Long start = succeeded.get(key);
    return start != null && start > mark;
  }
}
