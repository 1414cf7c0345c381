package io.kubeactor.controlplane.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.store.StoredObject;
import io.kubeactor.controlplane.store.WatchCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * client-go's shared informer for one kind: a typed cache of every object, kept current by the
 * store's watch, with indexes, and handlers told of each change after the cache has it. One
 * informer per kind is shared by every controller ({@link Informers}). The store only hands each
 * change to its inbox; decoding, indexing and handlers run on the informers' executor, so like
 * client-go's the cache may lag a write's answer by a moment: a controller that must see its own
 * write reads fresh from the registry. Handlers only map a change to keys and enqueue them.
 *
 * <p>Objects are keyed as client-go's MetaNamespaceKeyFunc does: "namespace/name", or "name" for
 * cluster-scoped kinds. Cached objects are shared: readers must not modify them.
 */
public final class Informer<T extends HasMetadata> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Informer.class);

  public enum EventType { ADDED, MODIFIED, DELETED }

  /** One change: the object after it (for DELETED, its last state) and before it (null when ADDED). */
  public record Event<T>(EventType type, T object, T previous) {}

  /**
   * The cache keeps objects without metadata.managedFields, as upstream's scheduler and controller
   * manager trim them from their informers (TransformStripManagedFields): no controller reads them,
   * and they are a large part of every object. A write of a cached object leaves the live ones as they are.
   */
  @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
  private abstract static class WithoutManagedFields {}

  private static final ObjectMapper CACHED = Json.MAPPER.copy().addMixIn(ObjectMeta.class, WithoutManagedFields.class);

  /** The index every informer has: objects by namespace. */
  public static final String BY_NAMESPACE = "namespace";

  private final ResourceType type;
  private final Class<T> model;
  private final ObjectReader reader;
  private final Map<String, T> items = new ConcurrentHashMap<>();
  private final Map<String, Function<T, Collection<String>>> indexers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Set<String>>> indexes = new ConcurrentHashMap<>();
  private final List<Consumer<Event<T>>> handlers = new CopyOnWriteArrayList<>();
  private final Executor executor;
  private final Queue<WatchCache.Change> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Changes handed over, and changes applied (in the cache, handlers told): the two meet when caught up. */
  private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
  private volatile long applied;
  /** Who waits for the count of applied changes to reach a mark (see {@link #whenCaughtUp()}). */
  private final java.util.concurrent.ConcurrentSkipListMap<Long, List<java.util.concurrent.CompletableFuture<Void>>> waiters =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private WatchCache.Subscription subscription;

  Informer(ResourceType type, Class<T> model, WatchCache cache, Executor executor) {
    this.type = type;
    this.model = model;
    this.reader = CACHED.readerFor(model);
    this.executor = executor;
    addIndex(BY_NAMESPACE, o -> List.of(namespaceOf(o)));
    // the listing and the watch start at the same resourceVersion: no change is missed or seen twice;
    // changes published meanwhile wait in the inbox until the listing is in the cache
    synchronized (this) {
      WatchCache.Started started = cache.watchFromNow(type.storePrefix(), this::receive);
      started.state().withPrefix(type.storePrefix()).forEach((storeKey, stored) -> {
        T o = read(storeKey, stored);
        if (o == null) return;
        items.put(keyOf(o), o);
        indexAdd(keyOf(o), o);
      });
      this.subscription = started.subscription();
    }
  }

  public ResourceType type() {
    return type;
  }

  /** "namespace/name", or "name" for a cluster-scoped object. */
  public static String keyOf(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName();
  }

  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** The namespace of a key ("" for cluster-scoped). */
  public static String namespaceOfKey(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  /** The name of a key. */
  public static String nameOfKey(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  private static String namespaceOf(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null ? "" : ns;
  }

  public T get(String key) {
    return items.get(key);
  }

  public T get(String namespace, String name) {
    return items.get(key(namespace, name));
  }

  /** Every object. */
  public List<T> list() {
    return new ArrayList<>(items.values());
  }

  /** The objects of one namespace. */
  public List<T> list(String namespace) {
    return byIndex(BY_NAMESPACE, namespace == null ? "" : namespace);
  }

  /** The objects an index files under a value. */
  public List<T> byIndex(String index, String value) {
    Map<String, Set<String>> idx = indexes.get(index);
    if (idx == null) throw new IllegalArgumentException("no index " + index + " on " + type.plural());
    Set<String> keys = idx.get(value);
    if (keys == null) return List.of();
    List<T> out = new ArrayList<>(keys.size());
    for (String k : keys) {
      T o = items.get(k);
      if (o != null) out.add(o);
    }
    return out;
  }

  /** Adds an index (idempotent by name): each object is filed under the values the function gives. */
  public synchronized void addIndex(String name, Function<T, Collection<String>> indexer) {
    if (indexers.putIfAbsent(name, indexer) != null) return;
    Map<String, Set<String>> idx = new ConcurrentHashMap<>();
    indexes.put(name, idx);
    items.forEach((k, o) -> {
      for (String v : indexer.apply(o)) idx.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(k);
    });
  }

  /**
   * The objects now, and the handler told of every change after them, as one step: no change falls
   * between the two or is seen twice (for handlers that keep their own state from the start).
   */
  public synchronized Listed<T> listAndAddHandler(Consumer<Event<T>> handler) {
    handlers.add(handler);
    return new Listed<>(list(), () -> handlers.remove(handler));
  }

  /** The objects a handler starts from, and its subscription (closing it stops the handler). */
  public record Listed<T>(List<T> items, AutoCloseable subscription) {}

  /** Tells the handler of every change from now on; closing the result stops it. */
  public AutoCloseable addHandler(Consumer<Event<T>> handler) {
    handlers.add(handler);
    return () -> handlers.remove(handler);
  }

  /**
   * Called by the watch cache on the store's thread, before the write is acknowledged: it only hands
   * the change over. Decoding, indexing and the handlers run on the informers' executor, in order,
   * off the write path (as client-go's reflector feeds its DeltaFIFO).
   */
  private void receive(WatchCache.Change c) {
    received.incrementAndGet();
    inbox.add(c);
    if (draining.compareAndSet(false, true)) drainOn(executor);
  }

  private void drainOn(Executor executor) {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException closed) {
      draining.set(false);
    }
  }

  /** Applies the inbox's changes in order; one drain at a time per informer. */
  private void drain() {
    do {
      for (WatchCache.Change c; (c = inbox.poll()) != null; ) {
        apply(c);
        applied++;
        if (!waiters.isEmpty()) release();
      }
      draining.set(false);
    } while (!inbox.isEmpty() && draining.compareAndSet(false, true));
  }

  /**
   * Completes once every change handed to this informer until now is in its cache and its handlers
   * were told. The store hands a change over before it answers the write, so after a write's answer
   * this is the moment the informer shows it: read-your-writes for the components that write through
   * the client layer.
   */
  public java.util.concurrent.CompletionStage<Void> whenCaughtUp() {
    long mark = received.get();
    if (applied >= mark) return java.util.concurrent.CompletableFuture.completedFuture(null);
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    // a new list each time: a release that took the old one completes what it holds, not this
    waiters.compute(mark, (k, list) -> {
      List<java.util.concurrent.CompletableFuture<Void>> l = list == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(list);
      l.add(done);
      return l;
    });
    // the drain may have passed the mark before the waiter was in place
    if (applied >= mark) release();
    return done;
  }

  private void release() {
    long upTo = applied;
    for (var e = waiters.firstEntry(); e != null && e.getKey() <= upTo; e = waiters.firstEntry()) {
      if (waiters.remove(e.getKey(), e.getValue())) e.getValue().forEach(f -> f.complete(null));
    }
  }

  /** True when every change the store has published to this informer is in its cache and its handlers were told. */
  public boolean caughtUp() {
    return inbox.isEmpty() && !draining.get();
  }

  /** An object the model cannot read is logged and skipped: one bad object never stops the informer. */
  private synchronized void apply(WatchCache.Change c) {
    T object = read(c.key(), c.object());
    if (object == null) return;
    String key = keyOf(object);
    T previous = items.get(key);
    EventType type;
    if (c.type() == WatchCache.Type.DELETED) {
      items.remove(key);
      if (previous != null) indexRemove(key, previous, null);
      type = EventType.DELETED;
    } else {
      items.put(key, object);
      // the new values first, then the old ones it no longer has: readers, who do not lock, never
      // miss an object under a value it keeps (the garbage collector would take a dependent for gone)
      indexAdd(key, object);
      if (previous != null) indexRemove(key, previous, object);
      type = previous == null ? EventType.ADDED : EventType.MODIFIED;
    }
    Event<T> event = new Event<>(type, object, previous);
    for (Consumer<Event<T>> h : handlers) {
      try {
        h.accept(event);
      } catch (RuntimeException e) {
        LOG.error("{} informer handler failed on {}", this.type.plural(), key, e);
      }
    }
  }

  /** The typed object, or null (logged) if the model cannot read it. */
  private T read(String storeKey, StoredObject stored) {
    try {
      return stored.decode(reader);
    } catch (RuntimeException e) {
      LOG.error("{} informer cannot read {}: {}", type.plural(), storeKey, e.getMessage());
      return null;
    }
  }

  private void indexAdd(String key, T o) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> idx = indexes.get(name);
      for (String v : indexValues(name, fn, key, o)) idx.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(key);
    });
  }

  /** An index function's values for an object; one that fails on an odd object leaves it out of that index. */
  private Collection<String> indexValues(String index, Function<T, Collection<String>> fn, String key, T o) {
    try {
      return fn.apply(o);
    } catch (RuntimeException e) {
      LOG.error("{} informer index {} failed on {}", type.plural(), index, key, e);
      return List.of();
    }
  }

  /** Removes the key from the values the object is filed under, but those {@code kept} (if any) is filed under too. */
  private void indexRemove(String key, T o, T kept) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> idx = indexes.get(name);
      Collection<String> keep = kept == null ? List.of() : indexValues(name, fn, key, kept);
      for (String v : indexValues(name, fn, key, o)) {
        if (keep.contains(v)) continue;
        Set<String> keys = idx.get(v);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) idx.remove(v, keys);
        }
      }
    });
  }

  void close() {
    subscription.close();
  }
}
