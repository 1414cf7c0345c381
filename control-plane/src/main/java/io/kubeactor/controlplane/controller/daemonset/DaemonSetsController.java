package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.Expectations;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * kube-controller-manager's daemonset controller (pkg/controller/daemon): every node that should
 * run a DaemonSet's pod runs exactly one, made from its current template and pinned to the node by
 * node affinity for the scheduler to place; pods leave nodes that should no longer run them;
 * RollingUpdate replaces old pods within maxUnavailable/maxSurge, OnDelete waits for users to
 * delete them; the templates are kept as ControllerRevisions; the status counts what runs where.
 * Keys are DaemonSets ("namespace/name"): node changes that matter wake every DaemonSet, pod and
 * revision changes their controller (orphans every DaemonSet that selects them).
 */
public final class DaemonSetsController implements Reconciler {

  static final String COMPONENT = "daemonset-controller";
  private static final String KIND = "DaemonSet";

  private final ControllerContext context;
  private final Informer<DaemonSet> daemonSets;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final Informer<ControllerRevision> revisions;
  private final Expectations expectations;
  private final PodControl podControl;
  private final DaemonPods daemonPods;
  private final DaemonSetHistory history;
  private final NodePlacement placement;
  private final DaemonPodChanges changes;
  private volatile Queue queue;

  public DaemonSetsController(ControllerContext context) {
    this.context = context;
    this.daemonSets = context.informers().of(DaemonSet.class);
    this.pods = context.informers().pods();
    this.nodes = context.informers().nodes();
    this.revisions = context.informers().of(ControllerRevision.class);
    this.expectations = new Expectations(context.clock());
    this.podControl = new PodControl(context, COMPONENT);
    this.daemonPods = new DaemonPods(pods, daemonSets, context.refs());
    this.history = new DaemonSetHistory(context, revisions, daemonSets, daemonPods);
    this.placement = new NodePlacement(new FailedPodsBackoff(context.clock()));
    this.changes = new DaemonPodChanges(context, podControl, expectations);
  }

  @Override
  public String name() {
    return "daemonset-controller";
  }

  @Override
  public Collection<String> keys() {
    return daemonSets.list().stream().map(Informer::keyOf).toList();
  }

  // ---- events to keys ----

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    queue.watch(daemonSets, this::onDaemonSet);
    queue.watch(pods, this::onPod);
    queue.watch(nodes, this::onNode);
    queue.watch(revisions, this::onRevision);
  }

  private Collection<String> onDaemonSet(Informer.Event<DaemonSet> e) {
    String key = Informer.keyOf(e.object());
    boolean recreated = e.previous() != null && !Objects.equals(e.previous().getMetadata().getUid(), e.object().getMetadata().getUid());
    // a new DaemonSet of the same name starts with clean expectations
    if (e.type() == Informer.EventType.DELETED || recreated) expectations.forget(key);
    return List.of(key);
  }

  private Collection<String> onPod(Informer.Event<Pod> e) {
    Pod pod = e.object();
    Pod old = e.previous();
    if (e.type() == Informer.EventType.DELETED || OwnerReferences.beingDeleted(pod)) {
      // a pod being deleted gracefully counts as gone: its replacement need not wait for the kubelet
      return owner(pod).map(ds -> {
        expectations.deletionObserved(Informer.keyOf(ds), pod.getMetadata().getUid());
        return List.of(Informer.keyOf(ds));
      }).orElse(List.of());
    }
    if (e.type() == Informer.EventType.ADDED) {
      Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
      if (ref.isPresent()) {
        return owner(pod).map(ds -> {
          expectations.creationObserved(Informer.keyOf(ds));
          return List.of(Informer.keyOf(ds));
        }).orElse(List.of());
      }
      return selecting(pod);
    }
    if (Objects.equals(pod.getMetadata().getResourceVersion(), old.getMetadata().getResourceVersion())) return List.of();
    List<String> keys = new ArrayList<>();
    Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
    Optional<OwnerReference> oldRef = OwnerReferences.controllerOf(old);
    boolean refChanged = !Objects.equals(ref, oldRef);
    if (refChanged && oldRef.isPresent()) resolve(old.getMetadata().getNamespace(), oldRef.get()).ifPresent(ds -> keys.add(Informer.keyOf(ds)));
    if (ref.isPresent()) {
      resolve(pod.getMetadata().getNamespace(), ref.get()).ifPresent(ds -> {
        keys.add(Informer.keyOf(ds));
        int minReady = DaemonSets.minReadySeconds(ds);
        // a pod that became ready becomes available minReadySeconds later: look again then
        if (minReady > 0 && !Pods.isReady(old) && Pods.isReady(pod)) {
          queue.addAfter(Informer.keyOf(ds), Duration.ofSeconds(minReady + 1L));
        }
      });
      return keys;
    }
    if (refChanged || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) keys.addAll(selecting(pod));
    return keys;
  }

  /**
   * Only a node's labels and taints decide where daemon pods go: other changes (heartbeats,
   * conditions) wake nothing; a new node wakes the DaemonSets it should run, a changed one those
   * whose decision changed, a deleted one all (their pods there go).
   */
  private Collection<String> onNode(Informer.Event<Node> e) {
    Node node = e.object();
    List<String> keys = new ArrayList<>();
    switch (e.type()) {
      case ADDED -> {
        for (DaemonSet ds : daemonSets.list()) if (NodeEligibility.of(node, ds).shouldRun()) keys.add(Informer.keyOf(ds));
      }
      case MODIFIED -> {
        Node old = e.previous();
        if (Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
            && Objects.equals(taints(old), taints(node)) && Objects.equals(unschedulable(old), unschedulable(node))) {
          return keys;
        }
        for (DaemonSet ds : daemonSets.list()) {
          if (!NodeEligibility.of(old, ds).equals(NodeEligibility.of(node, ds))) keys.add(Informer.keyOf(ds));
        }
      }
      case DELETED -> daemonSets.list().forEach(ds -> keys.add(Informer.keyOf(ds)));
    }
    return keys;
  }

  private static Object taints(Node n) {
    return n.getSpec() == null ? null : n.getSpec().getTaints();
  }

  private static Object unschedulable(Node n) {
    return n.getSpec() == null ? null : n.getSpec().getUnschedulable();
  }

  private Collection<String> onRevision(Informer.Event<ControllerRevision> e) {
    ControllerRevision r = e.object();
    Optional<OwnerReference> ref = OwnerReferences.controllerOf(r);
    if (ref.isPresent()) {
      List<String> keys = new ArrayList<>();
      resolve(r.getMetadata().getNamespace(), ref.get()).ifPresent(ds -> keys.add(Informer.keyOf(ds)));
      if (e.previous() != null) {
        OwnerReferences.controllerOf(e.previous()).filter(old -> !old.equals(ref.get()))
            .flatMap(old -> resolve(r.getMetadata().getNamespace(), old)).ifPresent(ds -> keys.add(Informer.keyOf(ds)));
      }
      return keys;
    }
    // nobody cares that an orphan goes; a new or relabelled one may be adopted
    if (e.type() == Informer.EventType.DELETED) return List.of();
    return selecting(r);
  }

  /** The DaemonSet the object's controller reference names, if it is that very DaemonSet (resolveControllerRef). */
  private Optional<DaemonSet> owner(HasMetadata o) {
    return OwnerReferences.controllerOf(o).flatMap(ref -> resolve(o.getMetadata().getNamespace(), ref));
  }

  private Optional<DaemonSet> resolve(String namespace, OwnerReference ref) {
    if (!KIND.equals(ref.getKind())) return Optional.empty();
    DaemonSet ds = daemonSets.get(namespace, ref.getName());
    return ds != null && Objects.equals(ds.getMetadata().getUid(), ref.getUid()) ? Optional.of(ds) : Optional.empty();
  }

  /** The DaemonSets of the object's namespace whose selector matches its labels. */
  private List<String> selecting(HasMetadata o) {
    Map<String, String> labels = PodControl.labels(o);
    List<String> keys = new ArrayList<>();
    for (DaemonSet ds : daemonSets.list(o.getMetadata().getNamespace())) {
      var selector = DaemonPods.selector(ds);
      if (!selector.isEverything() && selector.matches(labels)) keys.add(Informer.keyOf(ds));
    }
    return keys;
  }

  // ---- reconcile ----

  @Override
  public CompletionStage<Result> reconcile(String key) {
    DaemonSet ds = daemonSets.get(key);
    if (ds == null) {
      expectations.forget(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    var selector = ds.getSpec().getSelector();
    boolean selectsAll = selector == null
        || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
            && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
    if (selectsAll) {
      podControl.event(ds, "Warning", "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
      return CompletableFuture.completedFuture(Result.done());
    }
    // the revisions of a DaemonSet being deleted may be gone already: its status cannot be known
    if (OwnerReferences.beingDeleted(ds)) return CompletableFuture.completedFuture(Result.done());
    List<Node> nodeList = nodes.list();
    return history.construct(ds).thenCompose(revs -> {
      String hash = revs.hash();
      if (!expectations.satisfied(key)) {
        // only the status: this sync did not act on the current generation
        return updateStatus(ds, nodeList, hash, false);
      }
      AtomicReference<Result> requeue = new AtomicReference<>(Result.done());
      return sync(ds, key, nodeList, hash, revs, requeue)
          .handle((x, e) -> e)
          .thenCompose(failure -> updateStatus(ds, nodeList, hash, true).handle((r, statusFailure) -> {
            // the sync's own failure is the one to retry on; the status is written either way
            Throwable f = failure != null ? failure : statusFailure;
            return f != null ? CompletableFuture.<Result>failedFuture(f) : CompletableFuture.completedFuture(r.sooner(requeue.get()));
          }).thenCompose(stage -> stage));
    });
  }

  /** updateDaemonSet: the manage loop, then the update strategy once expectations are met, then history cleanup. */
  private CompletionStage<Void> sync(DaemonSet ds, String key, List<Node> nodeList, String hash,
      DaemonSetHistory.Revisions revs, AtomicReference<Result> requeue) {
    return daemonPods.byNode(ds, false).thenCompose(byNode -> {
      NodePlacement.Plan plan = placement.plan(ds, nodeList, byNode, hash,
          (type, reason, message) -> podControl.event(ds, type, reason, message));
      requeue.set(plan.requeue());
      return changes.apply(ds, key, plan.podsToDelete(), plan.orphanedPods(), plan.nodesToCreate(), hash);
    }).thenCompose(x -> {
      if (!expectations.satisfied(key) || !DaemonSets.isRollingUpdate(ds)) return CompletableFuture.completedFuture(null);
      return daemonPods.byNode(ds, false).thenCompose(byNode -> {
        RollingUpdate.Plan plan = RollingUpdate.plan(ds, nodeList, byNode, hash, context.clock().instant());
        return changes.apply(ds, key, plan.podsToDelete(), List.of(), plan.nodesToCreate(), hash);
      });
    }).thenCompose(x -> history.cleanup(ds, revs.old()));
  }

  /** Writes the status counts if they changed (storeDaemonSetStatus); requeues while pods wait out minReadySeconds. */
  private CompletionStage<Result> updateStatus(DaemonSet ds, List<Node> nodeList, String hash, boolean updateObservedGeneration) {
    return daemonPods.byNode(ds, false).thenCompose(byNode -> {
      DaemonSetStatusCounts counts = DaemonSetStatusCounts.of(ds, nodeList, byNode, hash, context.clock().instant());
      int minReady = DaemonSets.minReadySeconds(ds);
      Result result = minReady > 0 && counts.numberReady() != counts.numberAvailable()
          ? Result.requeueAfter(Duration.ofSeconds(minReady)) : Result.done();
      if (counts.shownBy(ds)) return CompletableFuture.completedFuture(result);
      DaemonSet copy = ControllerRefManager.copy(ds);
      copy.setStatus(counts.applyTo(copy, updateObservedGeneration));
      return context.writer().updateStatus(copy).thenApply(x -> result);
    });
  }
}
