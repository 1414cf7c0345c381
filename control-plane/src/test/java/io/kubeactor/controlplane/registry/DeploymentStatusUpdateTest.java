package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * deploymentStatusStrategy: a status update keeps the stored spec and labels and takes the status and
 * the annotations sent, which is how the deployment controller writes the revision annotation.
 */
class DeploymentStatusUpdateTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  @Test
  void theStatusAndAnnotationsGoInTheSpecAndLabelsStay() {
    ObjectNode stored = fixture.apply("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: default,"
        + " labels: {tier: front}}, spec: {replicas: 1, selector: {matchLabels: {app: web}},"
        + " template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}}");
    ResourceType deployments = fixture.registry.types().byKind("apps/v1", "Deployment").orElseThrow();
    ObjectNode sent = stored.deepCopy();
    sent.withObjectProperty("metadata").withObjectProperty("annotations").put("deployment.kubernetes.io/revision", "1");
    sent.withObjectProperty("metadata").withObjectProperty("labels").put("tier", "back");
    sent.withObjectProperty("spec").put("replicas", 5);
    sent.withObjectProperty("status").put("observedGeneration", 1);
    ObjectNode written = fixture.registry.update(deployments, "default", "web", "status", sent, WriteOptions.internal())
        .toCompletableFuture().join();
    assertThat(written.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText()).isEqualTo("1");
    assertThat(written.at("/metadata/labels/tier").asText()).isEqualTo("front");
    assertThat(written.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(written.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(written.at("/status/observedGeneration").asLong()).isEqualTo(1);
  }
}
