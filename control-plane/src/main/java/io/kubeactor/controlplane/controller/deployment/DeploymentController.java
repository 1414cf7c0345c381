package io.kubeactor.controlplane.controller.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's deployment controller (deployment_controller.go): a Deployment runs
 * its pod template through ReplicaSets it owns, one per template, named
 * {@code <deployment>-<pod-template-hash>}. Each reconcile adopts and releases ReplicaSets by the
 * selector, then, in upstream's order: a Deployment being deleted only gets its status; pausing
 * and resuming are recorded; a paused Deployment or a scaling event only scales
 * ({@link DeploymentSync}); otherwise the strategy rolls out ({@link RollingUpdate},
 * {@link RecreateUpdate}), with revisions ({@link RevisionHistory}) and progress
 * ({@link RolloutProgress}) kept. Rollbacks are kubectl's: it patches an old template back.
 */
public final class DeploymentController implements Reconciler {

  private final ControllerContext context;
  private final Informer<Deployment> deployments;
  private final Informer<ReplicaSet> replicaSets;
  private final Informer<Pod> pods;
  private final DeploymentWrites writes;
  private final DeploymentSync sync;
  private final RollingUpdate rolling;
  private final RecreateUpdate recreate;

  public DeploymentController(ControllerContext context) {
    this.context = context;
    this.deployments = context.informers().of(Deployment.class);
    this.replicaSets = context.informers().of(ReplicaSet.class);
    this.pods = context.informers().pods();
    this.writes = new DeploymentWrites(context);
    this.sync = new DeploymentSync(writes, context.clock());
    RolloutProgress progress = new RolloutProgress(sync, writes, context.clock());
    this.rolling = new RollingUpdate(sync, progress, writes);
    this.recreate = new RecreateUpdate(sync, progress, writes);
  }

  @Override
  public String name() {
    return "deployment-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(deployments, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(replicaSets, this::deploymentsOfReplicaSet);
    queue.watch(pods, this::recreateDeploymentOfDeletedPod);
  }

  @Override
  public Collection<String> keys() {
    return deployments.list().stream().map(Informer::keyOf).toList();
  }

  /**
   * addReplicaSet / updateReplicaSet / deleteReplicaSet: the controlling Deployment (and the former
   * one when the controller changed); for an orphan that is new or whose labels changed, every
   * Deployment whose selector matches it, one of which may adopt it.
   */
  private Collection<String> deploymentsOfReplicaSet(Informer.Event<ReplicaSet> e) {
    Set<String> keys = new LinkedHashSet<>();
    ReplicaSet rs = e.object();
    Optional<String> owner = OwnerReferences.controllerKey(rs, "Deployment");
    Optional<String> formerOwner = e.previous() == null ? Optional.empty()
        : OwnerReferences.controllerKey(e.previous(), "Deployment");
    formerOwner.filter(k -> !owner.equals(formerOwner)).ifPresent(keys::add);
    if (owner.isPresent()) {
      keys.add(owner.get());
    } else if (e.type() != Informer.EventType.DELETED) {
      boolean labelsChanged = e.previous() == null
          || !Objects.equals(e.previous().getMetadata().getLabels(), rs.getMetadata().getLabels())
          || formerOwner.isPresent();
      if (labelsChanged) keys.addAll(matchingDeployments(rs));
    }
    return keys;
  }

  /** getDeploymentsForReplicaSet: Deployments in its namespace whose (non-empty) selector matches its labels. */
  private List<String> matchingDeployments(ReplicaSet rs) {
    List<String> out = new ArrayList<>();
    Map<String, String> labels = rs.getMetadata().getLabels() == null ? Map.of() : rs.getMetadata().getLabels();
    for (Deployment d : deployments.list(rs.getMetadata().getNamespace())) {
      LabelSelector selector = selectorOf(d);
      if (selector.isEverything() || selector.isNothing()) continue;
      if (selector.matches(labels)) out.add(Informer.keyOf(d));
    }
    return out;
  }

  /** deletePod: a Recreate rollout waits for the old pods to be gone. */
  private Collection<String> recreateDeploymentOfDeletedPod(Informer.Event<Pod> e) {
    if (e.type() != Informer.EventType.DELETED) return List.of();
    Optional<String> rsKey = OwnerReferences.controllerKey(e.object(), "ReplicaSet");
    if (rsKey.isEmpty()) return List.of();
    ReplicaSet rs = replicaSets.get(rsKey.get());
    if (rs == null) return List.of();
    Optional<String> dKey = OwnerReferences.controllerKey(rs, "Deployment");
    if (dKey.isEmpty()) return List.of();
    Deployment d = deployments.get(dKey.get());
    return d != null && Deployments.RECREATE.equals(Deployments.strategy(d)) ? List.of(dKey.get()) : List.of();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Deployment cached = deployments.get(key);
    if (cached == null) return CompletableFuture.completedFuture(Result.done());
    Deployment d = ControllerRefManager.copy(cached);
    if (d.getStatus() == null) d.setStatus(new DeploymentStatus());

    LabelSelector selector = selectorOf(d);
    if (selector.isEverything()) {
      writes.event(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      Long observed = d.getStatus().getObservedGeneration();
      if ((observed == null ? 0 : observed) < Deployments.generation(d)) {
        d.getStatus().setObservedGeneration(Deployments.generation(d));
        return context.writer().updateStatus(d).thenApply(x -> Result.done());
      }
      return CompletableFuture.completedFuture(Result.done());
    }

    String namespace = d.getMetadata().getNamespace();
    return context.refs().claim(d, selector, replicaSets.list(namespace), () -> stillTheSame(d))
        .thenCompose(owned -> {
          Rollout r = new Rollout(d, owned, podsByReplicaSet(d, selector, owned));
          return reconcile(r).thenApply(x -> r.requeue == null ? Result.done() : Result.requeueAfter(r.requeue));
        });
  }

  private CompletionStage<Void> reconcile(Rollout r) {
    if (OwnerReferences.beingDeleted(r.d)) return sync.statusOnly(r);
    return sync.checkPausedConditions(r).thenCompose(x -> {
      if (Deployments.paused(r.d)) return sync.sync(r);
      return sync.isScalingEvent(r).thenCompose(scaling -> {
        if (scaling) return sync.sync(r);
        return Deployments.RECREATE.equals(Deployments.strategy(r.d)) ? recreate.rollout(r) : rolling.rollout(r);
      });
    });
  }

  /** Adoption re-checks the Deployment from the store, not the cache: the same uid, not being deleted. */
  private boolean stillTheSame(Deployment d) {
    ObjectNode stored = context.fresh().get(deployments.type(), d.getMetadata().getNamespace(), d.getMetadata().getName());
    if (stored == null) return false;
    Deployment fresh = Json.fromTree(stored, Deployment.class);
    return Objects.equals(fresh.getMetadata().getUid(), d.getMetadata().getUid()) && !OwnerReferences.beingDeleted(fresh);
  }

  /** getPodMapForDeployment: the selected pods controlled by the Deployment's ReplicaSets, by ReplicaSet uid. */
  private Map<String, List<Pod>> podsByReplicaSet(Deployment d, LabelSelector selector, List<ReplicaSet> owned) {
    Set<String> uids = new HashSet<>();
    Map<String, List<Pod>> out = new HashMap<>();
    for (ReplicaSet rs : owned) {
      uids.add(rs.getMetadata().getUid());
      out.put(rs.getMetadata().getUid(), new ArrayList<>());
    }
    for (Pod p : pods.list(d.getMetadata().getNamespace())) {
      if (!selector.matches(p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels())) continue;
      OwnerReferences.controllerOf(p).filter(ref -> uids.contains(ref.getUid()))
          .ifPresent(ref -> out.get(ref.getUid()).add(p));
    }
    return out;
  }

  private static LabelSelector selectorOf(Deployment d) {
    return LabelSelector.fromJson(d.getSpec().getSelector() == null ? null : Json.toTree(d.getSpec().getSelector()));
  }
}
