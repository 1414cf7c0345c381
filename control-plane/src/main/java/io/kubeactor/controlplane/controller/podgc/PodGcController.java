package io.kubeactor.controlplane.controller.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.controller.nodelifecycle.NodeTaints;
import io.kubeactor.controlplane.registry.PodConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
 * kube-controller-manager's pod garbage collector (pkg/controller/podgc), one pass over all pods
 * every 20 s and when a node goes: force-deletes (grace 0, after marking them Failed) the pods bound
 * to a node that no longer exists (once it has been gone for the 40 s quarantine, e.g. after
 * {@code kubeactor node rm}), the terminating pods of a not-Ready node an administrator tainted
 * node.kubernetes.io/out-of-service, terminating pods never bound to a node, and the oldest
 * finished pods beyond the threshold (--terminated-pod-gc-threshold, 12500).
 */
public final class PodGcController implements Reconciler {

  private static final Logger log = LoggerFactory.getLogger(PodGcController.class);

  /** The controller's one key: every pass looks at every pod. */
  static final String KEY = "pods";
  static final int TERMINATED_POD_THRESHOLD = 12500;
  static final Duration GC_CHECK_PERIOD = Duration.ofSeconds(20);
  /** How long a node must have been gone before its pods are (upstream's quarantineTime). */
  static final Duration QUARANTINE = Duration.ofSeconds(40);

  private final ControllerContext context;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final ResourceType podType;
  private final ResourceType nodeType;
  private final int terminatedThreshold;
  /** Nodes that pods are bound to but that do not exist, since when they were found missing. */
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

  public PodGcController(ControllerContext context) {
    this(context, TERMINATED_POD_THRESHOLD);
  }

  /** With another threshold of finished pods (0: keep them all). */
  public PodGcController(ControllerContext context, int terminatedThreshold) {
    this.context = context;
    this.pods = context.informers().pods();
    this.nodes = context.informers().nodes();
    this.podType = context.informers().typeOf(Pod.class);
    this.nodeType = context.informers().typeOf(Node.class);
    this.terminatedThreshold = terminatedThreshold;
  }

  @Override
  public String name() {
    return "pod-garbage-collector-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(nodes, e -> e.type() == Informer.EventType.DELETED || NodeTaints.taints(e.object()).stream()
        .anyMatch(t -> NodeTaints.OUT_OF_SERVICE.equals(t.getKey())) ? List.of(KEY) : List.of());
    queue.watch(pods, e -> {
      if (e.type() == Informer.EventType.DELETED) return List.of();
      Pod p = e.object();
      Pod before = e.previous();
      boolean finished = Pods.isTerminal(p) && (before == null || !Pods.isTerminal(before));
      boolean deleting = p.getMetadata().getDeletionTimestamp() != null
          && (before == null || before.getMetadata().getDeletionTimestamp() == null);
      String node = Pods.nodeName(p);
      boolean orphan = node != null && !node.isEmpty() && nodes.get(node) == null
          && (before == null || !Objects.equals(node, Pods.nodeName(before)));
      return (finished && terminatedThreshold > 0) || deleting || orphan ? List.of(KEY) : List.of();
    });
  }

  @Override
  public List<String> keys() {
    return List.of(KEY);
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Instant now = context.clock().instant();
    List<Pod> all = pods.list();
    List<CompletableFuture<?>> deletions = new ArrayList<>();
    gcTerminated(all).forEach(p -> deletions.add(forceDelete(p, null, null, now)));
    for (Pod p : all) {
      if (p.getMetadata().getDeletionTimestamp() == null || Pods.isTerminal(p)) continue;
      String nodeName = Pods.nodeName(p);
      if (nodeName == null || nodeName.isEmpty()) {
        deletions.add(forceDelete(p, null, null, now)); // gcUnscheduledTerminating
      } else if (outOfService(nodes.get(nodeName))) {
        deletions.add(forceDelete(p, null, null, now)); // gcTerminating
      }
    }
    Result result = Result.requeueAfter(GC_CHECK_PERIOD);
    Set<String> missing = new HashSet<>();
    for (Pod p : all) {
      String nodeName = Pods.nodeName(p);
      if (nodeName == null || nodeName.isEmpty() || nodes.get(nodeName) != null) continue;
      missing.add(nodeName);
      Instant since = missingSince.computeIfAbsent(nodeName, n -> now);
      Instant due = since.plus(QUARANTINE);
      if (now.isBefore(due)) {
        result = result.sooner(Result.requeueAfter(Duration.between(now, due)));
      } else if (gone(nodeName)) {
        deletions.add(forceDelete(p, "DeletionByPodGC", "PodGC: node no longer exists", now)); // gcOrphaned
      }
    }
    missingSince.keySet().retainAll(missing);
    Result r = result;
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(x -> r);
  }

  /** Whether pods bound to the node wait for its quarantine to end; for tests. */
  boolean quarantined(String nodeName) {
    return missingSince.containsKey(nodeName);
  }

  /** The finished pods beyond the threshold: evicted ones first, then the oldest. */
  private List<Pod> gcTerminated(List<Pod> all) {
    if (terminatedThreshold <= 0) return List.of();
    List<Pod> terminated = new ArrayList<>(all.stream().filter(Pods::isTerminal).toList());
    int excess = terminated.size() - terminatedThreshold;
    if (excess <= 0) return List.of();
    terminated.sort(Comparator.comparing((Pod p) -> !evicted(p))
        .thenComparing(p -> Instant.parse(p.getMetadata().getCreationTimestamp()))
        .thenComparing(p -> p.getMetadata().getName()));
    log.info("garbage collecting {} terminated pods", excess);
    return terminated.subList(0, excess);
  }

  private static boolean evicted(Pod p) {
    return "Failed".equals(p.getStatus().getPhase()) && "Evicted".equals(p.getStatus().getReason());
  }

  /** HasOutOfServiceTaint on a node that is not Ready. */
  private static boolean outOfService(Node node) {
    if (node == null) return false;
    boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return !ready && NodeTaints.taints(node).stream().anyMatch(t -> NodeTaints.OUT_OF_SERVICE.equals(t.getKey()));
  }

  /** The node is not in the store now either (upstream asks the API server before deleting). */
  private boolean gone(String nodeName) {
    return !context.fresh().exists(nodeType, null, nodeName);
  }

  /**
   * markFailedAndDeletePod: a pod not finished yet is marked Failed (with the condition, if any) so
   * that it never shows Running again, then deleted with no grace period.
   */
  private CompletableFuture<?> forceDelete(Pod pod, String reason, String message, Instant now) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    log.info("PodGC is force deleting Pod {}/{}", ns, name);
    CompletionStage<?> failed = Pods.isTerminal(pod) ? CompletableFuture.completedFuture(null)
        : context.writer().guaranteedSubresourceUpdate(podType, ns, name, "status", current -> {
          if (!uid.equals(current.path("metadata").path("uid").asText())) throw ApiException.notFound("", "pods", name);
          current.withObjectProperty("status").put("phase", "Failed");
          if (reason != null) PodConditions.set(current, PodConditions.DISRUPTION_TARGET, "True", reason, message, now);
          return current;
        });
    return failed.thenCompose(x -> context.writer().delete(podType, ns, name, new DeleteOptions(0L, null, uid, null, false)))
        .handle((x, e) -> {
          if (e == null || notFound(e)) return null;
          throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        }).toCompletableFuture();
  }

  private static boolean notFound(Throwable e) {
    return ApiException.hasCode(e, 404);
  }
}
