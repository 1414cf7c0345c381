package io.kubeactor.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.scheduling.Tolerations;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.registry.PodConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's taint-eviction-controller (formerly the NoExecuteTaintManager of the
 * node lifecycle controller), one key per pod: a pod bound to a node with NoExecute taints is
 * deleted at once if it does not tolerate them all, when the first of its tolerations with
 * tolerationSeconds runs out if it does, and never if those it uses tolerate forever. Deletion is the
 * normal graceful one, after the DisruptionTarget condition: a pod on a dead node stays Terminating
 * (no kubelet finishes it) but no longer counts as active for its controller.
 *
 * <p>A toleration's countdown starts when its taint was added (its timeAdded, which the node
 * lifecycle controller sets), or when the pod was bound if that was later; so it survives a restart
 * of the control plane, where upstream's in-memory timers (started when the controller first saw
 * the pod on the tainted node) start over.
 */
public final class TaintEvictionController implements Reconciler {

  private static final Logger log = LoggerFactory.getLogger(TaintEvictionController.class);

  static final String COMPONENT = "taint-eviction-controller";

  private final ControllerContext context;
  private final Informer<Node> nodes;
  private final Informer<Pod> pods;
  private final ResourceType podType;
  /** Evictions waiting for a toleration to run out, by pod key (with the pod): cancelling one is told in an event. */
  private final Map<String, Pod> scheduled = new ConcurrentHashMap<>();
  /** When a NoExecute taint without timeAdded was first seen, by node and taint. */
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

  public TaintEvictionController(ControllerContext context) {
    this.context = context;
    this.nodes = context.informers().nodes();
    this.pods = context.informers().pods();
    this.podType = context.informers().typeOf(Pod.class);
  }

  @Override
  public String name() {
    return COMPONENT;
  }

  @Override
  public void start(Queue queue) {
    queue.watch(pods, e -> {
      Pod p = e.object();
      Pod before = e.previous();
      boolean relevant = e.type() != Informer.EventType.MODIFIED
          || !Objects.equals(Pods.nodeName(before), Pods.nodeName(p))
          || !Objects.equals(before.getSpec().getTolerations(), p.getSpec().getTolerations());
      return relevant && (Pods.nodeName(p) != null || scheduled.containsKey(Informer.keyOf(p)))
          ? List.of(Informer.keyOf(p)) : List.of();
    });
    queue.watch(nodes, e -> {
      if (e.type() == Informer.EventType.MODIFIED
          && noExecute(e.previous()).equals(noExecute(e.object()))) return List.of();
      return context.informers().podsOn(e.object().getMetadata().getName()).stream().map(Informer::keyOf).toList();
    });
  }

  @Override
  public Collection<String> keys() {
    Set<String> keys = new LinkedHashSet<>(scheduled.keySet());
    for (Node n : nodes.list()) {
      if (!noExecute(n).isEmpty()) context.informers().podsOn(n.getMetadata().getName()).forEach(p -> keys.add(Informer.keyOf(p)));
    }
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Pod pod = pods.get(key);
    String nodeName = pod == null ? null : Pods.nodeName(pod);
    Node node = nodeName == null || nodeName.isEmpty() ? null : nodes.get(nodeName);
    List<Taint> taints = node == null ? List.of() : noExecute(node);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || taints.isEmpty()) {
      cancel(key, pod);
      return done();
    }
    // each taint is tolerated by the pod's first toleration of it, for its tolerationSeconds (none: forever)
    Instant deadline = null;
    for (Taint taint : taints) {
      Toleration match = tolerations(pod).stream().filter(t -> Tolerations.tolerates(t, taint)).findFirst().orElse(null);
      if (match == null) return evict(key, pod);
      if (match.getTolerationSeconds() == null) continue;
      Instant until = since(pod, node, taint).plusSeconds(Math.max(0, match.getTolerationSeconds()));
      if (deadline == null || until.isBefore(deadline)) deadline = until;
    }
    if (deadline == null) {
      cancel(key, pod);
      return done();
    }
    Instant now = context.clock().instant();
    if (!now.isBefore(deadline)) return evict(key, pod);
    scheduled.put(key, pod);
    return CompletableFuture.completedFuture(Result.requeueAfter(Duration.between(now, deadline)));
  }

  /** Whether the pod's eviction waits for a toleration to run out; for tests. */
  boolean scheduled(String podKey) {
    return scheduled.containsKey(podKey);
  }

  /** When the pod became subject to the taint: its timeAdded (else when first seen), or the pod's binding if later. */
  private Instant since(Pod pod, Node node, Taint taint) {
    Instant tainted = NodeHealth.parse(taint.getTimeAdded());
    if (tainted == null) {
      tainted = firstSeen.computeIfAbsent(node.getMetadata().getName() + "\u0000" + taint.getKey(),
          k -> context.clock().instant());
    }
    Instant bound = Pods.condition(pod, "PodScheduled").filter(c -> "True".equals(c.getStatus()))
        .map(c -> NodeHealth.parse(c.getLastTransitionTime())).orElse(null);
    if (bound == null) bound = NodeHealth.parse(pod.getMetadata().getCreationTimestamp());
    return bound != null && bound.isAfter(tainted) ? bound : tainted;
  }

  /** The pod is deleted: "Marking for deletion", the DisruptionTarget condition, then a graceful delete. */
  private CompletionStage<Result> evict(String key, Pod pod) {
    scheduled.remove(key);
    log.info("deleting pod {} from node {}: NoExecute taint", key, Pods.nodeName(pod));
    event(pod, "Marking for deletion Pod " + key);
    String uid = pod.getMetadata().getUid();
    return context.writer().guaranteedSubresourceUpdate(podType, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
        current -> {
          if (!uid.equals(current.path("metadata").path("uid").asText())) {
            throw ApiException.notFound("", "pods", pod.getMetadata().getName());
          }
          PodConditions.set(current, PodConditions.DISRUPTION_TARGET, "True", "DeletionByTaintManager",
              "Taint manager: deleting due to NoExecute taint", context.clock().instant());
          return current;
        })
        .thenCompose(updated -> context.writer().delete(pod, null))
        .handle((x, e) -> {
          if (e == null || notFound(e)) return Result.done();
          throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        });
  }

  private void cancel(String key, Pod pod) {
    Pod was = scheduled.remove(key);
    if (was != null) event(pod != null ? pod : was, "Cancelling deletion of Pod " + key);
  }

  private void event(Pod pod, String message) {
    context.events().record(Json.toTree(pod), "Normal", "TaintManagerEviction", message, COMPONENT, null);
  }

  private static List<Taint> noExecute(Node node) {
    return NodeTaints.taints(node).stream().filter(t -> NodeTaints.NO_EXECUTE.equals(t.getEffect())).toList();
  }

  private static List<Toleration> tolerations(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
  }

  private static CompletionStage<Result> done() {
    return CompletableFuture.completedFuture(Result.done());
  }

  private static boolean notFound(Throwable e) {
    return ApiException.hasCode(e, 404);
  }
}
