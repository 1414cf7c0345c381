package io.kubeactor.controlplane.controller.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.registry.PodConditions;
import io.kubeactor.controlplane.registry.PodDisruptionBudgets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's disruption controller (pkg/controller/disruption), one key per
 * PodDisruptionBudget: its status from the pods it selects — currentHealthy (Ready, not being
 * deleted, not just evicted), desiredHealthy and expectedPods from minAvailable or maxUnavailable
 * (numbers, or percentages of the pods' controllers' replicas, {@link ExpectedScale}),
 * disruptionsAllowed, observedGeneration and the DisruptionAllowed condition. Evictions recorded
 * in disruptedPods are forgotten once their pod goes or after 2 minutes. When the count cannot be
 * known the budget allows no disruption (failSafe, reason SyncFailed). Pods keys prefixed
 * {@value #STALE_POD_PREFIX} reset a DisruptionTarget condition left on a pod whose deletion never
 * came.
 */
public final class DisruptionController implements Reconciler {

  /** An eviction not followed by the pod's deletion within this is forgotten (DeletionTimeout). */
  static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
  static final Duration STALE_POD_DISRUPTION_TIMEOUT = Duration.ofMinutes(2);
  static final String STALE_POD_PREFIX = "stale-pod-disruption:";
  /** The event source upstream's disruption controller records with. */
  static final String COMPONENT = "controllermanager";

  private final ControllerContext context;
  private final Informer<PodDisruptionBudget> budgets;
  private final Informer<Pod> pods;
  private final ExpectedScale scale;

  public DisruptionController(ControllerContext context) {
    this.context = context;
    this.budgets = context.informers().of(PodDisruptionBudget.class);
    this.pods = context.informers().pods();
    this.scale = new ExpectedScale(context.informers());
  }

  @Override
  public String name() {
    return "disruption-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(budgets, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(pods, e -> {
      Set<String> keys = new LinkedHashSet<>();
      List<PodDisruptionBudget> matching = budgetsOf(e.object());
      matching.forEach(b -> keys.add(Informer.keyOf(b)));
      if (e.previous() != null) budgetsOf(e.previous()).forEach(b -> keys.add(Informer.keyOf(b)));
      if (e.type() == Informer.EventType.ADDED && matching.size() > 1) {
        Pod p = e.object();
        context.events().record(Json.toTree(p), "Warning", "MultiplePodDisruptionBudgets",
            "Pod \"" + p.getMetadata().getNamespace() + "\"/\"" + p.getMetadata().getName()
                + "\" matches multiple PodDisruptionBudgets.  Chose \"" + matching.get(0).getMetadata().getName()
                + "\" arbitrarily.", COMPONENT, null);
      }
      if (e.type() != Informer.EventType.DELETED && staleDisruptionIn(e.object()).isPresent()) {
        keys.add(STALE_POD_PREFIX + Informer.keyOf(e.object()));
      }
      return keys;
    });
  }

  @Override
  public Collection<String> keys() {
    List<String> keys = new ArrayList<>(budgets.list().stream().map(Informer::keyOf).toList());
    for (Pod p : pods.list()) {
      if (staleDisruptionIn(p).isPresent()) keys.add(STALE_POD_PREFIX + Informer.keyOf(p));
    }
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    if (key.startsWith(STALE_POD_PREFIX)) return resetStaleDisruption(key.substring(STALE_POD_PREFIX.length()));
    PodDisruptionBudget pdb = budgets.get(key);
    if (pdb == null) return CompletableFuture.completedFuture(Result.done());
    try {
      return trySync(pdb);
    } catch (ExpectedScale.NotFound | IllegalArgumentException e) {
      event(pdb, "Warning", "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: " + e.getMessage());
      return failSafe(pdb, e.getMessage());
    }
  }

  /** The budgets whose selector (policy/v1: an empty one selects every pod of the namespace) picks the pod. */
  private List<PodDisruptionBudget> budgetsOf(Pod pod) {
    List<PodDisruptionBudget> out = new ArrayList<>();
    for (PodDisruptionBudget b : budgets.list(pod.getMetadata().getNamespace())) {
      if (selector(b).map(s -> s.matches(PodControl.labels(pod))).orElse(false)) out.add(b);
    }
    return out;
  }

  private static Optional<LabelSelector> selector(PodDisruptionBudget pdb) {
    try {
      return Optional.of(LabelSelector.fromJson(Json.toTree(pdb).path("spec").get("selector")));
    } catch (ApiException e) {
      return Optional.empty();
    }
  }

  private CompletionStage<Result> trySync(PodDisruptionBudget pdb) {
    List<Pod> selected = selector(pdb).map(s -> pods.list(pdb.getMetadata().getNamespace()).stream()
        .filter(p -> s.matches(PodControl.labels(p))).toList()).orElse(List.of());
    int expectedCount;
    int desiredHealthy = 0;
    List<String> unmanaged = List.of();
    IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
    IntOrString minAvailable = pdb.getSpec().getMinAvailable();
    if (maxUnavailable != null) {
      ExpectedScale.Scale s = scale.of(selected);
      expectedCount = s.expectedCount();
      unmanaged = s.unmanaged();
      desiredHealthy = Math.max(0, expectedCount - scaled(maxUnavailable, expectedCount));
    } else if (minAvailable != null && minAvailable.getIntVal() != null) {
      desiredHealthy = minAvailable.getIntVal();
      expectedCount = selected.size();
    } else if (minAvailable != null) {
      ExpectedScale.Scale s = scale.of(selected);
      expectedCount = s.expectedCount();
      unmanaged = s.unmanaged();
      desiredHealthy = scaled(minAvailable, expectedCount);
    } else {
      expectedCount = 0;
    }

    Instant now = context.clock().instant();
    Map<String, String> disrupted = new TreeMap<>();
    Instant recheck = null;
    Map<String, String> recorded = pdb.getStatus() == null || pdb.getStatus().getDisruptedPods() == null
        ? Map.of() : pdb.getStatus().getDisruptedPods();
    for (Pod p : selected) {
      String at = recorded.get(p.getMetadata().getName());
      if (p.getMetadata().getDeletionTimestamp() != null || at == null) continue;
      Instant expectedDeletion = Instant.parse(at).plus(DELETION_TIMEOUT);
      if (expectedDeletion.isBefore(now)) {
        // upstream names the budget by its namespace twice
        context.events().record(Json.toTree(p), "Warning", "NotDeleted", "Pod was expected by PDB "
            + pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getNamespace() + " to be deleted but it wasn't",
            COMPONENT, null);
      } else {
        disrupted.put(p.getMetadata().getName(), at);
        if (recheck == null || expectedDeletion.isBefore(recheck)) recheck = expectedDeletion;
      }
    }
    int currentHealthy = 0;
    for (Pod p : selected) {
      if (p.getMetadata().getDeletionTimestamp() != null || disrupted.containsKey(p.getMetadata().getName())) continue;
      if (Pods.isReady(p)) currentHealthy++;
    }
    int allowed = expectedCount <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);

    Result result = recheck == null ? Result.done() : Result.requeueAfter(Duration.between(now, recheck));
    ObjectNode json = Json.toTree(pdb);
    JsonNode old = json.path("status");
    long generation = json.path("metadata").path("generation").asLong(0);
    boolean same = old.path("currentHealthy").asInt(0) == currentHealthy
        && old.path("desiredHealthy").asInt(0) == desiredHealthy
        && old.path("expectedPods").asInt(0) == expectedCount
        && old.path("disruptionsAllowed").asInt(0) == allowed
        && recorded.equals(disrupted)
        && old.path("observedGeneration").asLong(0) == generation
        && PodDisruptionBudgets.conditionsUpToDate(json);
    if (same) return CompletableFuture.completedFuture(result);

    if (selected.isEmpty()) event(pdb, "Normal", "NoPods", "No matching pods found");
    if (!unmanaged.isEmpty()) {
      event(pdb, "Warning", "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: "
          + GoLabelSelector.format(json.path("spec").get("selector")) + ") were found to be unmanaged. As a result, the status of "
          + "the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please "
          + "set \".spec.minAvailable\" field of the PDB to an integer value.");
    }
    ObjectNode status = Json.object();
    if (generation != 0) status.put("observedGeneration", generation);
    if (!disrupted.isEmpty()) {
      ObjectNode d = status.putObject("disruptedPods");
      disrupted.forEach(d::put);
    }
    status.put("disruptionsAllowed", allowed).put("currentHealthy", currentHealthy).put("desiredHealthy", desiredHealthy)
        .put("expectedPods", expectedCount);
    status.set("conditions", old.path("conditions").isArray() ? old.get("conditions").deepCopy() : Json.MAPPER.createArrayNode());
    PodDisruptionBudgets.updateDisruptionAllowed(status, now);
    json.set("status", status);
    return context.writer().updateStatus(Json.fromTree(json, PodDisruptionBudget.class)).thenApply(x -> result);
  }

  /** Nothing may be disrupted while the budget cannot be computed (DisruptionAllowed False, SyncFailed). */
  private CompletionStage<Result> failSafe(PodDisruptionBudget pdb, String message) {
    ObjectNode json = Json.toTree(pdb);
    ObjectNode status = json.withObjectProperty("status");
    status.put("disruptionsAllowed", 0);
    PodDisruptionBudgets.setCondition(status, PodDisruptionBudgets.DISRUPTION_ALLOWED, "False", PodDisruptionBudgets.SYNC_FAILED,
        message, status.path("observedGeneration").asLong(0), context.clock().instant());
    if (json.equals(Json.toTree(pdb))) return CompletableFuture.completedFuture(Result.done());
    return context.writer().updateStatus(Json.fromTree(json, PodDisruptionBudget.class)).thenApply(x -> Result.done());
  }

  /** GetScaledValueFromIntOrPercent, rounding up. */
  static int scaled(IntOrString value, int total) {
    if (value.getIntVal() != null) return value.getIntVal();
    String s = value.getStrVal() == null ? "" : value.getStrVal();
    if (!s.endsWith("%")) throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
    int percent;
    try {
      percent = Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + s + "\": " + e.getMessage());
    }
    return (int) Math.ceil(percent * (double) total / 100);
  }

  /**
   * A DisruptionTarget condition (not the kubelet's) on a pod that is neither being deleted nor
   * finished, set 2 minutes ago or more: the deletion it announced did not come (e.g. the eviction
   * failed after setting it). Empty when the pod has none.
   */
  private Optional<Instant> staleDisruptionIn(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || Pods.isTerminal(pod)) return Optional.empty();
    Optional<PodCondition> c = Pods.condition(pod, PodConditions.DISRUPTION_TARGET);
    if (c.isEmpty() || !"True".equals(c.get().getStatus()) || "TerminationByKubelet".equals(c.get().getReason())
        || c.get().getLastTransitionTime() == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.parse(c.get().getLastTransitionTime()).plus(STALE_POD_DISRUPTION_TIMEOUT));
  }

  private CompletionStage<Result> resetStaleDisruption(String podKey) {
    Pod pod = pods.get(podKey);
    Optional<Instant> staleAt = pod == null ? Optional.empty() : staleDisruptionIn(pod);
    if (staleAt.isEmpty()) return CompletableFuture.completedFuture(Result.done());
    Instant now = context.clock().instant();
    if (now.isBefore(staleAt.get())) {
      return CompletableFuture.completedFuture(Result.requeueAfter(Duration.between(now, staleAt.get())));
    }
    ObjectNode json = Json.toTree(pod);
    PodConditions.set(json, PodConditions.DISRUPTION_TARGET, "False", null, null, now);
    return context.writer().updateStatus(Json.fromTree(json, Pod.class)).thenApply(x -> Result.done());
  }

  private void event(PodDisruptionBudget pdb, String type, String reason, String message) {
    context.events().record(Json.toTree(pdb), type, reason, message, COMPONENT, null);
  }
}
