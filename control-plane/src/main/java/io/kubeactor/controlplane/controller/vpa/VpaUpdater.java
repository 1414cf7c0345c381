package io.kubeactor.controlplane.controller.vpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.api.vpa.VpaPolicy;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VPA updater (upstream's pkg/updater), one key per VerticalPodAutoscaler in mode Recreate,
 * Auto or InPlaceOrRecreate, every updater interval: a running pod of the target whose requests
 * are outside its recommended [lowerBound, upperBound] (or, after living the update threshold,
 * more than 10% off the target) is evicted through the eviction API, so its PodDisruptionBudgets
 * hold, and its controller recreates it with the recommendation, which admission sets. Per
 * controller, not more than the eviction tolerance of its replicas go at once (one, if the
 * tolerance rounds to none and all run), and none while fewer than minReplicas run. Modes Off and
 * Initial never evict. InPlaceOrRecreate (upstream's in-place updater, VPA 1.4) first resizes such a
 * pod in place: its containers get the requests and limits admission would give them through
 * pods/resize, and the node's agent applies them to the running containers; a pod whose resize is
 * refused, fails on its node, or does not run with the new resources within the in-place resize
 * timeout is evicted instead.
 */
public final class VpaUpdater implements Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(VpaUpdater.class);
  static final String COMPONENT = "vpa-updater";
  /** Within the range, a change smaller than this fraction of the request is not worth a restart. */
  static final double MIN_CHANGE_PRIORITY = 0.1;

  private final ControllerContext context;
  private final VpaSettings settings;
  private final Informer<VerticalPodAutoscaler> vpas;
  private final VpaTargets targets;
  /** The pods (by uid) resized in place and not yet seen running with their new resources. */
  private final Map<String, Resize> resizing = new ConcurrentHashMap<>();

  /** An in-place resize this updater asked for: of which VPA's pod, and when. */
  private record Resize(String vpaKey, Instant at) {}

  public VpaUpdater(ControllerContext context) {
    this.context = context;
    this.settings = context.settings().vpa();
    this.vpas = context.informers().of(VerticalPodAutoscaler.class);
    this.targets = new VpaTargets(context.informers());
  }

  @Override
  public String name() {
    return "vpa-updater";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(vpas, e -> List.of(Informer.keyOf(e.object())));
  }

  @Override
  public Collection<String> keys() {
    return vpas.list().stream().map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    VerticalPodAutoscaler vpa = vpas.get(key);
    if (vpa == null) return CompletableFuture.completedFuture(Result.done());
    JsonNode json = Json.toTree(vpa);
    if (!VpaPolicy.evicts(VpaPolicy.updateMode(json))) return CompletableFuture.completedFuture(Result.done());
    Result next = Result.requeueAfter(settings.updaterInterval());
    JsonNode recommendations = json.path("status").path("recommendation").path("containerRecommendations");
    if (recommendations.size() == 0) return CompletableFuture.completedFuture(next);
    LabelSelector selector;
    try {
      selector = targets.selector(vpa);
    } catch (VpaTargets.Unreadable e) {
      return CompletableFuture.completedFuture(next);
    }
    Instant now = context.clock().instant();
    int minReplicas = vpa.getSpec().getUpdatePolicy() != null && vpa.getSpec().getUpdatePolicy().getMinReplicas() != null
        ? vpa.getSpec().getUpdatePolicy().getMinReplicas() : settings.minReplicas();

    boolean inPlace = VpaPolicy.updateMode(json).equals("InPlaceOrRecreate");
    Map<String, Group> groups = new LinkedHashMap<>();
    List<Pod> candidates = new ArrayList<>();
    Set<String> resizeFailed = new java.util.HashSet<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Pod pod : targets.pods(vpa, selector)) {
      Optional<OwnerReference> owner = OwnerReferences.controllerOf(pod);
      if (owner.isEmpty()) continue; // nothing would recreate it
      Group g = groups.computeIfAbsent(owner.get().getUid(), u -> new Group(configuredReplicas(pod, owner.get())));
      boolean running = "Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase());
      if (running) g.running++;
      String uid = pod.getMetadata().getUid();
      seen.add(uid);
      Resize resize = resizing.get(uid);
      if (running && resize != null) {
        // a resize under way: done, still waited for, or failed (then the pod is evicted)
        ResizeOutcome outcome = resizeOutcome(pod, resize.at(), now);
        if (outcome == ResizeOutcome.DONE) {
          resizing.remove(uid);
        } else {
          if (outcome == ResizeOutcome.FAILED) {
            resizeFailed.add(uid);
            candidates.add(pod);
          }
          continue;
        }
      }
      if (running && shouldUpdate(pod, json, now)) candidates.add(pod);
    }
    resizing.entrySet().removeIf(e -> e.getValue().vpaKey().equals(key) && !seen.contains(e.getKey()));
    List<CompletableFuture<Void>> evictions = new ArrayList<>();
    for (Pod pod : candidates) {
      Group g = groups.get(OwnerReferences.controllerOf(pod).orElseThrow().getUid());
      if (g.running < minReplicas) {
        LOG.debug("too few replicas of {}'s controller: {} running, {} needed", pod.getMetadata().getName(), g.running, minReplicas);
        continue;
      }
      if (!g.canEvict(settings.evictionTolerance())) continue;
      g.evicted++;
      boolean resize = inPlace && !resizeFailed.contains(pod.getMetadata().getUid());
      evictions.add(resize ? resizeOrEvict(key, vpa, json, pod, now) : evict(vpa, json, pod));
    }
    return CompletableFuture.allOf(evictions.toArray(CompletableFuture[]::new)).thenApply(x -> next);
  }

  /** One controller's pods: its configured replicas, those running, those evicted in this pass. */
  private static final class Group {
    final int configured;
    int running;
    int evicted;

    Group(int configured) {
      this.configured = configured;
    }

    /** podsEvictionRestriction.CanEvict. */
    boolean canEvict(double toleranceFraction) {
      int configuredOrRunning = configured > 0 ? configured : running;
      int tolerance = (int) (configuredOrRunning * toleranceFraction);
      int shouldBeAlive = configuredOrRunning - tolerance;
      if (running - evicted > shouldBeAlive) return true;
      return running == configuredOrRunning && tolerance == 0 && evicted == 0;
    }
  }

  /** The replicas the pod's controller asks for (spec.replicas), or 0 when it has none (a DaemonSet). */
  private int configuredReplicas(Pod pod, OwnerReference owner) {
    return targets.object(owner.getApiVersion(), owner.getKind(), pod.getMetadata().getNamespace(), owner.getName())
        .map(controller -> Json.toTree(controller).path("spec").path("replicas").asInt(0)).orElse(0);
  }

  /**
   * The priority calculator's verdict: a request outside the recommended range, or, for a pod older
   * than the update threshold, requests more than 10% off the target in total.
   */
  private boolean shouldUpdate(Pod pod, JsonNode vpa, Instant now) {
    boolean outsideRange = false;
    double diff = 0;
    for (Container c : pod.getSpec().getContainers()) {
      JsonNode r = VpaPolicy.recommendationOf(vpa, c.getName());
      if (r == null || !VpaPolicy.scaled(VpaPolicy.containerPolicy(vpa, c.getName()))) continue;
      JsonNode requests = Json.toTree(c).path("resources").path("requests");
      for (Map.Entry<String, Long> target : VpaPolicy.amounts(r.path("target")).entrySet()) {
        String resource = target.getKey();
        long request = Math.max(0, VpaPolicy.amount(resource, requests.get(resource)));
        long lower = VpaPolicy.amount(resource, r.path("lowerBound").get(resource));
        long upper = VpaPolicy.amount(resource, r.path("upperBound").get(resource));
        if ((lower >= 0 && request < lower) || (upper >= 0 && request > upper)) outsideRange = true;
        if (request > 0) diff += Math.abs(target.getValue() - request) / (double) request;
      }
    }
    if (outsideRange) return true;
    String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    boolean old = started != null && Instant.parse(started).plus(settings.podLifetimeUpdateThreshold()).isBefore(now);
    return old && diff > MIN_CHANGE_PRIORITY;
  }

  /** Where an in-place resize stands, from the pod's status as its agent reports it. */
  enum ResizeOutcome { DONE, WAITING, FAILED }

  /**
   * DONE when every container runs with its spec's cpu and memory (status.containerStatuses[].resources)
   * and no resize condition holds; FAILED when the node refuses it (PodResizePending with reason
   * Infeasible, PodResizeInProgress with reason Error) or it is not done within the timeout.
   */
  private ResizeOutcome resizeOutcome(Pod pod, Instant asked, Instant now) {
    JsonNode json = Json.toTree(pod);
    boolean pending = false;
    for (JsonNode c : json.path("status").path("conditions")) {
      String type = c.path("type").asText();
      String reason = c.path("reason").asText();
      if (!type.equals("PodResizePending") && !type.equals("PodResizeInProgress")) continue;
      if (!c.path("status").asText().equals("True")) continue;
      if (reason.equals("Infeasible") || reason.equals("Error")) return ResizeOutcome.FAILED;
      pending = true;
    }
    if (!pending && runsWithSpecResources(json)) return ResizeOutcome.DONE;
    return asked.plus(settings.inPlaceResizeTimeout()).isBefore(now) ? ResizeOutcome.FAILED : ResizeOutcome.WAITING;
  }

  /** Whether each container's applied cpu and memory requests and limits are its spec's. */
  private static boolean runsWithSpecResources(JsonNode pod) {
    Map<String, JsonNode> applied = new java.util.HashMap<>();
    for (JsonNode s : pod.path("status").path("containerStatuses")) applied.put(s.path("name").asText(), s.path("resources"));
    for (JsonNode c : pod.path("spec").path("containers")) {
      JsonNode now = applied.get(c.path("name").asText());
      if (now == null) return false;
      for (String list : List.of("requests", "limits")) {
        Map<String, Long> wanted = VpaPolicy.amounts(c.path("resources").path(list));
        Map<String, Long> got = VpaPolicy.amounts(now.path(list));
        for (String resource : List.of(VpaPolicy.CPU, VpaPolicy.MEMORY)) {
          if (!java.util.Objects.equals(wanted.get(resource), got.get(resource))) return false;
        }
      }
    }
    return true;
  }

  /**
   * The pod's scaled containers with the requests and limits admission would give them, as a
   * strategic merge patch of pods/resize; null if none changes.
   */
  static ObjectNode resizePatch(Pod pod, JsonNode vpa) {
    ObjectNode patch = Json.object();
    ArrayNode containers = patch.putObject("spec").putArray("containers");
    for (Container c : pod.getSpec().getContainers()) {
      JsonNode policy = VpaPolicy.containerPolicy(vpa, c.getName());
      JsonNode recommendation = VpaPolicy.recommendationOf(vpa, c.getName());
      if (recommendation == null || !VpaPolicy.scaled(policy)) continue;
      ObjectNode container = Json.toTree(c);
      JsonNode before = container.path("resources").deepCopy();
      VpaPolicy.setResources(container, policy, recommendation);
      if (container.path("resources").equals(before)) continue;
      containers.addObject().put("name", c.getName()).set("resources", container.get("resources"));
    }
    return containers.isEmpty() ? null : patch;
  }

  /** The in-place update (upstream's InPlaceUpdate); a refused resize falls back to eviction. */
  private CompletableFuture<Void> resizeOrEvict(String vpaKey, VerticalPodAutoscaler vpa, JsonNode vpaJson, Pod pod,
      Instant now) {
    ObjectNode patch = resizePatch(pod, vpaJson);
    if (patch == null) return evict(vpa, vpaJson, pod);
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    return context.writer().resize(namespace, name, patch).handle((resized, e) -> {
      if (e != null) {
        LOG.debug("resizing {}/{} in place was refused, evicting it: {}", namespace, name, ApiException.unwrap(e).toString());
        return evict(vpa, vpaJson, pod);
      }
      resizing.put(pod.getMetadata().getUid(), new Resize(vpaKey, now));
      context.events().record(Json.toTree(pod), "Normal", "InPlaceResizedByVPA",
          "Pod was resized in place by VPA Updater.", COMPONENT, null);
      return CompletableFuture.<Void>completedFuture(null);
    }).thenCompose(f -> f).toCompletableFuture();
  }

  private CompletableFuture<Void> evict(VerticalPodAutoscaler vpa, JsonNode vpaJson, Pod pod) {
    return context.writer().evict(pod, context.clock()).handle((x, e) -> {
      if (e != null) {
        // a budget that allows no disruption now (429) is waited out; the next pass tries again
        Throwable cause = ApiException.unwrap(e);
        LOG.debug("evicting {}/{} failed: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), cause.toString());
        return (Void) null;
      }
      context.events().record(Json.toTree(pod), "Normal", "EvictedByVPA",
          "Pod was evicted by VPA Updater to apply resource recommendation.", COMPONENT, null);
      context.events().record(vpaJson, "Normal", "EvictedPod",
          "VPA Updater evicted Pod " + pod.getMetadata().getName() + " to apply resource recommendation.", COMPONENT, null);
      return (Void) null;
    }).toCompletableFuture();
  }
}
