package io.kubeactor.controlplane.controller.vpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscalerCheckpoint;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.api.vpa.VpaPolicy;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.MetricsClient;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The VPA recommender (upstream's pkg/recommender), one key per VerticalPodAutoscaler, reconciled
 * every recommender interval: samples the usage of the target's pods from the resource metrics
 * API into per-container decaying histograms ({@link AggregateContainerState}), computes target,
 * lower and upper bound ({@link PodResourceRecommender}), caps them to the container policies
 * (uncappedTarget keeps the raw target), and writes status.recommendation and the conditions
 * (RecommendationProvided, NoPodsMatched, ConfigUnsupported) through the status subresource when
 * they change. A resource that an HPA scales the same target on is left out of the recommendation,
 * so neither admission nor the updater acts on it, and said so with a ConfigUnsupported condition
 * and a Warning event. The history is kept in VerticalPodAutoscalerCheckpoints ({@link
 * VpaCheckpoints}) as it grows and read back when the recommender starts.
 */
public final class VpaRecommender implements Reconciler {

  static final String COMPONENT = "vpa-recommender";
  static final String RECOMMENDATION_PROVIDED = "RecommendationProvided";
  static final String NO_PODS_MATCHED = "NoPodsMatched";
  static final String CONFIG_UNSUPPORTED = "ConfigUnsupported";
  /** The reason of a ConfigUnsupported condition (and its event) for an HPA on the same target and resource. */
  static final String HPA_CONFLICT = "HorizontalPodAutoscalerConflict";

  /** One VPA's history: an aggregate per container name, fed by a state per pod container. */
  private static final class History {
    final String uid;
    final Map<String, AggregateContainerState> aggregates = new TreeMap<>();
    final Map<String, ContainerState> containers = new HashMap<>();
    /** Whether samples came since the checkpoints were last written. */
    boolean grown;

    History(String uid) {
      this.uid = uid;
    }
  }

  private final ControllerContext context;
  private final VpaSettings settings;
  private final Informer<VerticalPodAutoscaler> vpas;
  private final Informer<VerticalPodAutoscalerCheckpoint> checkpoints;
  private final VpaTargets targets;
  private final PodResourceRecommender recommender;
  /** Only touched in reconcile, which runs on the controller's actor. */
  private final Map<String, History> histories = new HashMap<>();

  public VpaRecommender(ControllerContext context) {
    this.context = context;
    this.settings = context.settings().vpa();
    this.vpas = context.informers().of(VerticalPodAutoscaler.class);
    this.checkpoints = context.informers().of(VerticalPodAutoscalerCheckpoint.class);
    this.targets = new VpaTargets(context.informers());
    this.recommender = new PodResourceRecommender(settings.confidenceInterval());
  }

  @Override
  public String name() {
    return "vpa-recommender";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(vpas, e -> List.of(Informer.keyOf(e.object())));
    // an HPA that appears or goes changes what the VPAs of its namespace may act on
    queue.watch(targets.autoscalers(), e -> vpas.list(e.object().getMetadata().getNamespace()).stream()
        .map(Informer::keyOf).toList());
  }

  @Override
  public Collection<String> keys() {
    return vpas.list().stream().map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    VerticalPodAutoscaler vpa = vpas.get(key);
    if (vpa == null) {
      histories.remove(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    Result next = Result.requeueAfter(settings.recommenderInterval());
    History known = histories.get(key);
    if (known == null || !known.uid.equals(vpa.getMetadata().getUid())) {
      known = new History(vpa.getMetadata().getUid());
      histories.put(key, known);
      restore(vpa, known);
    }
    History history = known;
    ObjectNode json = Json.toTree(vpa);
    JsonNode oldStatus = json.path("status");
    Map<String, ObjectNode> conditions = new TreeMap<>();
    for (JsonNode c : oldStatus.path("conditions")) conditions.put(c.path("type").asText(), (ObjectNode) c.deepCopy());
    Instant now = context.clock().instant();

    LabelSelector selector;
    try {
      selector = targets.selector(vpa);
    } catch (VpaTargets.Unreadable e) {
      setCondition(conditions, CONFIG_UNSUPPORTED, true, "", "Cannot read targetRef. Reason: " + e.getMessage(), now);
      setCondition(conditions, RECOMMENDATION_PROVIDED, oldStatus.path("recommendation").path("containerRecommendations").size() > 0,
          "", "", now);
      return writeStatus(vpa, json, oldStatus.get("recommendation"), conditions, Result.done())
          .thenApply(x -> next);
    }
    List<Pod> pods = targets.pods(vpa, selector);
    sample(history, pods);

    List<VpaTargets.Conflict> conflicts = targets.conflicts(vpa);
    Set<String> conflicted = conflicts.stream().map(VpaTargets.Conflict::resource).collect(Collectors.toSet());
    Map<String, AggregateContainerState> recommended = new TreeMap<>();
    Map<String, List<String>> controlled = new HashMap<>();
    history.aggregates.forEach((container, aggregate) -> {
      JsonNode policy = VpaPolicy.containerPolicy(json, container);
      if (!VpaPolicy.scaled(policy) || aggregate.totalSamplesCount() == 0) return;
      List<String> resources = new ArrayList<>(VpaPolicy.controlledResources(policy));
      resources.removeAll(conflicted);
      recommended.put(container, aggregate);
      controlled.put(container, resources);
    });
    Map<String, PodResourceRecommender.Recommendation> recommendations = recommender.recommend(recommended, controlled);

    // as upstream: a VPA without a recommendation for any container (no samples yet, all Off) has none
    JsonNode recommendation = statusOf(json, recommendations);
    boolean provided = recommendation != null && recommendation.path("containerRecommendations").size() > 0;
    if (pods.isEmpty()) {
      setCondition(conditions, NO_PODS_MATCHED, true, NO_PODS_MATCHED, "No pods match this VPA object", now);
    } else {
      conditions.remove(NO_PODS_MATCHED);
    }
    setCondition(conditions, RECOMMENDATION_PROVIDED, provided, provided || !pods.isEmpty() ? "" : NO_PODS_MATCHED,
        provided || !pods.isEmpty() ? "" : "No pods match this VPA object", now);
    if (conflicts.isEmpty()) {
      conditions.remove(CONFIG_UNSUPPORTED);
    } else {
      String message = conflictMessage(vpa, conflicts);
      ObjectNode old = conditions.get(CONFIG_UNSUPPORTED);
      if (old == null || !old.path("message").asText().equals(message)) {
        context.events().record(json, "Warning", HPA_CONFLICT, message, COMPONENT, null);
      }
      setCondition(conditions, CONFIG_UNSUPPORTED, true, HPA_CONFLICT, message, now);
    }
    return writeStatus(vpa, json, recommendation, conditions, next).thenCompose(x -> writeCheckpoints(vpa, history))
        .thenApply(x -> next);
  }

  /** The history of the VPA's containers from their checkpoints, as the recommender left them. */
  private void restore(VerticalPodAutoscaler vpa, History history) {
    for (VerticalPodAutoscalerCheckpoint c : checkpoints.list(vpa.getMetadata().getNamespace())) {
      if (c.getSpec() == null || !vpa.getMetadata().getName().equals(c.getSpec().getVpaObjectName())) continue;
      AggregateContainerState s = VpaCheckpoints.load(Json.toTree(c), settings.halfLife());
      if (s != null && c.getSpec().getContainerName() != null) history.aggregates.put(c.getSpec().getContainerName(), s);
    }
  }

  /** Each container's history as a checkpoint, when samples came since the last ones were written. */
  private CompletionStage<Void> writeCheckpoints(VerticalPodAutoscaler vpa, History history) {
    if (!history.grown) return CompletableFuture.completedFuture(null);
    history.grown = false;
    List<CompletableFuture<?>> writes = new ArrayList<>();
    Instant now = context.clock().instant();
    history.aggregates.forEach((container, aggregate) -> {
      if (aggregate.totalSamplesCount() == 0) return;
      VerticalPodAutoscalerCheckpoint checkpoint = Json.fromTree(VpaCheckpoints.checkpoint(vpa, container, aggregate, now),
          VerticalPodAutoscalerCheckpoint.class);
      VerticalPodAutoscalerCheckpoint old = checkpoints.get(vpa.getMetadata().getNamespace(), checkpoint.getMetadata().getName());
      if (old == null) {
        writes.add(context.writer().create(checkpoint).toCompletableFuture());
      } else {
        checkpoint.getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
        writes.add(context.writer().update(checkpoint).toCompletableFuture());
      }
    });
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
      if (e != null) history.grown = true; // written again at the next pass
    });
  }

  /** "HorizontalPodAutoscaler "web" scales Deployment/web on cpu: the VPA does not set cpu, to not act against it". */
  private static String conflictMessage(VerticalPodAutoscaler vpa, List<VpaTargets.Conflict> conflicts) {
    String target = vpa.getSpec().getTargetRef().getKind() + "/" + vpa.getSpec().getTargetRef().getName();
    List<String> parts = new ArrayList<>();
    for (VpaTargets.Conflict c : conflicts) {
      parts.add("HorizontalPodAutoscaler \"" + c.autoscaler() + "\" scales " + target + " on " + c.resource());
    }
    String resources = conflicts.stream().map(VpaTargets.Conflict::resource).collect(Collectors.joining(" and "));
    return String.join("; ", parts) + ": this VPA does not set " + resources
        + " of its pods, as the two autoscalers would act against each other";
  }

  /** Adds what the metrics API has measured since the last sample of each container of the pods. */
  private void sample(History history, List<Pod> pods) {
    Set<String> live = new HashSet<>();
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      Map<String, Container> specs = new HashMap<>();
      for (Container c : pod.getSpec().getContainers()) {
        specs.put(c.getName(), c);
        live.add(uid + "/" + c.getName());
      }
      if (recordOoms(history, pod, specs)) history.grown = true;
      MetricsClient.PodMetrics metrics = context.metrics().pod(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
          .orElse(null);
      if (metrics == null) continue;
      for (MetricsClient.ContainerMetrics m : metrics.containers()) {
        Container spec = specs.get(m.name());
        if (spec == null) continue;
        ContainerState state = stateOf(history, uid, m.name());
        double requestCores = Math.max(0, VpaPolicy.amount(VpaPolicy.CPU, requestOf(spec, VpaPolicy.CPU))) / 1000.0;
        if (state.addCpuSample(m.nanoCores() / 1e9, requestCores, metrics.timestamp())) history.grown = true;
        state.addMemorySample(m.memoryBytes(), metrics.timestamp());
      }
    }
    history.containers.keySet().retainAll(live);
  }

  /** The OOM kills the pod's containers last ended with (the OOM observer's part), each once. */
  private boolean recordOoms(History history, Pod pod, Map<String, Container> specs) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) return false;
    boolean recorded = false;
    for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
      ContainerStateTerminated last = s.getLastState() == null ? null : s.getLastState().getTerminated();
      Container spec = specs.get(s.getName());
      if (spec == null || last == null || !"OOMKilled".equals(last.getReason()) || last.getFinishedAt() == null) continue;
      recorded |= stateOf(history, pod.getMetadata().getUid(), s.getName()).recordOom(Instant.parse(last.getFinishedAt()),
          Math.max(0, VpaPolicy.amount(VpaPolicy.MEMORY, requestOf(spec, VpaPolicy.MEMORY))));
    }
    return recorded;
  }

  /** The pod container's feed into the aggregate of its name, both made on first use. */
  private ContainerState stateOf(History history, String podUid, String container) {
    AggregateContainerState aggregate = history.aggregates.computeIfAbsent(container,
        n -> new AggregateContainerState(settings.halfLife()));
    return history.containers.computeIfAbsent(podUid + "/" + container,
        k -> new ContainerState(aggregate, settings.memoryAggregationInterval()));
  }

  private static JsonNode requestOf(Container c, String resource) {
    if (c.getResources() == null || c.getResources().getRequests() == null) return null;
    var q = c.getResources().getRequests().get(resource);
    return q == null ? null : Json.MAPPER.getNodeFactory().textNode(q.toString());
  }

  /** status.recommendation: per container, sorted by name, the capped bounds and the uncapped target. */
  private static ObjectNode statusOf(JsonNode vpa, Map<String, PodResourceRecommender.Recommendation> recommendations) {
    ObjectNode out = Json.object();
    if (recommendations.isEmpty()) return out;
    ArrayNode list = out.putArray("containerRecommendations");
    new TreeMap<>(recommendations).forEach((container, r) -> {
      JsonNode policy = VpaPolicy.containerPolicy(vpa, container);
      ObjectNode c = list.addObject().put("containerName", container);
      c.set("target", VpaPolicy.resourceList(VpaPolicy.capped(r.target(), policy)));
      c.set("lowerBound", VpaPolicy.resourceList(VpaPolicy.capped(r.lowerBound(), policy)));
      c.set("upperBound", VpaPolicy.resourceList(VpaPolicy.capped(r.upperBound(), policy)));
      c.set("uncappedTarget", VpaPolicy.resourceList(r.target()));
    });
    return out;
  }

  /** vpaConditionsMap.Set: a new lastTransitionTime only when the status changes. */
  private static void setCondition(Map<String, ObjectNode> conditions, String type, boolean status, String reason,
      String message, Instant now) {
    ObjectNode old = conditions.get(type);
    String value = status ? "True" : "False";
    ObjectNode c = Json.object().put("type", type).put("status", value);
    c.put("lastTransitionTime", old != null && old.path("status").asText().equals(value)
        ? old.path("lastTransitionTime").asText() : Timestamps.format(now));
    if (!reason.isEmpty()) c.put("reason", reason);
    if (!message.isEmpty()) c.put("message", message);
    conditions.put(type, c);
  }

  private CompletionStage<Result> writeStatus(VerticalPodAutoscaler vpa, ObjectNode json, JsonNode recommendation,
      Map<String, ObjectNode> conditions, Result next) {
    ObjectNode status = Json.object();
    if (recommendation != null && !recommendation.isNull()) status.set("recommendation", recommendation);
    ArrayNode list = status.putArray("conditions");
    conditions.values().forEach(list::add);
    if (status.equals(json.path("status"))) return CompletableFuture.completedFuture(next);
    json.set("status", status);
    return context.writer().updateStatus(Json.fromTree(json, VerticalPodAutoscaler.class)).thenApply(x -> next);
  }
}
