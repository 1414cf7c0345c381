package io.kubeactor.controlplane.controller.vpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscalerCondition;
import io.kubeactor.common.Json;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recommender on a real registry: recommendations from reported usage, capping, conditions, HPA conflicts. */
class VpaRecommenderTest {

  private VpaCluster c;
  private org.apache.pekko.actor.typed.ActorRef<io.kubeactor.controlplane.controller.Controller.Command> recommender;

  @BeforeEach
  void start() {
    c = new VpaCluster();
    recommender = c.cluster.fixture.start(new VpaRecommender(c.cluster.fixture.context));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private static Optional<VerticalPodAutoscalerCondition> condition(VerticalPodAutoscaler vpa, String type) {
    if (vpa.getStatus() == null || vpa.getStatus().getConditions() == null) return Optional.empty();
    return vpa.getStatus().getConditions().stream().filter(x -> x.getType().equals(type)).findFirst();
  }

  private JsonNode recommendation(String vpa) {
    return Json.toTree(c.vpa(vpa)).path("status").path("recommendation").path("containerRecommendations").path(0);
  }

  /** The end of the CPU bucket that holds {@code cores}, plus 15%, in millicores: the target of a steady usage. */
  private static long targetOf(double cores) {
    HistogramOptions o = AggregateContainerState.CPU_HISTOGRAM;
    long p90 = Estimator.amount(o.bucketStart(o.findBucket(cores) + 1) * 1000);
    return p90 + Estimator.amount(p90 * 0.15);
  }

  @Test
  void aPodUsingMoreThanItRequestsGetsARecommendationAboveItsRequest() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m, memory: 50Mi}}");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: web, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, updatePolicy: {updateMode: "Off"}}}""");
    c.usage("web-0", 0.5, 300_000_000L);
    c.usage("web-1", 0.5, 300_000_000L);
    await().until(() -> recommendation("web").path("target").path("cpu").isTextual());
    JsonNode r = recommendation("web");
    assertThat(r.path("containerName").asText()).isEqualTo("c");
    assertThat(r.path("target").path("cpu").asText()).isEqualTo(targetOf(0.5) + "m");
    assertThat(r.path("uncappedTarget").path("cpu").asText()).isEqualTo(targetOf(0.5) + "m");
    // memory: the bucket above 300 MB plus 15%, written as upstream's DecimalSI bytes
    HistogramOptions m = AggregateContainerState.MEMORY_HISTOGRAM;
    long peak = Estimator.amount(m.bucketStart(m.findBucket(3e8) + 1));
    assertThat(r.path("target").path("memory").asText())
        .isEqualTo(io.kubeactor.common.Quantities.canonical(String.valueOf(peak + Estimator.amount(peak * 0.15))));
    // little history: the lower bound is far under the target but at least the pod's 25m, the upper bound huge
    assertThat(io.kubeactor.controlplane.api.vpa.VpaPolicy.amount("cpu", r.path("lowerBound").path("cpu"))).isBetween(25L, targetOf(0.5));
    assertThat(io.kubeactor.controlplane.api.vpa.VpaPolicy.amount("cpu", r.path("upperBound").path("cpu"))).isGreaterThan(targetOf(0.5));
    assertThat(condition(c.vpa("web"), "RecommendationProvided").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(condition(c.vpa("web"), "NoPodsMatched")).isEmpty();
  }

  @Test
  void recommendationsAreCappedByTheContainerPolicyAndLeaveOutOffContainersAndUncontrolledResources() {
    c.replicaSet("web", 1, 1, "{requests: {cpu: 10m}}");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: web, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, updatePolicy: {updateMode: "Off"},
                resourcePolicy: {containerPolicies: [{containerName: "*", maxAllowed: {cpu: 100m}, controlledResources: [cpu]}]}}}""");
    c.usage("web-0", 0.5, 300_000_000L);
    await().until(() -> recommendation("web").path("target").has("cpu"));
    JsonNode r = recommendation("web");
    assertThat(r.path("target").path("cpu").asText()).isEqualTo("100m");
    assertThat(r.path("lowerBound").path("cpu").asText()).isEqualTo("25m");
    assertThat(r.path("upperBound").path("cpu").asText()).isEqualTo("100m");
    assertThat(r.path("uncappedTarget").path("cpu").asText()).isEqualTo(targetOf(0.5) + "m");
    assertThat(r.path("target").has("memory")).isFalse();

    c.cluster.fixture.change("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", "default", "web", v -> {
      ((com.fasterxml.jackson.databind.node.ObjectNode) v.at("/spec/resourcePolicy/containerPolicies/0")).put("mode", "Off");
      return v;
    });
    c.usage("web-0", 0.5, 300_000_000L);
    // an Off container gets no recommendation: with it the VPA has none
    await().untilAsserted(() -> assertThat(condition(c.vpa("web"), "RecommendationProvided").orElseThrow().getStatus()).isEqualTo("False"));
    assertThat(recommendation("web").isMissingNode()).isTrue();
  }

  @Test
  void aTargetWithoutPodsOrWithoutAnObjectIsReported() {
    c.replicaSet("empty", 0, 0, "{}");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: empty, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: empty}}}""");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: nope, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: Deployment, name: nope}}}""");
    await().until(() -> condition(c.vpa("empty"), "NoPodsMatched").isPresent());
    VerticalPodAutoscalerCondition none = condition(c.vpa("empty"), "NoPodsMatched").get();
    assertThat(none.getStatus()).isEqualTo("True");
    assertThat(none.getMessage()).isEqualTo("No pods match this VPA object");
    assertThat(condition(c.vpa("empty"), "RecommendationProvided").orElseThrow().getStatus()).isEqualTo("False");

    await().until(() -> condition(c.vpa("nope"), "ConfigUnsupported").isPresent());
    assertThat(condition(c.vpa("nope"), "ConfigUnsupported").get().getMessage())
        .isEqualTo("Cannot read targetRef. Reason: deployments.apps \"nope\" not found");
  }

  @Test
  void anHpaOnTheSameTargetAndResourceKeepsTheVpaOffThatResource() {
    c.replicaSet("web", 1, 1, "{requests: {cpu: 10m}}");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: web, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, updatePolicy: {updateMode: Recreate}}}""");
    c.cluster.fixture.apply("""
        {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web-hpa, namespace: default},
         spec: {scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, maxReplicas: 4,
                metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]}}""");
    c.usage("web-0", 0.5, 300_000_000L);
    await().until(() -> condition(c.vpa("web"), "ConfigUnsupported").isPresent() && recommendation("web").has("target"));
    VerticalPodAutoscalerCondition conflict = condition(c.vpa("web"), "ConfigUnsupported").get();
    assertThat(conflict.getStatus()).isEqualTo("True");
    assertThat(conflict.getReason()).isEqualTo("HorizontalPodAutoscalerConflict");
    assertThat(conflict.getMessage()).isEqualTo("HorizontalPodAutoscaler \"web-hpa\" scales ReplicaSet/web on cpu: this VPA"
        + " does not set cpu of its pods, as the two autoscalers would act against each other");
    assertThat(recommendation("web").path("target").has("cpu")).isFalse();
    assertThat(recommendation("web").path("target").has("memory")).isTrue();
    await().until(() -> !c.cluster.events("web", "HorizontalPodAutoscalerConflict").isEmpty());
    assertThat(c.cluster.events("web", "HorizontalPodAutoscalerConflict").get(0).getType()).isEqualTo("Warning");

    c.cluster.fixture.delete("autoscaling/v2", "HorizontalPodAutoscaler", "default", "web-hpa", null);
    c.usage("web-0", 0.5, 300_000_000L);
    await().until(() -> condition(c.vpa("web"), "ConfigUnsupported").isEmpty() && recommendation("web").path("target").has("cpu"));
  }

  @Test
  void anOomKilledContainerGetsMoreMemoryThanItUsed() {
    c.replicaSet("db", 1, 1, "{requests: {cpu: 10m, memory: 50Mi}, limits: {memory: 50Mi}}");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: db, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: db}, updatePolicy: {updateMode: "Off"}}}""");
    c.usage("db-0", 0.1, 300_000_000L); // measured at 10:00:15
    await().until(() -> recommendation("db").path("target").has("memory"));
    long measured = io.kubeactor.controlplane.api.vpa.VpaPolicy.amount("memory", recommendation("db").path("target").path("memory"));

    c.cluster.fixture.changeStatus("v1", "Pod", "default", "db-0", p -> {
      p.withObjectProperty("status").putArray("containerStatuses").add(VpaCluster.parse("""
          {name: c, ready: true, restartCount: 1, image: busybox, imageID: "", started: true,
           state: {running: {startedAt: "2025-03-01T10:00:21Z"}},
           lastState: {terminated: {exitCode: 137, reason: OOMKilled, startedAt: "2025-03-01T10:00:00Z",
                                    finishedAt: "2025-03-01T10:00:20Z"}}}"""));
      return p;
    });
    // the kill counts as a peak of the 300 MB measured + 100 MiB, which replaces the interval's peak
    HistogramOptions m = AggregateContainerState.MEMORY_HISTOGRAM;
    long peak = Estimator.amount(m.bucketStart(m.findBucket(300e6 + 100 * 1024 * 1024) + 1));
    long bumped = peak + Estimator.amount(peak * 0.15);
    await().untilAsserted(() -> assertThat(
        io.kubeactor.controlplane.api.vpa.VpaPolicy.amount("memory", recommendation("db").path("target").path("memory")))
        .isEqualTo(bumped));
    assertThat(bumped).isGreaterThan(measured);
  }

  /** The history goes to a checkpoint per container, and a recommender that starts again resumes from it. */
  @Test
  void historySurvivesARestartInCheckpoints() {
    c.replicaSet("web", 1, 1, "{requests: {cpu: 10m}}");
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: web, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, updatePolicy: {updateMode: "Off"}}}""");
    c.usage("web-0", 0.5, 300_000_000L);
    await().until(() -> checkpoint("web-c") != null && checkpoint("web-c").path("status").path("totalSamplesCount").asInt() == 1);
    c.usage("web-0", 0.5, 300_000_000L);
    await().until(() -> checkpoint("web-c").path("status").path("totalSamplesCount").asInt() == 2);
    JsonNode saved = checkpoint("web-c");
    assertThat(saved.path("spec").path("vpaObjectName").asText()).isEqualTo("web");
    assertThat(saved.path("spec").path("containerName").asText()).isEqualTo("c");
    assertThat(saved.path("status").path("version").asText()).isEqualTo("v3");
    assertThat(saved.path("status").path("cpuHistogram").path("bucketWeights").size()).isEqualTo(1);
    assertThat(saved.path("metadata").path("ownerReferences").path(0).path("name").asText()).isEqualTo("web");

    c.cluster.fixture.testKit.stop(recommender);
    var again = c.cluster.fixture.start(new VpaRecommender(c.cluster.fixture.context));
    c.usage("web-0", 0.5, 300_000_000L);
    // three samples: two from the checkpoint, one new
    await().until(() -> checkpoint("web-c").path("status").path("totalSamplesCount").asInt() == 3);
    c.cluster.fixture.testKit.stop(again);
  }

  private JsonNode checkpoint(String name) {
    var o = c.cluster.fixture.get(io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscalerCheckpoint.class, "default", name);
    return o == null ? null : Json.toTree(o);
  }
}
