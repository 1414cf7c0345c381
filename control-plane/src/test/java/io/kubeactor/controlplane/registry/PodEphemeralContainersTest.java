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
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** PATCH and PUT of pods/NAME/ephemeralcontainers, checked as ValidatePodEphemeralContainersUpdate. */
class PodEphemeralContainersTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final ResourceType PODS = fixture.registry.types().byKind("v1", "Pod").orElseThrow();
  static final String SMP = "application/strategic-merge-patch+json";

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static void pod(String name) {
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: default},
         spec: {nodeName: a, initContainers: [{name: setup, image: busybox}], containers: [{name: web, image: nginx}]}}"""
        .formatted(name));
  }

  private static ObjectNode patch(String name, String contentType, String patchYaml) throws Exception {
    JsonNode patch = Json.YAML.readTree(patchYaml);
    return done(fixture.registry.patch(PODS, "default", name, "ephemeralcontainers", contentType, patch, WriteOptions.internal()));
  }

  /** A debug container as kubectl debug sends it: the strategic merge patch of the pod with it added. */
  private static ObjectNode addDebugger(String name, String container) throws Exception {
    return patch(name, SMP, "{spec: {ephemeralContainers: [%s]}}".formatted(container));
  }

  private static ObjectNode done(java.util.concurrent.CompletionStage<ObjectNode> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ApiException api ? api : e;
    }
  }

  private static void refused(ThrowingCallable call, String... messages) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code).isEqualTo(422);
      assertThat(e.getMessage()).contains(messages);
    });
  }

  @Test
  void anEphemeralContainerIsAddedDefaultedAndNothingElseChanges() throws Exception {
    pod("added");
    ObjectNode pod = patch("added", SMP, """
        {metadata: {labels: {sneaky: x}}, spec: {activeDeadlineSeconds: 5, containers: [{name: web, image: httpd}],
         ephemeralContainers: [{name: debugger-abcde, image: busybox, targetContainerName: web, stdin: true, tty: true,
           command: [sh]}]}}""");
    JsonNode debugger = pod.path("spec").path("ephemeralContainers").path(0);
    assertThat(debugger.path("name").asText()).isEqualTo("debugger-abcde");
    assertThat(debugger.path("targetContainerName").asText()).isEqualTo("web");
    // defaulted as any container
    assertThat(debugger.path("terminationMessagePolicy").asText()).isEqualTo("File");
    assertThat(debugger.path("imagePullPolicy").asText()).isEqualTo("Always");
    // the rest of the request is dropped, as dropNonEphemeralContainerUpdates does
    assertThat(pod.path("spec").path("containers").path(0).path("image").asText()).isEqualTo("nginx");
    assertThat(pod.path("spec").has("activeDeadlineSeconds")).isFalse();
    assertThat(pod.path("metadata").path("labels").has("sneaky")).isFalse();

    // a second one by JSON patch, as kubectl debug sends it to older servers; the first stays
    ObjectNode second = patch("added", "application/json-patch+json", """
        [{op: add, path: /spec/ephemeralContainers/-, value: {name: debugger-fghij, image: busybox}}]""");
    assertThat(second.path("spec").path("ephemeralContainers")).extracting(c -> c.path("name").asText())
        .containsExactly("debugger-abcde", "debugger-fghij");
  }

  @Test
  void aPutReplacesTheListAndAPodUpdateMayNotAddOne() throws Exception {
    pod("put");
    ObjectNode pod = fixture.registry.get(PODS, "default", "put");
    ObjectNode asked = pod.deepCopy();
    asked.withObjectProperty("spec").putArray("ephemeralContainers").addObject().put("name", "debugger").put("image", "busybox");
    ObjectNode written = done(fixture.registry.update(PODS, "default", "put", "ephemeralcontainers", asked, WriteOptions.internal()));
    assertThat(written.path("spec").path("ephemeralContainers").path(0).path("name").asText()).isEqualTo("debugger");

    ObjectNode viaPod = written.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) viaPod.path("spec").path("ephemeralContainers"))
        .addObject().put("name", "other").put("image", "busybox");
    assertThatThrownBy(() -> done(fixture.registry.update(PODS, "default", "put", null, viaPod, WriteOptions.internal())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("pod updates may not change fields"));
  }

  @Test
  void existingEphemeralContainersMayNotBeRemovedOrChanged() throws Exception {
    pod("kept");
    addDebugger("kept", "{name: debugger, image: busybox}");
    refused(() -> patch("kept", "application/merge-patch+json", "{spec: {ephemeralContainers: []}}"),
        "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not be removed\n");
    refused(() -> addDebugger("kept", "{name: debugger, image: alpine}"),
        "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not be changed\n",
        "image: \"busybox\"", "image: \"alpine\"");
  }

  @Test
  void anEphemeralContainerIsValidatedWithUpstreamsMessages() throws Exception {
    pod("invalid");
    refused(() -> addDebugger("invalid", "{name: web, image: busybox}"),
        "spec.ephemeralContainers[0].name: Duplicate value: \"web\"");
    refused(() -> addDebugger("invalid", "{name: setup, image: busybox}"),
        "spec.ephemeralContainers[0].name: Duplicate value: \"setup\"");
    refused(() -> addDebugger("invalid", "{name: debugger, image: busybox, targetContainerName: nosuch}"),
        "spec.ephemeralContainers[0].targetContainerName: Not found: \"nosuch\"");
    refused(() -> addDebugger("invalid", """
            {name: debugger, image: busybox, ports: [{containerPort: 80}], resources: {limits: {cpu: "1"}},
             readinessProbe: {exec: {command: ["true"]}}, lifecycle: {preStop: {exec: {command: ["true"]}}}}"""),
        "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container");
    refused(() -> addDebugger("invalid", "{name: Debugger, image: busybox}"),
        "spec.ephemeralContainers[0].name: Invalid value: \"Debugger\"");
    // and nothing was added by the refused requests
    assertThat(fixture.registry.get(PODS, "default", "invalid").path("spec").has("ephemeralContainers")).isFalse();
  }

  @Test
  void staticPodsDoNotSupportEphemeralContainers() throws Exception {
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: mirror, namespace: default, annotations: {kubernetes.io/config.mirror: x}},
         spec: {nodeName: a, containers: [{name: web, image: nginx}]}}""");
    refused(() -> addDebugger("mirror", "{name: debugger, image: busybox}"),
        ": Forbidden: static pods do not support ephemeral containers");
  }
}
