package io.kubeactor.controlplane.controller.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.Expectations;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's replicaset controller: each ReplicaSet has spec.replicas active pods
 * made from its template. A sync claims the pods of the namespace (adopting matching orphans,
 * releasing pods whose labels no longer match), creates or deletes the difference
 * ({@link ReplicaSetScaler}) unless earlier writes are still unobserved ({@link Expectations}),
 * and writes the status ({@link ReplicaSetStatuses}). Keys are "namespace/name".
 */
public final class ReplicaSetController implements Reconciler {

  private static final Logger log = LoggerFactory.getLogger(ReplicaSetController.class);

  /** Pods and ReplicaSets by the uid of their controller: the pods of sibling ReplicaSets. */
  static final String BY_CONTROLLER = "replicaset-controller/controllerUid";

  private final ControllerContext context;
  private final ReplicaSetKind replicaSets;
  private final Informer<Pod> pods;
  private final Expectations expectations;
  private final ControllerRefManager refs;
  private final ReplicaSetScaler scaler;

  public ReplicaSetController(ControllerContext context) {
    this(context, ReplicaSetKind.replicaSets(context));
  }

  /** The controller of another kind seen as ReplicaSets (upstream's NewBaseController). */
  public ReplicaSetController(ControllerContext context, ReplicaSetKind kind) {
    this.context = context;
    this.replicaSets = kind;
    this.pods = context.informers().pods();
    this.expectations = new Expectations(context.clock());
    this.refs = context.refs();
    this.scaler = new ReplicaSetScaler(new PodControl(context, kind.controllerName()), expectations);
    pods.addIndex(BY_CONTROLLER, ReplicaSetController::controllerUids);
  }

  @Override
  public String name() {
    return replicaSets.controllerName();
  }

  @Override
  public void start(Queue queue) {
    replicaSets.watch(queue, e -> {
      String key = Informer.keyOf(e.object());
      if (e.type() == Informer.EventType.DELETED) expectations.forget(key);
      return List.of(key);
    });
    queue.watch(pods, this::keysOfPodChange);
  }

  @Override
  public Collection<String> keys() {
    return replicaSets.list().stream().map(Informer::keyOf).toList();
  }

  // ---- pod events to ReplicaSet keys (upstream's addPod, updatePod, deletePod) ----

  private Collection<String> keysOfPodChange(Informer.Event<Pod> e) {
    Pod pod = e.object();
    Pod old = e.previous();
    Set<String> keys = new LinkedHashSet<>();
    switch (e.type()) {
      case ADDED -> {
        if (OwnerReferences.beingDeleted(pod)) {
          // seen for the first time already being deleted (e.g. after a restart): a deletion
          deletionSeen(pod).ifPresent(keys::add);
        } else if (OwnerReferences.controllerOf(pod).isPresent()) {
          owner(pod).ifPresent(key -> {
            expectations.creationObserved(key);
            keys.add(key);
          });
        } else {
          keys.addAll(selectingOrphan(pod));
        }
      }
      case MODIFIED -> {
        if (Objects.equals(pod.getMetadata().getResourceVersion(), old.getMetadata().getResourceVersion())) break;
        boolean labelsChanged = !PodControl.labels(pod).equals(PodControl.labels(old));
        if (OwnerReferences.beingDeleted(pod)) {
          deletionSeen(pod).ifPresent(keys::add);
          if (labelsChanged) deletionSeen(old).ifPresent(keys::add);
          break;
        }
        Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
        Optional<OwnerReference> oldRef = OwnerReferences.controllerOf(old);
        boolean refChanged = !ref.equals(oldRef);
        if (refChanged && oldRef.isPresent()) owner(old).ifPresent(keys::add);
        if (ref.isPresent()) {
          owner(pod).ifPresent(keys::add);
        } else if (labelsChanged || refChanged) {
          keys.addAll(selectingOrphan(pod));
        }
      }
      case DELETED -> deletionSeen(pod).ifPresent(keys::add);
    }
    return keys;
  }

  /** The key of the ReplicaSet controlling the pod, told that the pod's deletion was observed. */
  private Optional<String> deletionSeen(Pod pod) {
    Optional<String> key = owner(pod);
    key.ifPresent(k -> expectations.deletionObserved(k, pod.getMetadata().getUid()));
    return key;
  }

  /** The key of the ReplicaSet controlling the pod, if it is one that exists (same uid). */
  private Optional<String> owner(Pod pod) {
    return OwnerReferences.controllerOf(pod).filter(r -> replicaSets.kind().equals(r.getKind())).flatMap(r -> {
      ReplicaSet rs = replicaSets.get(pod.getMetadata().getNamespace(), r.getName());
      return rs != null && r.getUid().equals(rs.getMetadata().getUid())
          ? Optional.of(Informer.keyOf(rs)) : Optional.empty();
    });
  }

  /** The ReplicaSets of the pod's namespace whose selector matches the orphan (upstream's getPodReplicaSets). */
  private List<String> selectingOrphan(Pod pod) {
    List<String> keys = new ArrayList<>();
    for (ReplicaSet rs : replicaSets.list(pod.getMetadata().getNamespace())) {
      Optional<LabelSelector> selector = selector(rs);
      if (selector.isEmpty() || selector.get().isEverything()) continue;
      if (selector.get().matches(PodControl.labels(pod))) keys.add(Informer.keyOf(rs));
    }
    return keys;
  }

  // ---- sync ----

  @Override
  public CompletionStage<Result> reconcile(String key) {
    ReplicaSet rs = replicaSets.get(key);
    if (rs == null) {
      expectations.forget(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    // read before the pods are listed: a pod seen after this was created by the earlier sync
    boolean needsSync = expectations.satisfied(key);
    Optional<LabelSelector> selector = selector(rs);
    if (selector.isEmpty()) {
      log.warn("replicaset {} has an invalid selector; not syncing it", key);
      return CompletableFuture.completedFuture(Result.done());
    }
    List<Pod> candidates = pods.list(rs.getMetadata().getNamespace()).stream().filter(Pods::isActive).toList();
    return refs.claim(rs, selector.get(), candidates, () -> stillCurrent(rs)).thenCompose(active -> {
      Instant now = context.clock().instant();
      CompletionStage<Throwable> scaled = needsSync && !OwnerReferences.beingDeleted(rs)
          ? scaler.scale(key, rs, active, related(rs), now)
          : CompletableFuture.completedFuture(null);
      return scaled.thenCompose(manageError -> writeStatus(rs, active, manageError).thenApply(x -> {
        if (manageError != null) throw new java.util.concurrent.CompletionException(manageError);
        Duration wait = ReplicaSetStatuses.untilNextAvailable(rs, active, context.clock().instant());
        return wait == null ? Result.done() : Result.requeueAfter(wait);
      }));
    });
  }

  private CompletionStage<?> writeStatus(ReplicaSet rs, List<Pod> active, Throwable manageError) {
    Instant now = context.clock().instant();
    ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, active, manageError, now);
    if (ReplicaSetStatuses.upToDate(rs, status)) return CompletableFuture.completedFuture(rs);
    status.setObservedGeneration(rs.getMetadata().getGeneration());
    ReplicaSet copy = ControllerRefManager.copy(rs);
    copy.setStatus(status);
    return replicaSets.updateStatus(copy);
  }

  /**
   * Upstream's RecheckDeletionTimestamp, asked before adopting: the ReplicaSet as stored now (not
   * as cached) is the same object and is not being deleted.
   */
  private boolean stillCurrent(ReplicaSet rs) {
    ResourceType t = replicaSets.type();
    ObjectNode now = context.fresh().get(t, rs.getMetadata().getNamespace(), rs.getMetadata().getName());
    return now != null
        && rs.getMetadata().getUid().equals(now.path("metadata").path("uid").asText())
        && !now.path("metadata").hasNonNull("deletionTimestamp");
  }

  /**
   * Upstream's getIndirectlyRelatedPods: the pods controlled by this ReplicaSet or by the other
   * ReplicaSets of its controller (a Deployment's old and new ReplicaSets).
   */
  private List<Pod> related(ReplicaSet rs) {
    List<ReplicaSet> siblings = controllerUid(rs)
        .map(replicaSets::controlledBy)
        .orElse(List.of(rs));
    Set<String> seen = new java.util.HashSet<>();
    List<Pod> out = new ArrayList<>();
    for (ReplicaSet s : siblings) {
      if (!Objects.equals(s.getMetadata().getNamespace(), rs.getMetadata().getNamespace())) continue;
      for (Pod p : pods.byIndex(BY_CONTROLLER, s.getMetadata().getUid())) {
        if (seen.add(p.getMetadata().getUid())) out.add(p);
      }
    }
    return out;
  }

  private static Optional<String> controllerUid(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return OwnerReferences.controllerOf(o).map(OwnerReference::getUid);
  }

  /** The index of objects by their controller's uid. */
  static List<String> controllerUids(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return controllerUid(o).map(List::of).orElse(List.of());
  }

  private static Optional<LabelSelector> selector(ReplicaSet rs) {
    try {
      return Optional.of(LabelSelector.fromJson(Json.toTree(rs.getSpec().getSelector())));
    } catch (ApiException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
