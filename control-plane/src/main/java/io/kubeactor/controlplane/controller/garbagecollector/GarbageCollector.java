package io.kubeactor.controlplane.controller.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * kube-controller-manager's garbage collector: objects whose owners are gone go too, and the
 * deletion policies that wait on dependents are carried out. Keys name one object of any kind
 * ({@link ObjectId}); its reconcile acts in one of three roles:
 * <ul>
 *   <li>an owner being deleted with the "orphan" finalizer ({@code --cascade=orphan}): its
 *       references are removed from every dependent, then the finalizer;
 *   <li>an owner being deleted with the "foregroundDeletion" finalizer ({@code --cascade=foreground}):
 *       its dependents are deleted, and once none that blocks its deletion (blockOwnerDeletion)
 *       is left, the finalizer is removed and the registry deletes it;
 *   <li>a dependent (upstream's attemptToDeleteItem): if none of its owners is left it is deleted
 *       (in the foreground if an owner waits on it and it has dependents of its own, else by its
 *       own finalizers' policy, background by default); if some owner is left, only the references
 *       to owners that are gone or waiting are removed.
 * </ul>
 * A background deletion ({@code kubectl delete}'s default) leaves no finalizer: the owner goes at
 * once and its dependents, queued when it disappears, find it gone.
 */
public final class GarbageCollector implements Reconciler {

  private final ObjectGraph graph;
  private final MetadataWrites writes;
  private volatile Queue queue;

  private final ControllerContext context;

  public GarbageCollector(ControllerContext context) {
    this.context = context;
    this.graph = new ObjectGraph(context.informers(), context.fresh());
    this.writes = new MetadataWrites(context.writer(), graph);
  }

  @Override
  public String name() {
    return "garbage-collector-controller";
  }

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    graph.informers().forEach((type, informer) -> watch(queue, type, informer));
    // custom resources own and are owned as any kind: their kinds are watched as their CRDs come
    context.informers().types().onChange(() -> graph.watchCustomKinds().forEach((type, informer) -> {
      watch(queue, type, informer);
      keysOf(type, informer).forEach(queue::add);
    }));
    graph.watchCustomKinds().forEach((type, informer) -> watch(queue, type, informer));
  }

  private <T extends HasMetadata> void watch(Queue queue, ResourceType type, Informer<T> informer) {
    queue.watch(informer, e -> keysOfChange(type, e.type(), e.object(), e.previous()));
  }

  @Override
  public Collection<String> keys() {
    List<String> keys = new ArrayList<>();
    graph.informers().forEach((type, informer) -> keys.addAll(keysOf(type, informer)));
    return keys;
  }

  /** The keys of a kind's objects that the collector has to look at: those with owners or its finalizers. */
  private static List<String> keysOf(ResourceType type, Informer<? extends HasMetadata> informer) {
    List<String> keys = new ArrayList<>();
    for (HasMetadata o : informer.list()) {
      if (!ObjectGraph.refs(o).isEmpty() || DeletionFinalizers.collectorFinalizing(o)) keys.add(ObjectGraph.id(type, o).key());
    }
    return keys;
  }

  // ---- changes to keys (upstream's GraphBuilder.processGraphChanges) ----

  private Collection<String> keysOfChange(ResourceType type, Informer.EventType event, HasMetadata o, HasMetadata old) {
    Set<String> keys = new LinkedHashSet<>();
    ObjectId id = ObjectGraph.id(type, o);
    switch (event) {
      case ADDED -> {
        // a dependent whose owner may be gone already, or an owner whose deletion waits on the collector
        if (!ObjectGraph.refs(o).isEmpty() || DeletionFinalizers.collectorFinalizing(o)) keys.add(id.key());
      }
      case MODIFIED -> {
        List<OwnerReference> refs = ObjectGraph.refs(o);
        List<OwnerReference> oldRefs = ObjectGraph.refs(old);
        if (!refs.equals(oldRefs)) {
          if (!refs.isEmpty()) keys.add(id.key());
          // an owner waiting in the foreground may no longer be blocked by this object
          for (OwnerReference r : oldRefs) if (!refs.contains(r)) ownerKey(r, id).ifPresent(keys::add);
        }
        if (DeletionFinalizers.collectorFinalizing(o) && (!DeletionFinalizers.collectorFinalizing(old)
            || !Objects.equals(o.getMetadata().getFinalizers(), old.getMetadata().getFinalizers()))) {
          keys.add(id.key());
        }
      }
      case DELETED -> {
        // owners waiting in the foreground for it, and dependents whose owner it was
        for (OwnerReference r : ObjectGraph.refs(o)) ownerKey(r, id).ifPresent(keys::add);
        for (Map.Entry<ObjectId, HasMetadata> dep : graph.dependentsOf(o.getMetadata().getUid())) keys.add(dep.getKey().key());
      }
    }
    return keys;
  }

  private Optional<String> ownerKey(OwnerReference ref, ObjectId dependent) {
    return graph.owner(ref, dependent.namespace()).map(ObjectId::key);
  }

  // ---- reconcile ----

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Optional<ObjectId> id = graph.id(key);
    HasMetadata o = id.map(graph::cached).orElse(null);
    if (o == null) return done();
    if (o.getMetadata().getDeletionTimestamp() != null) {
      if (DeletionFinalizers.has(o, DeletionFinalizers.ORPHAN)) return orphanDependents(id.get(), o);
      if (DeletionFinalizers.has(o, DeletionFinalizers.FOREGROUND)) return deleteDependentsFirst(id.get(), o);
      // being deleted is a one-way trip: its dependents are seen to when it is gone
      return done();
    }
    if (ObjectGraph.refs(o).isEmpty()) return done();
    return collectIfOwnersGone(id.get(), o);
  }

  /** Upstream's attemptToDeleteItem for an object that is not being deleted. */
  private CompletionStage<Result> collectIfOwnersGone(ObjectId id, HasMetadata o) {
    OwnerStates owners = OwnerStates.of(o, id, graph);
    if (owners.dangling().isEmpty() && owners.waiting().isEmpty()) return done();
    if (!owners.solid().isEmpty()) {
      Set<String> gone = new HashSet<>();
      owners.dangling().forEach(r -> gone.add(r.getUid()));
      owners.waiting().forEach(r -> gone.add(r.getUid()));
      return writes.removeOwnerReferences(id, o, gone).thenApply(x -> Result.done());
    }
    String policy;
    if (!owners.waiting().isEmpty() && graph.hasDependents(o.getMetadata().getUid())) {
      // an owner waits for it, and it has dependents: they go first, then it, then the owner
      policy = "Foreground";
    } else if (DeletionFinalizers.has(o, DeletionFinalizers.ORPHAN)) {
      policy = "Orphan";
    } else if (DeletionFinalizers.has(o, DeletionFinalizers.FOREGROUND)) {
      policy = "Foreground";
    } else {
      policy = "Background";
    }
    return writes.delete(o, policy).thenApply(x -> Result.done());
  }

  /** Upstream's attemptToOrphan: the dependents lose their reference to the owner, then the owner its finalizer. */
  private CompletionStage<Result> orphanDependents(ObjectId id, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    CompletableFuture<?>[] released = graph.dependentsOf(uid).stream()
        .map(dep -> writes.removeOwnerReferences(dep.getKey(), dep.getValue(), Set.of(uid)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(released)
        .thenCompose(x -> writes.removeFinalizer(id, owner, DeletionFinalizers.ORPHAN))
        .thenApply(x -> Result.done());
  }

  /**
   * Upstream's processDeletingDependentsItem: while dependents that block the owner's deletion
   * remain, each dependent is queued (its own reconcile deletes it, as its owner is waiting); when
   * none is left, the finalizer goes. The owner is queued again as its dependents disappear.
   */
  private CompletionStage<Result> deleteDependentsFirst(ObjectId id, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    List<Map.Entry<ObjectId, HasMetadata>> dependents = graph.dependentsOf(uid);
    List<Map.Entry<ObjectId, HasMetadata>> blocking = dependents.stream()
        .filter(dep -> ObjectGraph.refs(dep.getValue()).stream()
            .anyMatch(r -> uid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion())))
        .collect(Collectors.toList());
    if (blocking.isEmpty()) {
      return writes.removeFinalizer(id, owner, DeletionFinalizers.FOREGROUND).thenApply(x -> Result.done());
    }
    for (Map.Entry<ObjectId, HasMetadata> dep : dependents) {
      if (!DeletionFinalizers.deletingDependents(dep.getValue())) queue.add(dep.getKey().key());
    }
    return done();
  }

  private static CompletionStage<Result> done() {
    return CompletableFuture.completedFuture(Result.done());
  }
}
