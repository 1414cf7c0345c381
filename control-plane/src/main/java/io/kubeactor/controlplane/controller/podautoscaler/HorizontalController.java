package io.kubeactor.controlplane.controller.podautoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ContainerResourceMetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricStatus;
import io.kubeactor.common.Json;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's horizontal-pod-autoscaler controller (horizontal.go): every sync period
 * (15 s) each HPA reads its target's /scale, proposes a replica count per metric from the resource
 * metrics API ({@link ReplicaCalculator}), takes the highest, bounds it by the stabilization windows,
 * the scaling policies and min/max ({@link ScaleNormalizer}), writes the target's /scale when it
 * differs, and writes its own status (current metrics, replicas, conditions) through /status, with
 * upstream's events. A change of an HPA's spec syncs it at once; its own status writes do not.
 */
public final class HorizontalController implements Reconciler {

  private static final Logger log = LoggerFactory.getLogger(HorizontalController.class);
  static final String COMPONENT = "horizontal-pod-autoscaler";
  /** --horizontal-pod-autoscaler-downscale-stabilization. */
  static final Duration DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);

  private final ControllerContext context;
  private final Informer<HorizontalPodAutoscaler> hpas;
  private final Informer<Pod> pods;
  private final ReplicaCalculator calculator;
  private final ResourceMetricsReader metrics;
  private final ScaleNormalizer normalizer;
  private final Duration syncPeriod;
  /** When each HPA was last synced, at which generation: a sync is due once a period, or at once on a new spec. */
  private final Map<String, Synced> synced = new ConcurrentHashMap<>();
  /** Each HPA's selector as last seen (upstream's hpaSelectors), to find pods two HPAs would scale. */
  private final Map<String, LabelSelector> selectors = new ConcurrentHashMap<>();

  private record Synced(Instant at, Long generation) {}

  public HorizontalController(ControllerContext context) {
    this.context = context;
    this.hpas = context.informers().of(HorizontalPodAutoscaler.class);
    this.pods = context.informers().pods();
    this.calculator = ReplicaCalculator.defaults(context.clock());
    this.metrics = new ResourceMetricsReader(context.metrics());
    this.normalizer = new ScaleNormalizer(context.clock(), DOWNSCALE_STABILIZATION);
    this.syncPeriod = context.settings().horizontalPodAutoscalerSyncPeriod();
  }

  @Override
  public String name() {
    return "horizontal-pod-autoscaler-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(hpas, e -> {
      if (e.type() == Informer.EventType.MODIFIED
          && Objects.equals(e.object().getMetadata().getGeneration(), e.previous().getMetadata().getGeneration())) {
        return List.of(); // our own status write, or metadata: the next period's sync sees it
      }
      return List.of(Informer.keyOf(e.object()));
    });
  }

  @Override
  public Collection<String> keys() {
    return hpas.list().stream().map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    HorizontalPodAutoscaler shared = hpas.get(key);
    if (shared == null) {
      normalizer.forget(key);
      synced.remove(key);
      selectors.remove(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    Instant now = context.clock().instant();
    Synced last = synced.get(key);
    Long generation = shared.getMetadata().getGeneration();
    if (last != null && Objects.equals(last.generation, generation) && last.at.plus(syncPeriod).isAfter(now)) {
      // a resync between periods: wait for the period, as upstream's queue holds each key for it
      return CompletableFuture.completedFuture(Result.requeueAfter(Duration.between(now, last.at.plus(syncPeriod))));
    }
    synced.put(key, new Synced(now, generation));
    HorizontalPodAutoscaler hpa = Json.fromTree(Json.toTree(shared), HorizontalPodAutoscaler.class);
    if (hpa.getStatus() == null) hpa.setStatus(new HorizontalPodAutoscalerStatus());
    JsonNode original = Json.toTree(hpa.getStatus());
    CompletionStage<Void> sync;
    try {
      sync = new Sync(key, hpa, original).run();
    } catch (RuntimeException e) {
      log.warn("horizontal pod autoscaler {} failed to sync", key, e);
      sync = CompletableFuture.completedFuture(null);
    }
    // every HPA is synced once a period whatever came of this sync (upstream's AddRateLimited)
    return sync.handle((x, failure) -> {
      if (failure != null) log.info("horizontal pod autoscaler {}: {}", key, ApiException.unwrap(failure).getMessage());
      return Result.requeueAfter(syncPeriod);
    });
  }

  /** One sync of one HPA (reconcileAutoscaler), on its own copy. */
  private final class Sync {
    private final String key;
    private final HorizontalPodAutoscaler hpa;
    private final JsonNode originalStatus;
    private final String reference;

    Sync(String key, HorizontalPodAutoscaler hpa, JsonNode originalStatus) {
      this.key = key;
      this.hpa = hpa;
      this.originalStatus = originalStatus;
      var ref = hpa.getSpec().getScaleTargetRef();
      this.reference = ref.getKind() + "/" + hpa.getMetadata().getNamespace() + "/" + ref.getName();
    }

    CompletionStage<Void> run() {
      ResourceType target;
      Scale scale;
      try {
        target = targetType();
        scale = context.fresh().scale(target, hpa.getMetadata().getNamespace(), hpa.getSpec().getScaleTargetRef().getName());
        if (scale == null) {
          throw ApiException.notFound(target.group(), target.plural(), hpa.getSpec().getScaleTargetRef().getName());
        }
      } catch (ApiException e) {
        event("Warning", "FailedGetScale", e.getMessage());
        setCondition("AbleToScale", "False", "FailedGetScale",
            "the HPA controller was unable to get the target's current scale: " + e.getMessage());
        return updateStatusIfNeeded().thenApply(x -> {
          throw new IllegalStateException("failed to query scale subresource for " + reference + ": " + e.getMessage());
        });
      }
      setCondition("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale");
      int current = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
      normalizer.recordInitial(key, current);

      int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
      int max = hpa.getSpec().getMaxReplicas();
      int desired = 0;
      String reason = "";
      boolean rescale = true;
      List<MetricStatus> statuses = null;
      if (current == 0 && min != 0) {
        rescale = false;
        setCondition("ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
      } else if (current > max) {
        reason = "Current number of replicas above Spec.MaxReplicas";
        desired = max;
      } else if (current < min) {
        reason = "Current number of replicas below Spec.MinReplicas";
        desired = min;
      } else {
        MetricsOutcome outcome = computeReplicasForMetrics(scale);
        statuses = outcome.statuses;
        if (outcome.replicas == -1) {
          setStatus(current, statusDesired(), statuses, false);
          String message = outcome.error;
          return updateStatusIfNeeded().handle((x, statusFailure) -> {
            event("Warning", "FailedComputeMetricsReplicas", message);
            throw new IllegalStateException("failed to compute desired number of replicas based on listed metrics for "
                + reference + ": " + message);
          });
        }
        String rescaleMetric = "";
        if (outcome.replicas > desired) {
          desired = outcome.replicas;
          rescaleMetric = outcome.metric;
        }
        if (desired > current) reason = rescaleMetric + " above target";
        if (desired < current) reason = "All metrics below target";
        ScaleNormalizer.Normalized n = hpa.getSpec().getBehavior() == null
            ? normalizer.normalize(key, current, desired, min, max)
            : normalizer.normalizeWithBehavior(key, hpa.getSpec().getBehavior(), current, desired, min, max);
        setCondition("AbleToScale", "True", n.ableReason(), n.ableMessage());
        setCondition("ScalingLimited", n.limited() ? "True" : "False", n.limitedReason(), n.limitedMessage());
        desired = n.replicas();
        rescale = desired != current;
      }
      List<MetricStatus> metricStatuses = statuses;
      if (!rescale) {
        setStatus(current, current, metricStatuses, false);
        return updateStatusIfNeeded();
      }
      int newSize = desired;
      String why = reason;
      var ref = hpa.getSpec().getScaleTargetRef();
      return context.writer().updateScale(target, hpa.getMetadata().getNamespace(), ref.getName(),
              scale.getMetadata().getResourceVersion(), newSize)
          .handle((updated, failure) -> failure)
          .thenCompose(failure -> {
            if (failure != null) {
              String error = ApiException.unwrap(failure).getMessage();
              event("Warning", "FailedRescale", "New size: " + newSize + "; reason: " + why + "; error: " + error);
              setCondition("AbleToScale", "False", "FailedUpdateScale",
                  "the HPA controller was unable to update the target scale: " + error);
              setStatus(current, statusDesired(), metricStatuses, false);
              return updateStatusIfNeeded().thenApply(x -> {
                throw new IllegalStateException("failed to rescale " + reference + ": " + error);
              });
            }
            setCondition("AbleToScale", "True", "SucceededRescale",
                "the HPA controller was able to update the target scale to " + newSize);
            event("Normal", "SuccessfulRescale", "New size: " + newSize + "; reason: " + why);
            normalizer.scaled(key, hpa.getSpec().getBehavior(), current, newSize);
            log.info("Successful rescale of {}, old size: {}, new size: {}, reason: {}", hpa.getMetadata().getName(),
                current, newSize, why);
            setStatus(current, newSize, metricStatuses, true);
            return updateStatusIfNeeded();
          });
    }

    private int statusDesired() {
      Integer d = hpa.getStatus().getDesiredReplicas();
      return d == null ? 0 : d;
    }

    /** The served kind the reference names, by group and kind as upstream's REST mapper finds it. */
    private ResourceType targetType() {
      var ref = hpa.getSpec().getScaleTargetRef();
      String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
      String[] parts = apiVersion.split("/", -1);
      if (parts.length > 2) throw ApiException.badRequest("unexpected GroupVersion string: " + apiVersion);
      String group = parts.length == 2 ? parts[0] : "";
      var types = context.informers().types();
      return types.all().stream()
          .filter(t -> t.group().equals(group) && t.kind().equals(ref.getKind()) && types.storageType(t) == t)
          .findFirst()
          .orElseThrow(() -> ApiException.notFound(group, ref.getKind(),
              ref.getName())) ;
    }

    private record MetricsOutcome(int replicas, String metric, List<MetricStatus> statuses, String error) {}

    /** computeReplicasForMetrics: the highest proposal of the metrics that could be computed. */
    private MetricsOutcome computeReplicasForMetrics(Scale scale) {
      String selectorText = scale.getStatus() == null ? null : scale.getStatus().getSelector();
      LabelSelector selector;
      if (selectorText == null || selectorText.isEmpty()) {
        event("Warning", "SelectorRequired", "selector is required");
        setCondition("ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector");
        return new MetricsOutcome(-1, "", null, "selector is required");
      }
      try {
        selector = LabelSelector.parse(selectorText);
      } catch (RuntimeException e) {
        String msg = "couldn't convert selector into a corresponding internal selector object: " + e.getMessage();
        event("Warning", "InvalidSelector", msg);
        setCondition("ScalingActive", "False", "InvalidSelector", msg);
        return new MetricsOutcome(-1, "", null, msg);
      }
      String namespace = hpa.getMetadata().getNamespace();
      selectors.put(key, selector);
      List<Pod> selected = pods.list(namespace).stream().filter(p -> selector.matches(PodControl.labels(p))).toList();
      TreeSet<String> controlling = hpasControlling(namespace, selected);
      if (controlling.size() > 1) {
        String msg = "pods by selector " + selectorText + " are controlled by multiple HPAs: " + controlling;
        event("Warning", "AmbiguousSelector", msg);
        setCondition("ScalingActive", "False", "AmbiguousSelector", msg);
        return new MetricsOutcome(-1, "", null, msg);
      }

      int specReplicas = scale.getSpec().getReplicas();
      List<MetricSpec> specs = hpa.getSpec().getMetrics() == null ? List.of() : hpa.getSpec().getMetrics();
      List<MetricStatus> statuses = new ArrayList<>();
      int replicas = 0;
      String metric = "";
      int invalid = 0;
      String firstError = null;
      String[] firstCondition = null;
      for (MetricSpec spec : specs) {
        MetricStatus status = new MetricStatus();
        status.setType("");
        statuses.add(status);
        try {
          Proposal p = computeReplicasForMetric(spec, specReplicas, selected, status);
          if (replicas == 0 || p.replicas > replicas) {
            replicas = p.replicas;
            metric = p.metric;
          }
        } catch (MetricFailure f) {
          if (invalid == 0) {
            firstError = f.getMessage();
            firstCondition = new String[] {f.reason, "the HPA was unable to compute the replica count: " + f.cause};
          }
          invalid++;
        }
      }
      String error = firstError == null ? null
          : "invalid metrics (" + invalid + " invalid out of " + specs.size() + "), first error is: " + firstError;
      if (invalid >= specs.size() || (invalid > 0 && replicas < specReplicas)) {
        if (firstCondition != null) setCondition("ScalingActive", "False", firstCondition[0], firstCondition[1]);
        return new MetricsOutcome(-1, "", statuses, error);
      }
      setCondition("ScalingActive", "True", "ValidMetricFound",
          "the HPA was able to successfully calculate a replica count from " + metric);
      return new MetricsOutcome(replicas, metric, statuses, error);
    }

    /** The HPAs of the namespace whose last selector picks any of the pods (this one included). */
    private TreeSet<String> hpasControlling(String namespace, List<Pod> selected) {
      TreeSet<String> out = new TreeSet<>();
      for (Map.Entry<String, LabelSelector> e : selectors.entrySet()) {
        if (!Informer.namespaceOfKey(e.getKey()).equals(namespace) || hpas.get(e.getKey()) == null) continue;
        for (Pod p : selected) {
          if (e.getValue().matches(PodControl.labels(p))) {
            out.add(e.getKey());
            break;
          }
        }
      }
      return out;
    }

    private record Proposal(int replicas, String metric) {}

    /** A metric that could not be computed: the condition's reason, its error and the wrapped error upstream returns. */
    private static final class MetricFailure extends Exception {
      final String reason;
      final String cause;

      MetricFailure(String reason, String cause, String wrapped) {
        super(wrapped, null, false, false);
        this.reason = reason;
        this.cause = cause;
      }
    }

    /** computeReplicasForMetric: one metric's proposal, its status filled in. */
    private Proposal computeReplicasForMetric(MetricSpec spec, int specReplicas, List<Pod> selected, MetricStatus status)
        throws MetricFailure {
      String type = spec.getType() == null ? "" : spec.getType();
      switch (type) {
        case "Resource" -> {
          var r = spec.getResource();
          try {
            ValueProposal v = resourceProposal(specReplicas, r.getTarget(), r.getName(), "", selected, false);
            status.setType("Resource");
            status.setResource(new ResourceMetricStatus(v.status, r.getName()));
            return new Proposal(v.replicas, v.metric);
          } catch (MetricsUnavailableException e) {
            fail("FailedGetResourceMetric", e.getMessage());
            throw new MetricFailure("FailedGetResourceMetric", e.getMessage(),
                "failed to get " + r.getName() + " resource metric value: " + e.getMessage());
          }
        }
        case "ContainerResource" -> {
          var r = spec.getContainerResource();
          try {
            ValueProposal v = resourceProposal(specReplicas, r.getTarget(), r.getName(), r.getContainer(), selected, true);
            status.setType("ContainerResource");
            status.setContainerResource(new ContainerResourceMetricStatus(r.getContainer(), v.status, r.getName()));
            return new Proposal(v.replicas, v.metric);
          } catch (MetricsUnavailableException e) {
            fail("FailedGetContainerResourceMetric", e.getMessage());
            throw new MetricFailure("FailedGetContainerResourceMetric", e.getMessage(),
                "failed to get " + r.getContainer() + " container metric value: " + e.getMessage());
          }
        }
        case "Pods" -> {
          String name = spec.getPods().getMetric().getName();
          String err = "unable to get metric " + name + ": unable to fetch metrics from custom metrics API: "
              + "no custom metrics API (custom.metrics.k8s.io) registered";
          fail("FailedGetPodsMetric", err);
          throw new MetricFailure("FailedGetPodsMetric", err, "failed to get pods metric value: " + err);
        }
        case "Object" -> {
          var o = spec.getObject();
          String err = "unable to get metric " + o.getMetric().getName() + ": " + o.getDescribedObject().getKind() + " on "
              + hpa.getMetadata().getNamespace() + " " + o.getDescribedObject().getName()
              + "/unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered";
          fail("FailedGetObjectMetric", err);
          throw new MetricFailure("FailedGetObjectMetric", err, "failed to get object metric value: " + err);
        }
        case "External" -> {
          String name = spec.getExternal().getMetric().getName();
          String err = "unable to get external metric " + hpa.getMetadata().getNamespace() + "/" + name
              + ": unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered";
          fail("FailedGetExternalMetric", err);
          throw new MetricFailure("FailedGetExternalMetric", err,
              "failed to get " + name + " external metric value: " + err);
        }
        default -> {
          String err = "unknown metric source type \"" + type + "\"";
          fail("InvalidMetricSourceType", err);
          throw new MetricFailure("InvalidMetricSourceType", err, err);
        }
      }
    }

    /** getUnableComputeReplicaCountCondition's event. */
    private void fail(String reason, String message) {
      event("Warning", reason, message);
    }

    private record ValueProposal(int replicas, MetricValueStatus status, String metric) {}

    /** computeStatusForResourceMetricGeneric: an average value or an average utilization target of cpu or memory. */
    private ValueProposal resourceProposal(int current, MetricTarget target, String resource, String container,
        List<Pod> selected, boolean perContainer) throws MetricsUnavailableException {
      String namespace = hpa.getMetadata().getNamespace();
      if (target != null && target.getAverageValue() != null) {
        long targetMilli = ReplicaCalculator.milliValue(target.getAverageValue());
        ResourceMetricsReader.Result fetched = fetch(resource, namespace, selected, container);
        try {
          ReplicaCalculator.Proposal p = calculator.rawResourceReplicas(current, targetMilli, resource, selected,
              fetched.metrics(), fetched.timestamp());
          MetricValueStatus s = new MetricValueStatus();
          s.setAverageValue(milliQuantity(p.rawAverage()));
          return new ValueProposal(p.replicas(), s, resource + " resource");
        } catch (MetricsUnavailableException e) {
          throw new MetricsUnavailableException("failed to get " + resource + " usage: " + e.getMessage());
        }
      }
      if (target == null || target.getAverageUtilization() == null) {
        throw new MetricsUnavailableException("invalid resource metric source: neither an average utilization target "
            + "nor an average value (usage) target was set");
      }
      ResourceMetricsReader.Result fetched;
      try {
        fetched = fetch(resource, namespace, selected, container);
        ReplicaCalculator.Proposal p = calculator.resourceReplicas(current, target.getAverageUtilization(), resource, selected,
            fetched.metrics(), container, fetched.timestamp());
        MetricValueStatus s = new MetricValueStatus();
        s.setAverageUtilization(p.utilization());
        s.setAverageValue(milliQuantity(p.rawAverage()));
        String metric = resource + (perContainer ? " container" : "") + " resource utilization (percentage of request)";
        return new ValueProposal(p.replicas(), s, metric);
      } catch (MetricsUnavailableException e) {
        throw new MetricsUnavailableException("failed to get " + resource + " utilization: " + e.getMessage());
      }
    }

    private ResourceMetricsReader.Result fetch(String resource, String namespace, List<Pod> selected, String container)
        throws MetricsUnavailableException {
      try {
        return metrics.resourceMetric(resource, namespace, selected, container);
      } catch (MetricsUnavailableException e) {
        throw new MetricsUnavailableException("unable to get metrics for resource " + resource + ": " + e.getMessage());
      }
    }

    /** setStatus: the status rebuilt, conditions kept, lastScaleTime moved on a rescale. */
    private void setStatus(int current, int desired, List<MetricStatus> metricStatuses, boolean rescaled) {
      HorizontalPodAutoscalerStatus s = hpa.getStatus();
      s.setCurrentReplicas(current);
      s.setDesiredReplicas(desired);
      s.setCurrentMetrics(metricStatuses == null ? null : metricStatuses);
      if (rescaled) s.setLastScaleTime(timestamp());
    }

    /** setConditionInList: the condition's transition time moves only when its status changes. */
    private void setCondition(String type, String status, String reason, String message) {
      List<HorizontalPodAutoscalerCondition> list = hpa.getStatus().getConditions();
      if (list == null) {
        list = new ArrayList<>();
        hpa.getStatus().setConditions(list);
      }
      Optional<HorizontalPodAutoscalerCondition> found = list.stream().filter(c -> type.equals(c.getType())).findFirst();
      HorizontalPodAutoscalerCondition c = found.orElseGet(() -> {
        HorizontalPodAutoscalerCondition fresh = new HorizontalPodAutoscalerCondition();
        fresh.setType(type);
        hpa.getStatus().getConditions().add(fresh);
        return fresh;
      });
      if (!status.equals(c.getStatus())) c.setLastTransitionTime(timestamp());
      c.setStatus(status);
      c.setReason(reason);
      c.setMessage(message);
    }

    /** updateStatusIfNeeded: one write through /status when the status changed. */
    private CompletionStage<Void> updateStatusIfNeeded() {
      // v2's desiredReplicas is not omitempty: kube-controller-manager's status always carries it
      if (hpa.getStatus().getDesiredReplicas() == null) hpa.getStatus().setDesiredReplicas(0);
      if (Json.toTree(hpa.getStatus()).equals(originalStatus)) return CompletableFuture.completedFuture(null);
      return context.writer().updateStatus(hpa).handle((written, failure) -> {
        if (failure != null) {
          String error = ApiException.unwrap(failure).getMessage();
          event("Warning", "FailedUpdateStatus", error);
          throw new IllegalStateException("failed to update status for " + hpa.getMetadata().getName() + ": " + error);
        }
        return null;
      });
    }

    private void event(String type, String reason, String message) {
      context.events().record(Json.toTree(hpa), type, reason, message, COMPONENT, null);
    }

    private String timestamp() {
      return context.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  /** A milli-value as a DecimalSI quantity (resource.NewMilliQuantity): "250m", "1", "104857600". */
  static Quantity milliQuantity(long milli) {
    return new Quantity(Quantities.canonical(milli + "m"));
  }
}
