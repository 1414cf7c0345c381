package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.Informer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes a {@link SliceChanges.Plan} (creates, then updates, then deletes, as upstream's finalize)
 * and remembers which slice changes are the controller's own while they are in flight. The store
 * publishes a write to the informers before it answers, so the informer event of an own write
 * always arrives while it is in flight: such events do not queue the Service again (the part of
 * upstream's EndpointSliceTracker that this store's ordering needs). Thread-safe.
 */
public final class SliceWrites {

  private final ApiWriter writer;
  /** Creates in flight by Service key: an added slice of that Service is the controller's own. */
  private final Map<String, Integer> creating = new ConcurrentHashMap<>();
  /** Slices ("namespace/name") being updated or deleted. */
  private final Set<String> writing = ConcurrentHashMap.newKeySet();

  public SliceWrites(ApiWriter writer) {
    this.writer = writer;
  }

  /** Applies the plan for the Service (or Endpoints) key; creates are skipped unless allowed. */
  public CompletionStage<Void> apply(String key, SliceChanges.Plan plan, boolean allowCreate) {
    List<EndpointSlice> creates = allowCreate ? plan.create() : List.of();
    return all(creates, s -> create(key, s))
        .thenCompose(x -> all(plan.update(), this::update))
        .thenCompose(x -> all(plan.delete(), this::delete));
  }

  /** Deletes the slices (one already gone is fine). */
  public CompletionStage<Void> deleteAll(List<EndpointSlice> slices) {
    return all(slices, this::delete);
  }

  /** Whether an informer event of a slice belonging to the key is one of the controller's own writes. */
  public boolean isOwn(String key, Informer.Event<EndpointSlice> event) {
    if (event.type() == Informer.EventType.ADDED) return creating.getOrDefault(key, 0) > 0;
    return writing.contains(Informer.keyOf(event.object()));
  }

  private CompletionStage<Void> create(String key, EndpointSlice slice) {
    creating.merge(key, 1, Integer::sum);
    return writer.create(slice).handle((r, e) -> {
      creating.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
      if (e != null) throw new java.util.concurrent.CompletionException(ApiException.unwrap(e));
      return null;
    });
  }

  private CompletionStage<Void> update(EndpointSlice slice) {
    String name = Informer.keyOf(slice);
    writing.add(name);
    return writer.update(slice).handle((r, e) -> {
      writing.remove(name);
      if (e != null) throw new java.util.concurrent.CompletionException(ApiException.unwrap(e));
      return null;
    });
  }

  private CompletionStage<Void> delete(EndpointSlice slice) {
    String name = Informer.keyOf(slice);
    writing.add(name);
    return writer.delete(slice, null).handle((r, e) -> {
      writing.remove(name);
      if (e != null && !ApiException.hasCode(ApiException.unwrap(e), 404)) {
        throw new java.util.concurrent.CompletionException(ApiException.unwrap(e));
      }
      return null;
    });
  }

  /** The writes run together; the stage fails with the first failure once all have ended. */
  private static <T> CompletionStage<Void> all(List<T> items, Function<T, CompletionStage<Void>> write) {
    if (items.isEmpty()) return CompletableFuture.completedFuture(null);
    CompletableFuture<?>[] stages = items.stream().map(i -> write.apply(i).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(stages);
  }
}
