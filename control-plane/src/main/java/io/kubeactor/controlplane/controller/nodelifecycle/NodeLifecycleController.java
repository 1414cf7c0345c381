package io.kubeactor.controlplane.controller.nodelifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle), one key per
 * node:
 * <ul>
 *   <li>a node that shows no sign of life (a new Ready heartbeat or Lease renewal) for
 *       nodeMonitorGracePeriod (60 s for one that never reported) gets its kubelet conditions set
 *       Unknown; the key is requeued for the moment that would happen;</li>
 *   <li>its taints follow its conditions: not-ready / unreachable NoExecute and NoSchedule with the
 *       Ready condition, the pressure taints with theirs, node.kubernetes.io/unschedulable with
 *       spec.unschedulable (kubectl cordon); NoExecute taints are added at the zone's rate, none at
 *       all while every zone is fully disrupted ({@link Zones});</li>
 *   <li>when it stops being Ready: the "NodeNotReady" event, and its pods marked not Ready
 *       (MarkPodsNotReady), also pods that land on it later.</li>
 * </ul>
 * Pods are evicted from NoExecute-tainted nodes by the {@link TaintEvictionController}.
 */
public final class NodeLifecycleController implements Reconciler {

  private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);

  static final String COMPONENT = "node-controller";
  static final String LEASE_NAMESPACE = "kube-node-lease";

  private final ControllerContext context;
  private final Informer<Node> nodes;
  private final Informer<Pod> pods;
  private final ResourceType nodeType;
  private final ResourceType leaseType;
  private final NodeHealth health = new NodeHealth();
  private final TaintingLimiter limiter = new TaintingLimiter();
  /** The Ready status each node had at its last reconcile, for the NodeNotReady event. */
  private final Map<String, String> lastReady = new ConcurrentHashMap<>();
  private volatile Queue queue;
  private boolean masterDisruption;

  public NodeLifecycleController(ControllerContext context) {
    this.context = context;
    this.nodes = context.informers().nodes();
    this.pods = context.informers().pods();
    this.nodeType = context.informers().typeOf(Node.class);
    this.leaseType = context.informers().types().find("/apis/coordination.k8s.io/v1", "leases").orElseThrow();
  }

  @Override
  public String name() {
    return "node-lifecycle-controller";
  }

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    queue.watch(nodes, e -> List.of(e.object().getMetadata().getName()));
    // a pod that lands on (or turns Ready on) a node that is not Ready is marked not Ready too
    queue.watch(pods, e -> {
      if (e.type() == Informer.EventType.DELETED || !readyTrue(e.object())) return List.of();
      String nodeName = Pods.nodeName(e.object());
      Node node = nodeName == null || nodeName.isEmpty() ? null : nodes.get(nodeName);
      String ready = node == null ? null : NodeConditions.readyStatus(node);
      return ready != null && !"True".equals(ready) ? List.of(nodeName) : List.of();
    });
  }

  @Override
  public Collection<String> keys() {
    return nodes.list().stream().map(n -> n.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      health.forget(name);
      lastReady.remove(name);
      return CompletableFuture.completedFuture(Result.done());
    }
    Instant now = context.clock().instant();
    Instant expiry = health.observe(node, leaseRenewTime(name), now, context.settings().nodeMonitorGracePeriod());
    if (now.isAfter(expiry)) {
      ObjectNode json = Json.toTree(node);
      if (NodeStatusUnknown.mark(json, now)) {
        log.info("node {} has not reported in time: its status is now Unknown", name);
        // the change comes back through the informer and is acted on then
        return context.writer().updateStatus(Json.fromTree(json, Node.class)).thenApply(n -> Result.done());
      }
    }
    // a node whose grace is over counts as down already, even before its conditions say so
    Map<String, Zones.Zone> zones = Zones.of(nodes.list(),
        n -> "True".equals(NodeConditions.readyStatus(n)) && !health.expired(n.getMetadata().getName(), now));
    boolean noEviction = masterDisruption(zones, now);
    String ready = NodeConditions.readyStatus(node);
    String before = lastReady.put(name, ready == null ? "" : ready);
    if ("True".equals(before) && !"True".equals(ready)) {
      context.events().record(Json.toTree(node), "Normal", "NodeNotReady", "Node " + name + " status is now: NodeNotReady",
          COMPONENT, null);
    }
    CompletionStage<Void> podsMarked = ready != null && !"True".equals(ready)
        ? markPodsNotReady(name, now) : CompletableFuture.completedFuture(null);

    List<Taint> add = new ArrayList<>();
    List<Taint> remove = new ArrayList<>();
    noScheduleTaints(node, now, add, remove);
    Duration wait = noExecuteTaints(node, ready, noEviction, zones.get(Zones.keyOf(node)), now, add, remove);

    Result result = now.isBefore(expiry) ? Result.requeueAfter(Duration.between(now, expiry).plusMillis(1)) : Result.done();
    if (wait != null && !wait.isZero()) result = result.sooner(Result.requeueAfter(wait));
    Result r = result;
    return podsMarked.thenCompose(x -> add.isEmpty() && remove.isEmpty()
        ? CompletableFuture.completedFuture(null) : writeTaints(name, add, remove)).thenApply(x -> r);
  }

  /** Whether the controller has seen the node (its grace period runs from then at the latest); for tests. */
  boolean observed(String name) {
    return health.seen(name);
  }

  /**
   * The renewTime of the node's Lease, read from the store as it is (the NodeGateway renews it with
   * each heartbeat, which also writes the node: the node's change brings the key here).
   */
  private String leaseRenewTime(String name) {
    ObjectNode lease = context.fresh().get(leaseType, LEASE_NAMESPACE, name);
    return lease == null ? null : lease.path("spec").path("renewTime").asText(null);
  }

  /**
   * Whether every zone is fully disrupted; entering that mode stops NoExecute tainting (and each
   * node's reconcile then removes its NoExecute taints); leaving it gives every node a full grace
   * period again.
   */
  private synchronized boolean masterDisruption(Map<String, Zones.Zone> zones, Instant now) {
    boolean all = Zones.allFullyDisrupted(zones);
    if (all != masterDisruption) {
      masterDisruption = all;
      if (all) {
        log.info("Controller detected that all Nodes are not-Ready. Entering master disruption mode");
      } else {
        log.info("Controller detected that some Nodes are Ready. Exiting master disruption mode");
        health.resetProbes(now);
      }
      Queue q = queue;
      if (q != null) keys().forEach(q::add);
    }
    return all;
  }

  /** doNoScheduleTaintingPass: NoSchedule taints exactly as the conditions and spec.unschedulable want them. */
  private static void noScheduleTaints(Node node, Instant now, List<Taint> add, List<Taint> remove) {
    Set<String> wanted = NodeTaints.wantedNoSchedule(node);
    for (Taint t : NodeTaints.taints(node)) {
      if (NodeTaints.managedNoSchedule(t) && !wanted.contains(t.getKey())) remove.add(t);
    }
    for (String key : wanted) {
      if (!NodeTaints.has(node, key, NodeTaints.NO_SCHEDULE)) add.add(NodeTaints.taint(key, NodeTaints.NO_SCHEDULE, now));
    }
  }

  /**
   * processTaintBaseEviction: the NoExecute taint the Ready condition wants. Swapping not-ready for
   * unreachable (or back) is immediate; a first NoExecute taint waits for the zone's rate limiter.
   *
   * @return how long until the limiter allows the taint, or null
   */
  private Duration noExecuteTaints(Node node, String ready, boolean noEviction, Zones.Zone zone, Instant now,
      List<Taint> add, List<Taint> remove) {
    String wanted = noEviction ? null : NodeTaints.noExecuteKey(ready);
    boolean swap = false;
    for (Taint t : NodeTaints.taints(node)) {
      boolean controllers = NodeTaints.NO_EXECUTE.equals(t.getEffect())
          && (NodeTaints.NOT_READY.equals(t.getKey()) || NodeTaints.UNREACHABLE.equals(t.getKey()));
      if (controllers && !t.getKey().equals(wanted)) {
        remove.add(t);
        swap = true;
      }
    }
    if (wanted == null || NodeTaints.has(node, wanted, NodeTaints.NO_EXECUTE)) return null;
    Duration wait = swap ? Duration.ZERO
        : limiter.tryAcquire(Zones.keyOf(node), zone == null ? Zones.EVICTION_RATE : zone.taintRate(), now);
    if (wait != null && wait.isZero()) {
      log.info("node {} is {}: tainting it {}:NoExecute", node.getMetadata().getName(),
          "False".equals(ready) ? "NotReady" : "unresponsive", wanted);
      add.add(NodeTaints.taint(wanted, NodeTaints.NO_EXECUTE, now));
    }
    return wait;
  }

  private CompletionStage<Void> writeTaints(String name, List<Taint> add, List<Taint> remove) {
    return context.writer().guaranteedUpdate(nodeType, null, name,
        current -> NodeTaints.apply(current, add, remove)).thenApply(n -> null);
  }

  /** MarkPodsNotReady: the Ready condition of each pod on the node turns False, with a "NodeNotReady" event. */
  private CompletionStage<Void> markPodsNotReady(String nodeName, Instant now) {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (Pod pod : context.informers().podsOn(nodeName)) {
      if (!nodeName.equals(Pods.nodeName(pod)) || !readyTrue(pod)) continue;
      Pod copy = Json.fromTree(Json.toTree(pod), Pod.class);
      for (PodCondition c : copy.getStatus().getConditions()) {
        if (!"Ready".equals(c.getType())) continue;
        c.setStatus("False");
        c.setLastTransitionTime(Timestamps.format(now));
      }
      writes.add(context.writer().updateStatus(copy).handle((updated, e) -> {
        if (e == null) {
          context.events().record(Json.toTree(updated), "Warning", "NodeNotReady", "Node is not ready", COMPONENT, null);
          return null;
        }
        if (notFound(e)) return null;
        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /** The pod has a Ready condition that is not False (what MarkPodsNotReady changes). */
  private static boolean readyTrue(Pod pod) {
    return Pods.condition(pod, "Ready").map(c -> !"False".equals(c.getStatus())).orElse(false);
  }

  private static boolean notFound(Throwable e) {
    return ApiException.hasCode(e, 404);
  }
}
