package io.kubeactor.controlplane.controller.vpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.controlplane.api.ApiException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VPA's pod admission on the registry's create path, and the VPA's own validation. */
class VpaAdmissionTest {

  private VpaCluster c;

  @BeforeEach
  void start() {
    c = new VpaCluster();
    c.replicaSet("web", 2, 0, "{}");
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private void vpa(String mode, String resourcePolicy) {
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: web, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, updatePolicy: {updateMode: %s} %s}}"""
        .formatted(mode, resourcePolicy));
    c.recommendation("web", "{containerName: c, target: {cpu: 250m, memory: 300Mi}, lowerBound: {cpu: 100m, memory: 200Mi},"
        + " upperBound: {cpu: '1', memory: 1Gi}, uncappedTarget: {cpu: 250m, memory: 300Mi}}");
  }

  private Pod create(String labels, String resources) {
    c.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: default, labels: %s},
         spec: {containers: [{name: c, image: busybox, resources: %s}, {name: sidecar, image: busybox}]}}"""
        .formatted(labels, resources));
    return c.pod("p");
  }

  private static Map<String, Quantity> requests(Pod p) {
    return p.getSpec().getContainers().get(0).getResources().getRequests();
  }

  private static Map<String, Quantity> limits(Pod p) {
    return p.getSpec().getContainers().get(0).getResources().getLimits();
  }

  @Test
  void requestsComeFromTheTargetAndLimitsKeepTheirRatio() {
    vpa("Recreate", "");
    Pod p = create("{app: web}", "{requests: {cpu: 10m, memory: 100Mi}, limits: {cpu: 20m}}");
    assertThat(requests(p)).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("314572800"));
    assertThat(limits(p)).containsEntry("cpu", new Quantity("500m")).doesNotContainKey("memory");
    assertThat(p.getMetadata().getAnnotations())
        .containsEntry("vpaUpdates", "Pod resources updated by web: container 0: cpu request, memory request, cpu limit")
        .containsEntry("vpaObservedContainers", "c, sidecar");
    // a container without a recommendation is left alone
    assertThat(p.getSpec().getContainers().get(1).getResources().getRequests()).isNullOrEmpty();
  }

  @Test
  void requestsOnlyKeepsTheLimitsAndStaysUnderThem() {
    vpa("Initial", ", resourcePolicy: {containerPolicies: [{containerName: c, controlledValues: RequestsOnly, controlledResources: [cpu]}]}");
    Pod p = create("{app: web}", "{requests: {cpu: 10m}, limits: {cpu: 200m}}");
    assertThat(requests(p)).containsEntry("cpu", new Quantity("200m")).doesNotContainKey("memory");
    assertThat(limits(p)).containsEntry("cpu", new Quantity("200m"));
    assertThat(p.getMetadata().getAnnotations()).containsEntry("vpaUpdates", "Pod resources updated by web: container 0: cpu request");
  }

  @Test
  void modeOffAndOtherPodsAreLeftAlone() {
    vpa("\"Off\"", "");
    Pod off = create("{app: web}", "{requests: {cpu: 10m}}");
    assertThat(requests(off)).containsEntry("cpu", new Quantity("10m"));
    assertThat(off.getMetadata().getAnnotations()).isNullOrEmpty();
    c.cluster.fixture.delete("v1", "Pod", "default", "p", null);

    c.cluster.fixture.change("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", "default", "web", v -> {
      v.withObjectProperty("spec").withObjectProperty("updatePolicy").put("updateMode", "Initial");
      return v;
    });
    Pod other = create("{app: db}", "{requests: {cpu: 10m}}");
    assertThat(requests(other)).containsEntry("cpu", new Quantity("10m"));
    assertThat(other.getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void theSchemaRefusesWithA422AndTheWebhookWithA400() {
    assertThatThrownBy(() -> c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: bad, namespace: default},
         spec: {targetRef: {kind: Deployment, name: web}, updatePolicy: {updateMode: Sometimes}}}"""))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("VerticalPodAutoscaler.autoscaling.k8s.io \"bad\" is invalid: spec.updatePolicy.updateMode:"
              + " Unsupported value: \"Sometimes\": supported values: \"Off\", \"Initial\", \"Recreate\", \"InPlaceOrRecreate\", \"Auto\"");
        });
    assertThatThrownBy(() -> c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: bad, namespace: default}, spec: {}}"""))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).endsWith("spec.targetRef: Required value"));
    assertThatThrownBy(() -> c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: bad, namespace: default},
         spec: {targetRef: {kind: Deployment, name: web}, updatePolicy: {updateMode: Auto, minReplicas: 0},
                resourcePolicy: {containerPolicies: [{containerName: c, minAllowed: {cpu: 500m}, maxAllowed: {cpu: 100m}}]}}}"""))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo("admission webhook \"vpa.k8s.io\" denied the request: ["
              + "spec.updatePolicy.minReplicas: Invalid value: 0: minReplicas has to be positive, "
              + "spec.resourcePolicy.containerPolicies[0].maxAllowed[cpu]: Invalid value: \"100m\": max resource for cpu is lower than min of \"500m\"]");
        });
  }
}
