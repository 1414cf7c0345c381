package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's statefulset controller (stateful_set.go): keys are StatefulSets
 * "namespace/name". A pod's change concerns the set that controls it, or, for an orphan, the sets
 * whose selector matches it; a claim going away concerns the sets whose selector matches it. Each
 * sync adopts the set's orphaned revisions and pods (pods only if their name makes them members),
 * releases pods it no longer should control, and runs {@link StatefulSetControl}.
 */
public final class StatefulSetController implements Reconciler {

  private static final Logger log = LoggerFactory.getLogger(StatefulSetController.class);
  private static final String KIND = "StatefulSet";

  private final ControllerContext context;
  private final Informer<StatefulSet> sets;
  private final Informer<Pod> pods;
  private final Informer<PersistentVolumeClaim> claims;
  private final StatefulSetRevisions revisions;
  private final StatefulSetControl control;
  private volatile Queue queue;

  public StatefulSetController(ControllerContext context) {
    this.context = context;
    this.sets = context.informers().of(StatefulSet.class);
    this.pods = context.informers().pods();
    this.claims = context.informers().of(PersistentVolumeClaim.class);
    Informer<ControllerRevision> revisionInformer = context.informers().of(ControllerRevision.class);
    this.revisions = new StatefulSetRevisions(context.writer(), revisionInformer);
    this.control = new StatefulSetControl(context.writer(), context.clock(), new StatefulPodControl(context, claims), revisions);
  }

  @Override
  public String name() {
    return "statefulset-controller";
  }

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    queue.watch(sets, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(pods, this::setsForPodChange);
    queue.watch(claims, this::setsForClaimChange);
  }

  @Override
  public Collection<String> keys() {
    return sets.list().stream().map(Informer::keyOf).toList();
  }

  // ---- event handlers: a change to the keys it concerns ----

  private Collection<String> setsForPodChange(Informer.Event<Pod> e) {
    Pod pod = e.object();
    switch (e.type()) {
      case DELETED -> {
        return controllerOf(pod).map(StatefulSetController::keyOf).map(List::of).orElse(List.of());
      }
      case ADDED -> {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          return controllerOf(pod).map(StatefulSetController::keyOf).map(List::of).orElse(List.of());
        }
        if (OwnerReferences.controllerOf(pod).isPresent()) {
          return controllerOf(pod).map(StatefulSetController::keyOf).map(List::of).orElse(List.of());
        }
        return matchingSets(pod.getMetadata().getNamespace(), PodControl.labels(pod));
      }
      default -> {
        Pod old = e.previous();
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) return List.of();
        Set<String> keys = new LinkedHashSet<>();
        Optional<OwnerReference> oldRef = OwnerReferences.controllerOf(old);
        Optional<OwnerReference> curRef = OwnerReferences.controllerOf(pod);
        boolean refChanged = !oldRef.equals(curRef);
        if (refChanged && oldRef.isPresent()) resolve(old.getMetadata().getNamespace(), oldRef.get()).ifPresent(s -> keys.add(keyOf(s)));
        if (curRef.isPresent()) {
          resolve(pod.getMetadata().getNamespace(), curRef.get()).ifPresent(set -> {
            keys.add(keyOf(set));
            int minReady = StatefulPods.minReadySeconds(set);
            // availability comes without a pod change: look again once minReadySeconds have passed
            if (!Pods.isReady(old) && Pods.isReady(pod) && minReady > 0 && queue != null) {
              queue.addAfter(keyOf(set), Duration.ofSeconds(minReady + 1L));
            }
          });
          return keys;
        }
        if (!PodControl.labels(old).equals(PodControl.labels(pod)) || refChanged) {
          keys.addAll(matchingSets(pod.getMetadata().getNamespace(), PodControl.labels(pod)));
        }
        return keys;
      }
    }
  }

  /** A claim deleted, or marked for deletion, may hold back a pod's creation: its sets look again. */
  private Collection<String> setsForClaimChange(Informer.Event<PersistentVolumeClaim> e) {
    PersistentVolumeClaim claim = e.object();
    boolean going = e.type() == Informer.EventType.DELETED
        || (claim.getMetadata().getDeletionTimestamp() != null
            && (e.previous() == null || e.previous().getMetadata().getDeletionTimestamp() == null));
    if (!going) return List.of();
    return matchingSets(claim.getMetadata().getNamespace(), PodControl.labels(claim));
  }

  /** The set a controller reference names, if it exists with that uid. */
  private Optional<StatefulSet> resolve(String namespace, OwnerReference ref) {
    if (!KIND.equals(ref.getKind())) return Optional.empty();
    StatefulSet set = sets.get(namespace, ref.getName());
    return set != null && set.getMetadata().getUid().equals(ref.getUid()) ? Optional.of(set) : Optional.empty();
  }

  private Optional<StatefulSet> controllerOf(Pod pod) {
    return OwnerReferences.controllerOf(pod).flatMap(ref -> resolve(pod.getMetadata().getNamespace(), ref));
  }

  /** The sets of the namespace whose selector matches the labels (GetPodStatefulSets). */
  private List<String> matchingSets(String namespace, Map<String, String> labels) {
    List<String> keys = new ArrayList<>();
    for (StatefulSet set : sets.list(namespace)) {
      Optional<LabelSelector> selector = selector(set);
      if (selector.isPresent() && !selector.get().isEverything() && selector.get().matches(labels)) keys.add(keyOf(set));
    }
    if (keys.size() > 1) {
      log.warn("user error: more than one StatefulSet is selecting pods with labels: {}. Sets: {}", labels, keys);
    }
    return keys;
  }

  private static Optional<LabelSelector> selector(StatefulSet set) {
    try {
      return Optional.of(LabelSelector.fromJson(Json.toTree(set.getSpec().getSelector())));
    } catch (ApiException e) {
      return Optional.empty();
    }
  }

  private static String keyOf(StatefulSet set) {
    return Informer.keyOf(set);
  }

  // ---- sync ----

  @Override
  public CompletionStage<Result> reconcile(String key) {
    StatefulSet set = sets.get(key);
    if (set == null) return CompletableFuture.completedFuture(Result.done());
    Optional<LabelSelector> selector = selector(set);
    if (selector.isEmpty()) {
      // an invalid selector cannot become valid without a change, which queues the set again
      log.warn("error converting StatefulSet {} selector", key);
      return CompletableFuture.completedFuture(Result.done());
    }
    return adoptOrphanRevisions(set)
        .thenCompose(x -> podsOf(set, selector.get()))
        .thenCompose(owned -> control.sync(set, owned))
        .thenApply(status -> {
          int minReady = StatefulPods.minReadySeconds(set);
          if (minReady > 0 && status != null && status.availableReplicas != StatefulIdentity.replicas(set)) {
            return Result.requeueAfter(Duration.ofSeconds(minReady));
          }
          return Result.done();
        });
  }

  /** Whether the set may adopt: it still exists as this object and is not being deleted. */
  private boolean canAdopt(StatefulSet set) {
    StatefulSet fresh = sets.get(set.getMetadata().getNamespace(), set.getMetadata().getName());
    return fresh != null && fresh.getMetadata().getUid().equals(set.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private CompletionStage<Void> adoptOrphanRevisions(StatefulSet set) {
    List<ControllerRevision> orphans = revisions.list(set).stream()
        .filter(r -> OwnerReferences.controllerOf(r).isEmpty()).toList();
    if (orphans.isEmpty()) return CompletableFuture.completedFuture(null);
    if (!canAdopt(set)) {
      return CompletableFuture.failedFuture(new IllegalStateException("can't adopt ControllerRevisions: StatefulSet "
          + keyOf(set) + " is gone or being deleted"));
    }
    return revisions.adopt(set, orphans);
  }

  /**
   * The pods the set controls once claimed: its members (by name) that its selector matches, adopted
   * if orphaned; pods it controls that are no longer members are released.
   */
  private CompletionStage<List<Pod>> podsOf(StatefulSet set, LabelSelector selector) {
    String uid = set.getMetadata().getUid();
    List<Pod> members = new ArrayList<>();
    List<CompletableFuture<?>> releases = new ArrayList<>();
    for (Pod pod : pods.list(set.getMetadata().getNamespace())) {
      if (StatefulIdentity.isMemberOf(set, pod)) {
        members.add(pod);
      } else if (OwnerReferences.isControlledBy(pod, uid) && !OwnerReferences.beingDeleted(pod)
          && !OwnerReferences.beingDeleted(set)) {
        releases.add(context.writer().update(ControllerRefManager.release(pod, uid)).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new))
        .thenCompose(x -> context.refs().claim(set, selector, members, () -> canAdopt(set)));
  }
}
