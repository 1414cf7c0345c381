package io.kubeactor.controlplane.controller.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.apiextensions.ServedCustomResources;

/**
 * The HPA controller over a real store, with the usage reports a node would send put into the
 * fixture's metrics server: rescales of a ReplicaSet's /scale, status, conditions and events as
 * upstream's, the legacy limits and behavior's policies and stabilization windows (upstream's
 * horizontal_test.go cases that matter). The clock is moved by hand, a sync period at a time.
 */
class HorizontalControllerTest {

  static final TickingClock clock = new TickingClock(Instant.parse("2026-03-01T10:00:00Z"));
  static final ControllerFixture fixture = new ControllerFixture(ControllerSettings.defaults(), clock);
  static ActorRef<Controller.Command> controller;

  /**
   * A clock the test moves a sync period at a time, which also ticks a nanosecond at each reading,
   * as a real one would between two events (which are named by the time they are recorded).
   */
  static final class TickingClock extends java.time.Clock {
    private final java.util.concurrent.atomic.AtomicReference<Instant> now;

    TickingClock(Instant start) {
      now = new java.util.concurrent.atomic.AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.updateAndGet(t -> t.plusNanos(1));
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
  /** Each pod's cpu usage in millicores, as the node reports it. */
  static final Map<String, Long> usage = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    controller = fixture.start(new HorizontalController(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static void namespace(String ns) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
  }

  /** A ReplicaSet of {@code replicas} and as many Running, Ready pods (started 10 minutes ago), each using the cpu given. */
  static void replicaSet(String ns, String name, int replicas, long... cpuMilli) {
    fixture.apply("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]}
        """.formatted(name, ns, replicas, name, name));
    for (int i = 0; i < cpuMilli.length; i++) pod(ns, name + "-" + i, name, cpuMilli[i]);
  }

  static void pod(String ns, String name, String app, long cpuMilli) {
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: {app: %s}}
        spec: {nodeName: n1, containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]}
        """.formatted(name, ns, app));
    String since = clock.instant().minus(Duration.ofMinutes(10)).toString();
    fixture.changeStatus("v1", "Pod", ns, name, p -> {
      var status = p.putObject("status");
      status.put("phase", "Running").put("startTime", since);
      status.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("lastTransitionTime", since);
      return p;
    });
    usage.put(ns + "/" + name, cpuMilli);
    report();
  }

  /** The node's report: every pod's usage, measured just now over 15 s. */
  static void report() {
    List<NodeProtocol.PodUsage> pods = new ArrayList<>();
    usage.forEach((key, milli) -> {
      String[] nsName = key.split("/");
      pods.add(new NodeProtocol.PodUsage(nsName[0], nsName[1], 15_000,
          List.of(new NodeProtocol.ContainerUsage("c", new NodeProtocol.Usage(milli * 1_000_000, 10_000_000)))));
    });
    fixture.metrics.put(new NodeProtocol.UsageReport("n1", clock.millis(), 15_000, new NodeProtocol.Usage(0, 0), pods));
  }

  static void hpa(String ns, String name, String target, int min, int max, int utilization, String behavior) {
    hpa(ns, name, target, min, max,
        "{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: " + utilization + "}}}",
        behavior);
  }

  static void hpa(String ns, String name, String target, int min, int max, String metric, String behavior) {
    fixture.apply("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: %s, namespace: %s}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: %s}
          minReplicas: %d
          maxReplicas: %d
          metrics: [%s]
        %s
        """.formatted(name, ns, target, min, max, metric, behavior == null ? "" : "  behavior: " + behavior));
  }

  /** The sync the HPA's creation brought (or one now, if it has not run yet), the clock unmoved. */
  static HorizontalPodAutoscaler firstSync(String ns, String name) {
    fixture.awaitReconciled(controller, ns + "/" + name);
    return fixture.get(HorizontalPodAutoscaler.class, ns, name);
  }

  /** One sync period later, a sync of the HPA. */
  static HorizontalPodAutoscaler sync(String ns, String name) {
    clock.advance(ControllerSettings.HPA_SYNC_PERIOD);
    report();
    fixture.awaitReconciled(controller, ns + "/" + name);
    return fixture.get(HorizontalPodAutoscaler.class, ns, name);
  }

  static int replicas(String ns, String rs) {
    return fixture.get(ReplicaSet.class, ns, rs).getSpec().getReplicas();
  }

  static HorizontalPodAutoscalerCondition condition(HorizontalPodAutoscaler hpa, String type) {
    return hpa.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  static List<String> events(String ns, String reason) {
    return fixture.list(Event.class, ns).stream().filter(e -> reason.equals(e.getReason())).map(Event::getMessage).toList();
  }

  @Test
  void scalesOutWhenCpuIsAboveTargetAndSaysWhy() {
    namespace("hpa-up");
    replicaSet("hpa-up", "busy", 1, 90);
    hpa("hpa-up", "busy", "busy", 1, 5, 30, null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-up", "busy");

    assertThat(replicas("hpa-up", "busy")).isEqualTo(3); // 90% of the request against 30%: ceil(3.0 * 1)
    await().until(() -> !events("hpa-up", "SuccessfulRescale").isEmpty());
    assertThat(events("hpa-up", "SuccessfulRescale"))
        .containsExactly("New size: 3; reason: cpu resource utilization (percentage of request) above target");
    var metric = hpa.getStatus().getCurrentMetrics().get(0);
    assertThat(metric.getType()).isEqualTo("Resource");
    assertThat(metric.getResource().getName()).isEqualTo("cpu");
    assertThat(metric.getResource().getCurrent().getAverageUtilization()).isEqualTo(90);
    assertThat(metric.getResource().getCurrent().getAverageValue().toString()).isEqualTo("90m");
    assertThat(hpa.getStatus().getCurrentReplicas()).isEqualTo(1);
    assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(3);
    assertThat(hpa.getStatus().getLastScaleTime()).isNotNull();
    assertThat(condition(hpa, "AbleToScale")).extracting("status", "reason", "message")
        .containsExactly("True", "SucceededRescale", "the HPA controller was able to update the target scale to 3");
    assertThat(condition(hpa, "ScalingActive")).extracting("status", "reason", "message").containsExactly("True",
        "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization"
            + " (percentage of request)");
    assertThat(condition(hpa, "ScalingLimited")).extracting("status", "reason", "message")
        .containsExactly("False", "DesiredWithinRange", "the desired count is within the acceptable range");
  }

  /** An HPA scales a custom resource as any kind: through the scale subresource its CRD declares. */
  @Test
  void scalesACustomResourceThroughItsScaleSubresource() throws Exception {
    namespace("hpa-custom");
    fixture.apply("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: replicators.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: replicators, kind: Replicator}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {replicas: {type: integer}}}
                  status: {type: object, properties: {replicas: {type: integer}, selector: {type: string}}}
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
        """);
    fixture.changeStatus("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "replicators.example.com", crd -> {
      crd.withObjectProperty("status").putArray("conditions").addObject().put("type", "Established").put("status", "True");
      return crd;
    });
    try (ServedCustomResources served = ServedCustomResources.follow(fixture.context.informers())) {
      await().until(() -> fixture.registry.types().byKind("example.com/v1", "Replicator").isPresent());
      fixture.apply("{apiVersion: example.com/v1, kind: Replicator, metadata: {name: rep, namespace: hpa-custom}, spec: {replicas: 1}}");
      fixture.changeStatus("example.com/v1", "Replicator", "hpa-custom", "rep", r -> {
        r.withObjectProperty("status").put("replicas", 1).put("selector", "app=rep");
        return r;
      });
      pod("hpa-custom", "rep-0", "rep", 90);
      fixture.apply("""
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: {name: rep, namespace: hpa-custom}
          spec:
            scaleTargetRef: {apiVersion: example.com/v1, kind: Replicator, name: rep}
            minReplicas: 1
            maxReplicas: 5
            metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 30}}}]
          """);
      HorizontalPodAutoscaler hpa = firstSync("hpa-custom", "rep");
      assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(3);
      ResourceType replicators = fixture.registry.types().byKind("example.com/v1", "Replicator").orElseThrow();
      assertThat(fixture.context.fresh().get(replicators, "hpa-custom", "rep").at("/spec/replicas").asInt()).isEqualTo(3);
    }
  }

  @Test
  void withoutMetricsItCannotComputeAndSaysSoAsUpstream() {
    namespace("hpa-nometrics");
    fixture.apply("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: quiet, namespace: hpa-nometrics}
        spec:
          replicas: 2
          selector: {matchLabels: {app: quiet}}
          template:
            metadata: {labels: {app: quiet}}
            spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]}
        """);
    hpa("hpa-nometrics", "quiet", "quiet", 1, 5, 30, null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-nometrics", "quiet");

    assertThat(replicas("hpa-nometrics", "quiet")).isEqualTo(2);
    String cause = "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource"
        + " metrics API";
    assertThat(condition(hpa, "ScalingActive")).extracting("status", "reason", "message")
        .containsExactly("False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: " + cause);
    assertThat(condition(hpa, "AbleToScale").getReason()).isEqualTo("SucceededGetScale");
    assertThat(hpa.getStatus().getCurrentReplicas()).isEqualTo(2);
    await().untilAsserted(() -> assertThat(events("hpa-nometrics", "FailedComputeMetricsReplicas"))
        .as("%s", fixture.list(Event.class, "hpa-nometrics")).isNotEmpty());
    assertThat(events("hpa-nometrics", "FailedGetResourceMetric")).contains(cause);
    assertThat(events("hpa-nometrics", "FailedComputeMetricsReplicas")).contains(
        "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: " + cause);
  }

  @Test
  void aMissingTargetIsFailedGetScale() {
    namespace("hpa-notarget");
    hpa("hpa-notarget", "lost", "nope", 1, 5, 30, null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-notarget", "lost");

    assertThat(condition(hpa, "AbleToScale")).extracting("status", "reason", "message").containsExactly("False",
        "FailedGetScale", "the HPA controller was unable to get the target's current scale: replicasets.apps \"nope\" not found");
    await().until(() -> !events("hpa-notarget", "FailedGetScale").isEmpty());
    assertThat(events("hpa-notarget", "FailedGetScale")).contains("replicasets.apps \"nope\" not found");
  }

  @Test
  void withoutBehaviorOneSyncAtMostDoublesOrReachesFour() {
    namespace("hpa-legacy");
    replicaSet("hpa-legacy", "hot", 1, 1000);
    hpa("hpa-legacy", "hot", "hot", 1, 10, 10, null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-legacy", "hot");

    assertThat(replicas("hpa-legacy", "hot")).isEqualTo(4); // wants 10, max(2 * 1, 4)
    assertThat(condition(hpa, "ScalingLimited")).extracting("status", "reason", "message").containsExactly("True",
        "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate");
  }

  @Test
  void atMaxReplicasItIsTooManyReplicas() {
    namespace("hpa-max");
    replicaSet("hpa-max", "capped", 2, 500, 500);
    hpa("hpa-max", "capped", "capped", 1, 3, 50, null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-max", "capped");

    assertThat(replicas("hpa-max", "capped")).as("%s", hpa.getStatus()).isEqualTo(3); // wants 20
    assertThat(condition(hpa, "ScalingLimited")).extracting("status", "reason", "message").containsExactly("True",
        "TooManyReplicas", "the desired replica count is more than the maximum replica count");
  }

  @Test
  void scaleDownWaitsForTheStabilizationWindow() {
    namespace("hpa-down");
    replicaSet("hpa-down", "idle", 3, 1, 1, 1);
    hpa("hpa-down", "idle", "idle", 1, 5, 50, "{scaleDown: {stabilizationWindowSeconds: 40}}");

    HorizontalPodAutoscaler hpa = firstSync("hpa-down", "idle"); // the first recommendation (3) is the current count
    assertThat(replicas("hpa-down", "idle")).as("%s", hpa.getStatus()).isEqualTo(3);
    assertThat(condition(hpa, "AbleToScale")).extracting("reason", "message").containsExactly("ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation");
    sync("hpa-down", "idle");
    hpa = sync("hpa-down", "idle"); // 30 s in: still within 40 s of the first recommendation
    assertThat(replicas("hpa-down", "idle")).as("%s", hpa.getStatus()).isEqualTo(3);
    hpa = sync("hpa-down", "idle"); // 45 s in
    assertThat(replicas("hpa-down", "idle")).as("%s %s", hpa.getStatus(), fixture.list(Event.class, "hpa-down")).isEqualTo(1);
    await().until(() -> events("hpa-down", "SuccessfulRescale").contains("New size: 1; reason: All metrics below target"));
  }

  @Test
  void scaleUpPoliciesLimitTheRate() {
    namespace("hpa-rate");
    replicaSet("hpa-rate", "ramp", 2, 300, 300);
    hpa("hpa-rate", "ramp", "ramp", 1, 10, 50,
        "{scaleUp: {policies: [{type: Pods, value: 1, periodSeconds: 60}]}}");

    HorizontalPodAutoscaler hpa = firstSync("hpa-rate", "ramp"); // wants 12 -> 10, one pod a minute
    assertThat(replicas("hpa-rate", "ramp")).isEqualTo(3);
    assertThat(condition(hpa, "ScalingLimited")).extracting("status", "reason").containsExactly("True", "ScaleUpLimit");
    sync("hpa-rate", "ramp"); // 15 s later: the minute's pod is spent
    assertThat(replicas("hpa-rate", "ramp")).isEqualTo(3);
    for (int i = 0; i < 3; i++) sync("hpa-rate", "ramp"); // 60 s after the first rescale
    assertThat(replicas("hpa-rate", "ramp")).isEqualTo(4);
  }

  @Test
  void aTargetAtZeroReplicasDisablesScaling() {
    namespace("hpa-zero");
    replicaSet("hpa-zero", "stopped", 0);
    hpa("hpa-zero", "stopped", "stopped", 1, 5, 50, null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-zero", "stopped");

    assertThat(replicas("hpa-zero", "stopped")).isZero();
    assertThat(condition(hpa, "ScalingActive")).extracting("status", "reason", "message").containsExactly("False",
        "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
  }

  @Test
  void belowMinReplicasItScalesToTheMinimum() {
    namespace("hpa-min");
    replicaSet("hpa-min", "few", 1, 10);
    hpa("hpa-min", "few", "few", 2, 5, 50, null);
    firstSync("hpa-min", "few");

    assertThat(replicas("hpa-min", "few")).isEqualTo(2);
    await().until(() -> events("hpa-min", "SuccessfulRescale")
        .contains("New size: 2; reason: Current number of replicas below Spec.MinReplicas"));
  }

  @Test
  void memoryByAverageValue() {
    namespace("hpa-memory");
    replicaSet("hpa-memory", "mem", 1, 10); // each pod's container uses 10000000 bytes
    hpa("hpa-memory", "mem", "mem", 1, 5,
        "{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 5Mi}}}", null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-memory", "mem");

    assertThat(replicas("hpa-memory", "mem")).isEqualTo(2); // 10000000 / 5242880 = 1.9
    var current = hpa.getStatus().getCurrentMetrics().get(0).getResource().getCurrent();
    assertThat(current.getAverageValue().toString()).isEqualTo("10M");
    assertThat(current.getAverageUtilization()).isNull();
    await().until(() -> events("hpa-memory", "SuccessfulRescale").contains("New size: 2; reason: memory resource above target"));
  }

  @Test
  void containerResourceUtilization() {
    namespace("hpa-container");
    replicaSet("hpa-container", "one", 1, 90);
    hpa("hpa-container", "one", "one", 1, 5, "{type: ContainerResource, containerResource: {name: cpu, container: c,"
        + " target: {type: Utilization, averageUtilization: 30}}}", null);
    HorizontalPodAutoscaler hpa = firstSync("hpa-container", "one");

    assertThat(replicas("hpa-container", "one")).isEqualTo(3);
    var metric = hpa.getStatus().getCurrentMetrics().get(0);
    assertThat(metric.getType()).isEqualTo("ContainerResource");
    assertThat(metric.getContainerResource().getContainer()).isEqualTo("c");
    assertThat(metric.getContainerResource().getCurrent().getAverageUtilization()).isEqualTo(90);
    await().until(() -> events("hpa-container", "SuccessfulRescale")
        .contains("New size: 3; reason: cpu container resource utilization (percentage of request) above target"));
  }

  @Test
  void theScaleIsWrittenOnlyOverTheVersionItWasReadAt() {
    namespace("hpa-scale");
    replicaSet("hpa-scale", "target", 1);
    var type = fixture.context.informers().typeOf(ReplicaSet.class);
    var scale = fixture.context.fresh().scale(type, "hpa-scale", "target");
    assertThat(scale.getStatus().getSelector()).isEqualTo("app=target");
    fixture.change("apps/v1", "ReplicaSet", "hpa-scale", "target", rs -> {
      rs.withObjectProperty("metadata").putObject("labels").put("moved", "on");
      return rs;
    });
    var stale = fixture.context.writer().updateScale(type, "hpa-scale", "target", scale.getMetadata().getResourceVersion(), 3);
    assertThat(stale.toCompletableFuture()).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
        .havingCause().withMessageContaining("the object has been modified");
    var fresh = fixture.context.fresh().scale(type, "hpa-scale", "target");
    assertThat(fixture.context.writer().updateScale(type, "hpa-scale", "target", fresh.getMetadata().getResourceVersion(), 3)
        .toCompletableFuture().join().getSpec().getReplicas()).isEqualTo(3);
    assertThat(replicas("hpa-scale", "target")).isEqualTo(3);
  }
}
