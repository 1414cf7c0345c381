package io.kubeactor.controlplane.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' ControllerExpectations: what a controller has asked for and not yet seen in its
 * informers ("I created 3 pods, I deleted these 2"). While a key has unmet expectations its
 * reconcile does not act on counts, so a stale cache never makes it create or delete twice. They
 * expire (5 minutes, as upstream), so a lost event cannot stall a controller for good.
 * Thread-safe: write callbacks and informer handlers lower them from any thread.
 */
public final class Expectations {

  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static final class Expected {
    int adds;
    final Set<String> deletions = new HashSet<>();
    final Instant since;

    Expected(Instant since) {
      this.since = since;
    }
  }

  private final Clock clock;
  private final Map<String, Expected> byKey = new ConcurrentHashMap<>();

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  /** Whether the controller may act on what its informers show for the key. */
  public boolean satisfied(String key) {
    Expected e = byKey.get(key);
    if (e == null) return true;
    synchronized (e) {
      if (e.adds <= 0 && e.deletions.isEmpty()) return true;
    }
    return Duration.between(e.since, clock.instant()).compareTo(TIMEOUT) > 0;
  }

  /** Replaces the key's expectations: {@code adds} creations and the deletion of these uids. */
  public void expect(String key, int adds, Set<String> deletedUids) {
    Expected e = new Expected(clock.instant());
    e.adds = adds;
    e.deletions.addAll(deletedUids);
    byKey.put(key, e);
  }

  /** One creation seen, or given up (its write failed). */
  public void creationObserved(String key) {
    Expected e = byKey.get(key);
    if (e != null) synchronized (e) {
      e.adds--;
    }
  }

  /** A deletion seen, or given up. */
  public void deletionObserved(String key, String uid) {
    Expected e = byKey.get(key);
    if (e != null) synchronized (e) {
      e.deletions.remove(uid);
    }
  }

  /** The key's object is gone: forget what was expected of it. */
  public void forget(String key) {
    byKey.remove(key);
  }
}
