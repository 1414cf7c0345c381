package io.kubeactor.controlplane.autoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.scheduler.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cluster-autoscaler's loop (StaticAutoscaler.RunOnce) over one node group, as one reconciler with
 * one key, run every scan interval and whenever a pod is found unschedulable: the pods the scheduler
 * marked Unschedulable are simulated on new nodes made from the group's template
 * ({@link ScaleUpPlanner}); if some would fit, the group grows by the nodes they need, up to its
 * maximum, and each such pod gets a TriggeredScaleUp event, each pod no new node would help a
 * NotTriggerScaleUp event with upstream's reasons. Nodes found removable by {@link ScaleDownPlanner}
 * for the unneeded time (and not within the delay after a scale-up, never below the group's minimum)
 * are removed one at a time: tainted ToBeDeletedByClusterAutoscaler, drained through the eviction
 * API (disruption budgets respected; DaemonSet and mirror pods left), then stopped by the group and
 * their Node deleted. Every loop writes the cluster-autoscaler-status ConfigMap.
 */
public final class ClusterAutoscaler implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(ClusterAutoscaler.class);

  public static final String NAME = "cluster-autoscaler";
  static final String KEY = AutoscalerStatus.NAMESPACE + "/" + AutoscalerStatus.NAME;
  static final Duration EVICTION_RETRY = Duration.ofSeconds(5);
  static final Duration POLL = Duration.ofSeconds(1);
  /** After a failed scale-up the group is left alone this long, doubled each time up to the maximum (upstream's backoff). */
  static final Duration INITIAL_BACKOFF = Duration.ofMinutes(5);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

  private final ControllerContext context;
  private final NodeGroup group;
  private final AutoscalerSettings settings;
  private final ResourceType nodeType;
  private final ResourceType configMapType;
  private final AutoscalerStatus status = new AutoscalerStatus();
  /** Since when each removable node has been so (upstream's unneeded nodes). */
  private final Map<String, Instant> unneededSince = new ConcurrentHashMap<>();
  /** Nodes being drained and removed now. */
  private final Set<String> deleting = ConcurrentHashMap.newKeySet();
  private final Instant started;
  private volatile Instant lastScaleUp;
  private volatile Reconciler.Queue queue;
  private Instant backoffUntil = Instant.MIN;
  /** The group's node new nodes are modelled on, and its pods: the last one seen Ready. */
  private Node templateSource;
  private List<Pod> templateSourcePods = List.of();
  private Duration backoff = INITIAL_BACKOFF;

  public ClusterAutoscaler(ControllerContext context, NodeGroup group, AutoscalerSettings settings) {
    this.context = context;
    this.group = group;
    this.settings = settings;
    this.nodeType = context.informers().typeOf(Node.class);
    this.configMapType = context.informers().typeOf(ConfigMap.class);
    // as upstream, the first scale-down waits the delay after add from the start, as if it had just scaled up
    this.started = context.clock().instant();
    this.lastScaleUp = started;
    context.informers().of(PodDisruptionBudget.class);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    // a pod the scheduler just found no room for is looked at at once, not at the next scan
    queue.watch(context.informers().pods(), e -> e.type() != Informer.EventType.DELETED && unschedulable(e.object())
        && (e.previous() == null || !unschedulable(e.previous())) ? List.of(KEY) : List.of());
  }

  @Override
  public Collection<String> keys() {
    return List.of(KEY);
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Instant now = context.clock().instant();
    List<Node> nodes = context.informers().nodes().list();
    List<Pod> pods = context.informers().pods().list();
    List<Pod> bound = pods.stream().filter(p -> !nodeName(p).isEmpty() && !terminated(p)).toList();
    List<Node> groupNodes = nodes.stream().filter(group::contains).toList();
    Set<String> registered = groupNodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    List<String> starting = group.upcoming(registered);
    List<String> failed = group.takeFailed();
    if (!failed.isEmpty()) {
      backoffUntil = now.plus(backoff);
      statusEvent("Warning", "FailedToScaleUpGroup", "Scale-up failed for group " + group.id() + ": nodes " + failed
          + " did not come up; backing off for " + backoff.toMinutes() + "m");
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    } else if (starting.isEmpty() && !now.isBefore(backoffUntil)) {
      backoff = INITIAL_BACKOFF;
    }
    boolean inBackoff = now.isBefore(backoffUntil);
    List<Node> leaving = groupNodes.stream()
        .filter(n -> ScaleDownPlanner.beingDeleted(n) || deleting.contains(n.getMetadata().getName())).toList();
    List<Node> notStarted = groupNodes.stream().filter(n -> !leaving.contains(n) && !ScaleDownPlanner.ready(n)).toList();
    int active = groupNodes.size() - leaving.size();
    int target = active + starting.size();

    // scale-up
    List<Pod> pending = pods.stream().filter(ClusterAutoscaler::unschedulable)
        .sorted(Comparator.comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()))
        .toList();
    Node ready = groupNodes.stream().filter(n -> !leaving.contains(n) && ScaleDownPlanner.ready(n))
        .min(Comparator.comparing(n -> n.getMetadata().getName())).orElse(null);
    if (ready != null) {
      templateSource = ready;
      templateSourcePods = bound.stream().filter(p -> nodeName(p).equals(ready.getMetadata().getName())).toList();
    }
    // a group scaled to zero grows from the last node it had (upstream caches template node infos too)
    Node source = templateSource;
    List<Pod> sourcePods = templateSourcePods;
    ScaleUpPlanner.Plan plan = ScaleUpPlanner.plan(pending, nodes, bound,
        source == null ? null : i -> NodeTemplates.of(group.id(), i, source, sourcePods),
        starting.size() + notStarted.size(), target, group.maxSize(), inBackoff);
    boolean scaledUp = plan.scaleUp();
    CompletionStage<?> scaleUp = CompletableFuture.completedFuture(null);
    if (scaledUp) {
      int newSize = target + plan.newNodes();
      String info = "[{" + group.id() + " " + target + "->" + newSize + " (max: " + group.maxSize() + ")}]";
      lastScaleUp = now;
      statusEvent("Normal", "ScaledUpGroup", "Scale-up: setting group " + group.id() + " size to " + newSize
          + " instead of " + target + " (max: " + group.maxSize() + ")");
      scaleUp = group.increaseSize(plan.newNodes()).whenComplete((names, error) -> {
        if (error != null) {
          log.warn("scale-up of group {} failed: {}", group.id(), error.getMessage());
          statusEvent("Warning", "FailedToScaleUpGroup", "Scale-up failed for group " + group.id() + ": " + error.getMessage());
          return;
        }
        log.info("scale-up: group {} {} -> {} (max: {}), nodes {}", group.id(), target, newSize, group.maxSize(), names);
        statusEvent("Normal", "ScaledUpGroup", "Scale-up: group " + group.id() + " size set to " + newSize
            + " instead of " + target + " (max: " + group.maxSize() + ")");
        for (Pod p : plan.triggering()) podEvent(p, "Normal", "TriggeredScaleUp", "pod triggered scale-up: " + info);
      });
    }
    plan.notTriggering().forEach((p, reasons) ->
        podEvent(p, "Normal", "NotTriggerScaleUp", "pod didn't trigger scale-up: " + reasons));
    // upstream: InProgress while nodes asked for have not come up, NoActivity otherwise
    String scaleUpStatus = scaledUp || !starting.isEmpty() || !notStarted.isEmpty() ? "InProgress"
        : inBackoff ? "Backoff" : "NoActivity";

    // scale-down: the unneeded nodes are tracked in every loop, removed only outside the cooldown
    int candidates = 0;
    if (settings.scaleDownEnabled()) {
      List<Node> staying = nodes.stream().filter(n -> !leaving.contains(n)).toList();
      List<Node> eligible = groupNodes.stream().filter(n -> !leaving.contains(n)).toList();
      List<PodDisruptionBudget> budgets = context.informers().of(PodDisruptionBudget.class).list();
      // pending pods about to be scheduled count where they will run (upstream's filter-out-schedulable)
      Set<String> real = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
      List<Pod> counted = new ArrayList<>(bound);
      plan.fitExisting().stream().filter(p -> real.contains(nodeName(p))).forEach(counted::add);
      ScaleDownPlanner.Verdict verdict = ScaleDownPlanner.evaluate(eligible, staying, counted, budgets,
          settings.scaleDownUtilizationThreshold());
      Set<String> removable = verdict.removable().stream().map(ScaleDownPlanner.Candidate::name).collect(Collectors.toSet());
      unneededSince.keySet().retainAll(removable);
      for (String name : removable) unneededSince.putIfAbsent(name, now);
      candidates = removable.size();
      boolean cooldown = scaledUp || !deleting.isEmpty() || !starting.isEmpty()
          || lastScaleUp.plus(settings.scaleDownDelayAfterAdd()).isAfter(now);
      if (!cooldown && active > group.minSize()) {
        for (ScaleDownPlanner.Candidate c : verdict.removable()) {
          Instant since = unneededSince.get(c.name());
          if (since != null && !since.plus(settings.scaleDownUnneededTime()).isAfter(now)) {
            remove(c);
            break;
          }
        }
      }
    }

    int clusterReady = (int) nodes.stream().filter(ScaleDownPlanner::ready).count();
    AutoscalerStatus.NodeCounts clusterCounts = new AutoscalerStatus.NodeCounts(nodes.size(), clusterReady, 0,
        leaving.size(), nodes.size() - clusterReady, starting.size());
    int groupReady = (int) groupNodes.stream().filter(ScaleDownPlanner::ready).count();
    AutoscalerStatus.NodeCounts groupCounts = new AutoscalerStatus.NodeCounts(groupNodes.size(), groupReady,
        notStarted.size(), leaving.size(), groupNodes.size() - groupReady - notStarted.size(), starting.size());
    String yaml = status.yaml(new AutoscalerStatus.Snapshot(group.id(), group.minSize(), group.maxSize(),
        target + plan.newNodes(), clusterCounts, groupCounts, scaleUpStatus, candidates), now);
    Duration next = settings.scanInterval();
    return scaleUp.exceptionally(e -> null).thenCompose(x -> writeStatus(yaml, now))
        .thenApply(x -> Result.requeueAfter(next));
  }

  /** Unneeded nodes and since when (for tests and the status). */
  Map<String, Instant> unneeded() {
    return Map.copyOf(unneededSince);
  }

  boolean removing(String node) {
    return deleting.contains(node);
  }

  // Scale-down actuation: taint, drain, stop, delete; runs beside the loop, which looks at it again when done.

  private void remove(ScaleDownPlanner.Candidate c) {
    String name = c.name();
    deleting.add(name);
    String pods = c.podsToMove().stream().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .collect(Collectors.joining(","));
    ScaleDownPlanner.Utilization u = c.utilization();
    statusEvent("Normal", c.podsToMove().isEmpty() ? "ScaleDownEmpty" : "ScaleDown", c.podsToMove().isEmpty()
        ? "Scale-down: removing empty node \"" + name + "\""
        : "Scale-down: removing node " + name + ", utilization: {" + u.cpu() + " " + u.memory() + " 0 "
            + (u.cpu() >= u.memory() ? "cpu" : "memory") + " " + u.max() + "}, pods to reschedule: " + pods);
    log.info("scale-down: removing node {} (utilization cpu {} memory {}), pods to reschedule: [{}]", name, u.cpu(),
        u.memory(), pods);
    Instant deadline = context.clock().instant().plus(settings.maxPodEvictionTime());
    taint(name, true)
        .thenRun(() -> nodeEvent(name, "Normal", "ScaleDown", "marked the node as toBeDeleted/unschedulable"))
        .thenCompose(x -> CompletableFuture.allOf(c.podsToMove().stream()
            .map(p -> evict(p, deadline).toCompletableFuture()).toArray(CompletableFuture[]::new)))
        .thenCompose(x -> until(() -> CompletableFuture.completedFuture(
            c.podsToMove().stream().noneMatch(p -> stillOn(p, name))), deadline.plus(Duration.ofSeconds(30))))
        .thenCompose(drained -> {
          if (!drained) throw new IllegalStateException("pods of node " + name + " did not leave within the eviction time");
          return group.deleteNode(name);
        })
        .thenCompose(x -> context.writer().delete(nodeType, null, name, DeleteOptions.defaults())
            .exceptionally(e -> ApiException.hasCode(ApiException.unwrap(e), 404) ? null : rethrow(e)))
        .whenComplete((x, error) -> {
          if (error == null) {
            nodeEvent(name, "Normal", "ScaleDown", "node removed by cluster autoscaler");
            if (c.podsToMove().isEmpty()) statusEvent("Normal", "ScaleDownEmpty", "Scale-down: empty node " + name + " removed");
            else statusEvent("Normal", "ScaleDown", "Scale-down: node " + name + " removed with drain");
            log.info("scale-down: node {} removed", name);
          } else {
            log.warn("scale-down of node {} failed: {}", name, ApiException.unwrap(error).getMessage());
            nodeEvent(name, "Warning", "ScaleDownFailed", "failed to drain the node, aborting ScaleDown");
            taint(name, false);
          }
          deleting.remove(name);
          unneededSince.remove(name);
          Queue q = queue;
          if (q != null) q.add(KEY);
        });
  }

  private boolean stillOn(Pod pod, String node) {
    Pod current = context.informers().pods().get(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    return current != null && Objects.equals(current.getMetadata().getUid(), pod.getMetadata().getUid())
        && node.equals(nodeName(current)) && !terminated(current);
  }

  /** Evicts the pod, retrying while its budget refuses, until the deadline. */
  private CompletionStage<Void> evict(Pod pod, Instant deadline) {
    podEvent(pod, "Normal", "ScaleDown", "deleting pod for node scale down");
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    return until(() -> context.writer().evict(pod, context.clock()).handle((ok, e) -> {
      if (e == null) return true;
      Throwable cause = ApiException.unwrap(e);
      // gone, or replaced by a pod of the same name (its uid no longer matches): nothing left to evict
      if (ApiException.hasCode(cause, 404) || ApiException.hasCode(cause, 409)) return true;
      log.debug("eviction of {}/{} refused ({}), retrying", ns, name, cause.getMessage());
      return false;
    }), deadline).thenAccept(evicted -> {
      if (!evicted) throw new IllegalStateException("could not evict pod " + ns + "/" + name);
    });
  }

  /** Tries the check again (every second, or eviction retry for evictions) until it holds or the deadline passes. */
  private CompletionStage<Boolean> until(Supplier<CompletionStage<Boolean>> check, Instant deadline) {
    return check.get().thenCompose(done -> {
      if (done) return CompletableFuture.completedFuture(true);
      if (context.clock().instant().isAfter(deadline)) return CompletableFuture.completedFuture(false);
      return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(x -> until(check, deadline));
    });
  }

  /** Puts the ToBeDeletedByClusterAutoscaler taint on the node (its value the time in Unix seconds), or takes it off. */
  private CompletionStage<ObjectNode> taint(String node, boolean on) {
    long seconds = context.clock().instant().getEpochSecond();
    return context.writer().guaranteedUpdate(nodeType, null, node, current -> {
      ObjectNode spec = current.with("spec");
      ArrayNode taints = Json.MAPPER.createArrayNode();
      for (JsonNode t : current.path("spec").path("taints")) {
        if (!ScaleDownPlanner.TO_BE_DELETED_TAINT.equals(t.path("key").asText())) taints.add(t);
      }
      if (on) {
        taints.addObject().put("key", ScaleDownPlanner.TO_BE_DELETED_TAINT).put("value", Long.toString(seconds))
            .put("effect", "NoSchedule");
      }
      if (taints.isEmpty()) spec.remove("taints");
      else spec.set("taints", taints);
      return current;
    }).exceptionally(e -> {
      if (on) return rethrow(e);
      log.debug("could not take the deletion taint off node {}: {}", node, e.getMessage());
      return null;
    });
  }

  private CompletionStage<Void> writeStatus(String yaml, Instant now) {
    String updated = AutoscalerStatus.goTime(now);
    return context.writer().guaranteedUpdate(configMapType, AutoscalerStatus.NAMESPACE, AutoscalerStatus.NAME, current -> {
      current.with("metadata").with("annotations").put(AutoscalerStatus.LAST_UPDATED, updated);
      current.with("data").put("status", yaml);
      return current;
    }).handle((ok, e) -> {
      if (e == null) return CompletableFuture.<Void>completedFuture(null);
      if (!ApiException.hasCode(ApiException.unwrap(e), 404)) {
        log.debug("could not write the status ConfigMap: {}", e.getMessage());
        return CompletableFuture.<Void>completedFuture(null);
      }
      ObjectNode cm = Json.object();
      cm.put("apiVersion", "v1").put("kind", "ConfigMap");
      ObjectNode meta = cm.putObject("metadata");
      meta.put("name", AutoscalerStatus.NAME).put("namespace", AutoscalerStatus.NAMESPACE);
      meta.putObject("annotations").put(AutoscalerStatus.LAST_UPDATED, updated);
      cm.putObject("data").put("status", yaml);
      return context.writer().create(configMapType, AutoscalerStatus.NAMESPACE, cm).handle((c, e2) -> (Void) null);
    }).thenCompose(x -> x);
  }

  private void podEvent(Pod pod, String type, String reason, String message) {
    context.events().record(Json.toTree(pod), type, reason, message, NAME, null);
  }

  private void nodeEvent(String node, String type, String reason, String message) {
    Node n = context.informers().nodes().get(node);
    ObjectNode ref = n != null ? Json.toTree(n) : Json.object();
    if (n == null) ref.put("apiVersion", "v1").put("kind", "Node").putObject("metadata").put("name", node);
    context.events().record(ref, type, reason, message, NAME, null);
  }

  private void statusEvent(String type, String reason, String message) {
    ObjectNode cm = context.fresh().get(configMapType, AutoscalerStatus.NAMESPACE, AutoscalerStatus.NAME);
    if (cm == null) {
      cm = Json.object();
      cm.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", AutoscalerStatus.NAME)
          .put("namespace", AutoscalerStatus.NAMESPACE);
    }
    context.events().record(cm, type, reason, message, NAME, null);
  }

  /** Pending with PodScheduled=False, reason Unschedulable, for the default scheduler, not being deleted. */
  static boolean unschedulable(Pod pod) {
    if (!nodeName(pod).isEmpty() || pod.getMetadata().getDeletionTimestamp() != null || terminated(pod)) return false;
    if (pod.getSpec() == null || !Scheduler.NAME.equals(Objects.requireNonNullElse(pod.getSpec().getSchedulerName(), Scheduler.NAME))) {
      return false;
    }
    return Pods.condition(pod, "PodScheduled")
        .map(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())).orElse(false);
  }

  private static String nodeName(Pod p) {
    return Objects.requireNonNullElse(Pods.nodeName(p), "");
  }

  private static boolean terminated(Pod p) {
    return Pods.isTerminal(p);
  }

  private static <T> T rethrow(Throwable e) {
    if (e instanceof RuntimeException r) throw r;
    throw new java.util.concurrent.CompletionException(e);
  }

  /** When the autoscaler started (the first scale-down waits the delay after add from then). */
  Instant started() {
    return started;
  }
}
