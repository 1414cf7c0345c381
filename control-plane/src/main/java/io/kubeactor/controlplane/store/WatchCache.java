package io.kubeactor.controlplane.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API server reads: the store's latest state and a bounded window of recent changes, as
 * kube-apiserver's watch cache does. Reads never wait for the store actor; a watch that resumes from
 * a resourceVersion older than the window is refused as expired (410), as etcd compaction would.
 *
 * <p>The store publishes after each durable batch and before acknowledging it, so a client that
 * got a write's answer reads that write back.
 */
public final class WatchCache {

  private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);


  public enum Type { ADDED, MODIFIED, DELETED }

  /** One change: the object after it (for DELETED, the last state) and the object before it. */
  public record Change(Type type, String key, long resourceVersion, StoredObject object, StoredObject previous) {}

  /** Raised when a watch asks for changes that have left the window. */
  public static final class Expired extends Exception {
    public final long requested;
    public final long oldest;

    Expired(long requested, long oldest) {
      super("too old resource version: " + requested + " (" + oldest + ")");
      this.requested = requested;
      this.oldest = oldest;
    }
  }

  /** A registered watcher; close() unregisters it. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();

    /**
     * For a watcher whose sink refused a change: hands it the changes it missed from the window and,
     * once it has them all, the new ones again. False if they have left the window (the watcher must
     * end; its client resumes and gets 410 Gone, as after etcd compaction). Call it without holding
     * a lock the sink takes.
     */
    default boolean resume() {
      return true;
    }
  }

  /**
   * A watcher's bounded hand-over. The cache calls it under its lock, so it must never block: it
   * takes the change if it has room, else refuses it. After a refusal the cache hands it nothing
   * more until it calls {@link Subscription#resume()}: what it missed stays in the window, so a
   * watcher that falls behind costs no memory of its own (kube-apiserver's cacheWatcher has a
   * bounded input channel for the same reason).
   */
  public interface Sink {
    boolean offer(Change change);
  }

  private final int capacity;
  private volatile StoreState state = StoreState.EMPTY;
  private final java.util.concurrent.CompletableFuture<Void> recovered = new java.util.concurrent.CompletableFuture<>();
  private final ArrayDeque<Change> window = new ArrayDeque<>();
  private final List<Watcher> watchers = new ArrayList<>();

  /** behind: the sink refused the change after resumeAfter; it gets nothing until it resumes. */
  private static final class Watcher {
    final String keyPrefix;
    final Sink sink;
    boolean behind;
    long resumeAfter;

    Watcher(String keyPrefix, Sink sink) {
      this.keyPrefix = keyPrefix;
      this.sink = sink;
    }
  }

  public WatchCache(int capacity) {
    this.capacity = capacity;
  }

  /** The latest state: an immutable value, safe to read from any thread. */
  public StoreState state() {
    return state;
  }

  /** True once the store has recovered and published its state. */
  public boolean ready() {
    return recovered.isDone() && !recovered.isCompletedExceptionally();
  }

  /** Completes when the store has recovered and published its state. */
  public java.util.concurrent.CompletionStage<Void> whenReady() {
    return recovered;
  }

  /** After recovery: the state as recovered, no window (older resourceVersions are expired). */
  synchronized void reset(StoreState recoveredState) {
    state = recoveredState;
    window.clear();
    recovered.complete(null);
  }

  /** Recovery cannot succeed (e.g. the stored secrets' key is gone): whoever waits for {@link #whenReady} learns why. */
  void recoveryFailed(Throwable cause) {
    recovered.completeExceptionally(cause);
  }

  /** After a batch is durable: the new state and its changes, in order. */
  synchronized void publish(StoreState next, List<StoreEvent> events) {
    StoreState before = state;
    state = next;
    for (StoreEvent e : events) {
      StoredObject previous = before.stored(e.key());
      before = before.apply(e);
      Type type = e instanceof StoreEvent.ObjectAdded ? Type.ADDED
          : e instanceof StoreEvent.ObjectModified ? Type.MODIFIED : Type.DELETED;
      Change change = new Change(type, e.key(), e.resourceVersion(), e.object(), previous);
      if (window.size() == capacity) window.removeFirst();
      window.addLast(change);
      for (Watcher w : watchers) {
        if (!w.behind && change.key().startsWith(w.keyPrefix) && !offer(w, change)) {
          w.behind = true;
          w.resumeAfter = change.resourceVersion() - 1;
        }
      }
    }
  }

  /**
   * Registers a watcher for changes from now on and returns the state it starts from, as one step:
   * no change falls between the two. For watches that begin with the current objects. The sink is
   * called under this cache's lock: it must only hand the change on, never block.
   */
  public synchronized Started watchFromNow(String keyPrefix, Consumer<Change> sink) {
    return subscribeFromNow(keyPrefix, always(sink));
  }

  /**
   * Hands a change to one watcher. A sink that throws has a bug of its own; it is logged and the
   * change counts as handed over, so one sink never stops the store or the other watchers.
   */
  private static boolean offer(Watcher w, Change change) {
    try {
      return w.sink.offer(change);
    } catch (RuntimeException e) {
      LOG.error("a watcher of {} failed on the change of {} at resourceVersion {}", w.keyPrefix, change.key(),
          change.resourceVersion(), e);
      return true;
    }
  }

  /** As {@link #watchFromNow}, for a sink with a bounded buffer that may refuse changes. */
  public synchronized Started subscribeFromNow(String keyPrefix, Sink sink) {
    return new Started(state, register(new Watcher(keyPrefix, sink)));
  }

  /** The state a watch starts from, and the watch. */
  public record Started(StoreState state, Subscription subscription) {}

  /**
   * Delivers every change under the key prefix after {@code fromResourceVersion}, then each new one
   * as it is published. The sink is called under this cache's lock: it must only hand the change
   * on (e.g. offer it to a bounded queue), never block.
   */
  public synchronized Subscription watch(long fromResourceVersion, String keyPrefix, Consumer<Change> sink)
      throws Expired {
    return subscribe(fromResourceVersion, keyPrefix, always(sink));
  }

  /** As {@link #watch}, for a sink with a bounded buffer that may refuse changes. */
  public synchronized Subscription subscribe(long fromResourceVersion, String keyPrefix, Sink sink) throws Expired {
    long current = state.resourceVersion();
    if (fromResourceVersion < current && fromResourceVersion < oldestInWindow() - 1) {
      throw new Expired(fromResourceVersion, oldestInWindow() - 1);
    }
    Watcher w = new Watcher(keyPrefix, sink);
    w.behind = true;
    w.resumeAfter = fromResourceVersion;
    catchUp(w);
    return register(w);
  }

  /** The live watchers' sinks (to observe their buffers in tests and diagnostics). */
  public synchronized List<Sink> sinks() {
    return watchers.stream().map(w -> w.sink).toList();
  }

  private static Sink always(Consumer<Change> consumer) {
    return change -> {
      consumer.accept(change);
      return true;
    };
  }

  private long oldestInWindow() {
    return window.isEmpty() ? state.resourceVersion() + 1 : window.peekFirst().resourceVersion();
  }

  /**
   * Offers a watcher that is behind the window's changes after its position, in order, until its
   * sink refuses one (it stays behind) or it has them all (it is live again). False if the changes
   * it needs have left the window. Runs under this cache's lock, so no change is published between.
   */
  private boolean catchUp(Watcher w) {
    if (w.resumeAfter >= state.resourceVersion()) {
      w.behind = false;
      return true;
    }
    if (w.resumeAfter < oldestInWindow() - 1) return false;
    for (Iterator<Change> it = window.iterator(); it.hasNext(); ) {
      Change c = it.next();
      if (c.resourceVersion() <= w.resumeAfter || !c.key().startsWith(w.keyPrefix)) continue;
      if (!offer(w, c)) {
        w.resumeAfter = c.resourceVersion() - 1;
        return true;
      }
    }
    w.behind = false;
    return true;
  }

  private Subscription register(Watcher w) {
    watchers.add(w);
    return new Subscription() {
      @Override
      public void close() {
        synchronized (WatchCache.this) {
          watchers.remove(w);
        }
      }

      @Override
      public boolean resume() {
        synchronized (WatchCache.this) {
          return !w.behind || catchUp(w);
        }
      }
    };
  }
}
