package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** PATCH and PUT of pods/NAME/resize, checked as Kubernetes 1.33's ValidatePodResize. */
class PodResizeTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final ResourceType PODS = fixture.registry.types().byKind("v1", "Pod").orElseThrow();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  /** A Burstable pod: cpu 100m..200m, memory 64Mi..128Mi, ephemeral-storage limited. */
  private static void pod(String name) {
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: default},
         spec: {nodeName: a, containers: [{name: c, image: busybox, resources: {
           requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi, ephemeral-storage: 1Gi}}}]}}""".formatted(name));
  }

  private static ObjectNode resize(String name, String patchYaml) throws Exception {
    JsonNode patch = Json.YAML.readTree(patchYaml);
    try {
      return fixture.registry.patch(PODS, "default", name, "resize", "application/strategic-merge-patch+json", patch,
          WriteOptions.internal()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ApiException api ? api : e;
    }
  }

  private static JsonNode resources(JsonNode pod) {
    return pod.path("spec").path("containers").path(0).path("resources");
  }

  @Test
  void cpuAndMemoryChangeAndNothingElse() throws Exception {
    pod("ok");
    ObjectNode resized = resize("ok", """
        {metadata: {labels: {sneaky: x}}, spec: {activeDeadlineSeconds: 5, containers: [{name: c, image: nginx,
          resources: {requests: {cpu: 150m}, limits: {cpu: 300m, memory: 256Mi, ephemeral-storage: 1Gi}}}]}}""");
    assertThat(resources(resized).path("requests").path("cpu").asText()).isEqualTo("150m");
    assertThat(resources(resized).path("limits").path("memory").asText()).isEqualTo("256Mi");
    // the rest of the request is dropped, as upstream's resize strategy does
    assertThat(resized.path("spec").path("containers").path(0).path("image").asText()).isEqualTo("busybox");
    assertThat(resized.path("spec").has("activeDeadlineSeconds")).isFalse();
    assertThat(resized.path("metadata").path("labels").has("sneaky")).isFalse();
  }

  @Test
  void aResizeThatChangesTheQosClassIsRefused() throws Exception {
    pod("qos");
    assertThatThrownBy(() -> resize("qos", """
        {spec: {containers: [{name: c, resources: {requests: {cpu: 200m, memory: 128Mi}}}]}}"""))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec: Invalid value: \"Burstable\": Pod QOS Class may not change as a result of resizing");
        });
  }

  @Test
  void otherResourcesStayAndNothingIsRemoved() throws Exception {
    pod("other");
    assertThatThrownBy(() -> resize("other", """
        {spec: {containers: [{name: c, resources: {limits: {ephemeral-storage: 2Gi}}}]}}"""))
        .isInstanceOfSatisfying(ApiException.class, e ->
            assertThat(e.getMessage()).contains("spec: Forbidden: only cpu and memory resources are mutable"));
    assertThatThrownBy(() -> resize("other", """
        {spec: {containers: [{name: c, resources: {limits: {memory: null}}}]}}"""))
        .isInstanceOfSatisfying(ApiException.class, e ->
            assertThat(e.getMessage()).contains("spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed"));
    assertThatThrownBy(() -> resize("other", """
        {spec: {containers: [{name: c, resources: {requests: {cpu: 500m}}}]}}"""))
        .isInstanceOfSatisfying(ApiException.class, e ->
            assertThat(e.getMessage()).contains("must be less than or equal to cpu limit"));
  }

  @Test
  void anOrdinaryUpdateMayStillNotChangeResources() throws Exception {
    pod("plain");
    JsonNode patch = Json.YAML.readTree("{spec: {containers: [{name: c, resources: {requests: {cpu: 150m}}}]}}");
    assertThatThrownBy(() -> {
      try {
        fixture.registry.patch(PODS, "default", "plain", null, "application/strategic-merge-patch+json", patch,
            WriteOptions.internal()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    }).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("pod updates may not change fields"));
  }
}
