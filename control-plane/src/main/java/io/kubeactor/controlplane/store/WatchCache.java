package io.kubeactor.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the API server reads: the store's latest state and a bounded window of recent changes, as
 * kube-apiserver's watch cache does. Reads never wait for the store actor; a watch that resumes from
 * a resourceVersion older than the window is refused as expired (410), as etcd compaction would.
 *
 * <p>The store publishes after each durable batch and before acknowledging it, so a client that
 * got a write's answer reads that write back.
 */
public final class WatchCache {

  public enum Type { ADDED, MODIFIED, DELETED }

  /** One change: the object after it (for DELETED, the last state) and the object before it. */
  public record Change(Type type, String key, long resourceVersion, ObjectNode object, ObjectNode previous) {}

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
  }

  private final int capacity;
  private volatile StoreState state = StoreState.EMPTY;
  private final java.util.concurrent.CompletableFuture<Void> recovered = new java.util.concurrent.CompletableFuture<>();
  private final ArrayDeque<Change> window = new ArrayDeque<>();
  private final List<Watcher> watchers = new ArrayList<>();

  private record Watcher(String keyPrefix, Consumer<Change> sink) {}

  public WatchCache(int capacity) {
    this.capacity = capacity;
  }

  /** The latest state: an immutable value, safe to read from any thread. */
  public StoreState state() {
    return state;
  }

  /** True once the store has recovered and published its state. */
  public boolean ready() {
    return recovered.isDone();
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

  /** After a batch is durable: the new state and its changes, in order. */
  synchronized void publish(StoreState next, List<StoreEvent> events) {
    StoreState before = state;
    state = next;
    for (StoreEvent e : events) {
      ObjectNode previous = before.get(e.key());
      before = before.apply(e);
      Type type = e instanceof StoreEvent.ObjectAdded ? Type.ADDED
          : e instanceof StoreEvent.ObjectModified ? Type.MODIFIED : Type.DELETED;
      Change change = new Change(type, e.key(), e.resourceVersion(), e.object(), previous);
      if (window.size() == capacity) window.removeFirst();
      window.addLast(change);
      for (Watcher w : watchers) {
        if (change.key().startsWith(w.keyPrefix())) w.sink().accept(change);
      }
    }
  }

  /**
   * Registers a watcher for changes from now on and returns the state it starts from, as one step:
   * no change falls between the two. For watches that begin with the current objects.
   */
  public synchronized Started watchFromNow(String keyPrefix, Consumer<Change> sink) {
    return new Started(state, register(keyPrefix, sink));
  }

  /** The state a watch starts from, and the watch. */
  public record Started(StoreState state, Subscription subscription) {}

  private Subscription register(String keyPrefix, Consumer<Change> sink) {
    Watcher w = new Watcher(keyPrefix, sink);
    watchers.add(w);
    return () -> {
      synchronized (WatchCache.this) {
        watchers.remove(w);
      }
    };
  }

  /**
   * Delivers every change under the key prefix after {@code fromResourceVersion}, then each new one
   * as it is published. The sink is called under this cache's lock: it must only hand the change
   * on (e.g. offer it to a bounded queue), never block.
   */
  public synchronized Subscription watch(long fromResourceVersion, String keyPrefix, Consumer<Change> sink)
      throws Expired {
    long current = state.resourceVersion();
    if (fromResourceVersion < current) {
      long oldest = window.isEmpty() ? current + 1 : window.peekFirst().resourceVersion();
      if (fromResourceVersion < oldest - 1) throw new Expired(fromResourceVersion, oldest - 1);
      for (Iterator<Change> it = window.iterator(); it.hasNext(); ) {
        Change c = it.next();
        if (c.resourceVersion() > fromResourceVersion && c.key().startsWith(keyPrefix)) sink.accept(c);
      }
    }
    return register(keyPrefix, sink);
  }
}
