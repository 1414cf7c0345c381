package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import org.junit.jupiter.api.Test;

class ConversionsTest {

  static final ResourceRegistry TYPES = ResourceRegistry.builtIn();
  static final ResourceType V1 = TYPES.find("/apis/autoscaling/v1", "horizontalpodautoscalers").orElseThrow();
  static final ResourceType V2 = TYPES.find("/apis/autoscaling/v2", "horizontalpodautoscalers").orElseThrow();

  static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) Json.YAML.readTree(text);
  }

  @Test
  void theStoredVersionIsV2() {
    assertThat(TYPES.storageType(V1)).isSameAs(V2);
  }

  @Test
  void v2IsShownToV1ClientsAsACpuPercentage() throws Exception {
    ObjectNode stored = yaml("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 5
          metrics:
          - type: Resource
            resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 30}}
        status:
          currentReplicas: 2
          desiredReplicas: 2
          currentMetrics:
          - type: Resource
            resource: {name: cpu, current: {averageUtilization: 12, averageValue: 60m}}
        """);

    ObjectNode v1 = Conversions.toVersion(V1, stored);

    assertThat(v1.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(30);
    assertThat(v1.at("/spec/metrics").isMissingNode()).isTrue();
    assertThat(v1.at("/status/currentCPUUtilizationPercentage").asInt()).isEqualTo(12);
    assertThat(v1.at("/status/currentMetrics").isMissingNode()).isTrue();
    assertThat(stored.at("/spec/metrics").size()).as("the stored object is untouched").isEqualTo(2);
  }

  @Test
  void aV1StatusAlwaysCarriesItsReplicaCounts() throws Exception {
    // an HPA whose target is missing: its status has conditions only (v2's currentReplicas is omitempty)
    ObjectNode stored = yaml("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: nothing}
          maxReplicas: 5
        status:
          conditions:
          - {type: AbleToScale, status: "False", reason: FailedGetScale}
        """);

    ObjectNode v1 = Conversions.toVersion(V1, stored);

    assertThat(v1.at("/status/currentReplicas").isInt()).isTrue();
    assertThat(v1.at("/status/currentReplicas").asInt()).isZero();
    assertThat(v1.at("/status/desiredReplicas").isInt()).isTrue();
    assertThat(v1.at("/status/desiredReplicas").asInt()).isZero();
  }

  @Test
  void aV1WriteKeepsTheMetricsV1CannotExpress() throws Exception {
    ObjectNode stored = yaml("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 5
          metrics:
          - type: Resource
            resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 30}}
        """);
    ObjectNode written = Conversions.toVersion(V1, stored).deepCopy();
    written.withObjectProperty("spec").put("targetCPUUtilizationPercentage", 50);

    ObjectNode v2 = Conversions.toStorage(V2, V1, written, stored);

    assertThat(v2.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(v2.at("/spec/targetCPUUtilizationPercentage").isMissingNode()).isTrue();
    assertThat(v2.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
    assertThat(v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(50);
    assertThat(v2.at("/spec/metrics/1/resource/name").asText()).isEqualTo("memory");
  }

  @Test
  void otherKindsAreStoredAsWritten() throws Exception {
    ResourceType deployments = TYPES.find("/apis/apps/v1", "deployments").orElseThrow();
    ObjectNode d = yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: x}}");
    assertThat(Conversions.toVersion(deployments, d)).isSameAs(d);
    assertThat(Conversions.toStorage(deployments, deployments, d, null)).isSameAs(d);
  }

  @Test
  void aV1BodyWhoseSpecOrStatusIsNoObjectIsLeftForDecodingToJudge() throws Exception {
    // status: null reads as no status (reset on create anyway); a spec of the wrong type is refused
    // later by typed decoding with a 400, so conversion must neither fail nor hide it
    ObjectNode nullStatus = yaml("""
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3,
               targetCPUUtilizationPercentage: 50}
        status: null
        """);
    ObjectNode converted = Conversions.toStorage(V2, V1, nullStatus, null);
    assertThat(converted.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(50);
    assertThat(converted.get("status").isNull()).isTrue();

    ObjectNode textSpec = yaml("""
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec: "all of them"
        """);
    assertThat(Conversions.toStorage(V2, V1, textSpec, null).get("spec").asText()).isEqualTo("all of them");
  }

  static final ResourceType CORE_EVENT = TYPES.find("/api/v1", "events").orElseThrow();
  static final ResourceType EVENTS_V1 = TYPES.find("/apis/events.k8s.io/v1", "events").orElseThrow();

  @Test
  void eventsK8sIoEventsAreStoredAsCoreEventsUnderOtherFieldNames() throws Exception {
    assertThat(TYPES.storageType(EVENTS_V1)).isSameAs(CORE_EVENT);
    assertThat(EVENTS_V1.storeKey("shop", "web.1")).isEqualTo(CORE_EVENT.storeKey("shop", "web.1"));
    ObjectNode written = yaml("""
        apiVersion: events.k8s.io/v1
        kind: Event
        metadata: {name: web.1, namespace: shop}
        regarding: {apiVersion: networking.k8s.io/v1, kind: Ingress, namespace: shop, name: web}
        note: Scheduled for sync
        reason: Sync
        type: Normal
        action: Sync
        eventTime: "2025-01-01T10:00:00.000000Z"
        reportingController: nginx-ingress-controller
        reportingInstance: ingress-nginx-controller-x1
        deprecatedCount: 2
        message: not a field of events.k8s.io
        """);

    ObjectNode stored = Conversions.toStorage(CORE_EVENT, EVENTS_V1, written, null);
    assertThat(stored.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(stored.at("/involvedObject/name").asText()).isEqualTo("web");
    assertThat(stored.path("message").asText()).isEqualTo("Scheduled for sync");
    assertThat(stored.path("reportingComponent").asText()).isEqualTo("nginx-ingress-controller");
    assertThat(stored.path("count").asInt()).isEqualTo(2);
    assertThat(stored.path("reportingInstance").asText()).isEqualTo("ingress-nginx-controller-x1");
    assertThat(stored.has("regarding") || stored.has("note") || stored.has("deprecatedCount")).isFalse();

    ObjectNode shown = Conversions.toVersion(EVENTS_V1, stored);
    ObjectNode expected = written.deepCopy();
    expected.remove("message");
    assertThat(shown).isEqualTo(expected);
    assertThat(stored.path("message").asText()).as("the stored object is untouched").isEqualTo("Scheduled for sync");
  }
}
