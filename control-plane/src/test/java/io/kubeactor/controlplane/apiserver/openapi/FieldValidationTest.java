package io.kubeactor.controlplane.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubeactor.common.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldValidationTest {

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
        labels: {app: web, app.kubernetes.io/part-of: shop}
        annotations:
          kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"apps/v1"}'
          deployment.kubernetes.io/revision: "2"
        ownerReferences: []
        managedFields:
        - manager: kubectl-client-side-apply
          operation: Update
          apiVersion: apps/v1
          time: "2025-01-01T00:00:00Z"
          fieldsType: FieldsV1
          fieldsV1: {"f:spec": {"f:replicas": {}}}
      spec:
        replicas: 3
        selector:
          matchLabels: {app: web}
          matchExpressions:
          - {key: tier, operator: In, values: [frontend]}
        strategy:
          type: RollingUpdate
          rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
        template:
          metadata:
            labels: {app: web}
          spec:
            nodeSelector: {kubernetes.io/os: linux}
            containers:
            - name: nginx
              image: nginx:1.27
              imagePullPolicy: IfNotPresent
              ports:
              - {containerPort: 80, name: http, protocol: TCP}
              env:
              - {name: MODE, value: production}
              resources:
                requests: {cpu: 100m, memory: 64Mi}
                limits: {cpu: "1", memory: 128Mi}
              readinessProbe:
                httpGet: {path: /healthz, port: http}
                periodSeconds: 5
            volumes:
            - name: cache
              emptyDir: {sizeLimit: 1Gi}
      status:
        observedGeneration: 2
        replicas: 3
        readyReplicas: 3
        conditions:
        - type: Available
          status: "True"
          lastTransitionTime: "2025-01-01T00:00:00Z"
          reason: MinimumReplicasAvailable
      """;

  @Test
  void aCompleteDeploymentWithMetadataAndStatusHasNoProblems() {
    assertThat(FieldValidation.problems(yaml(DEPLOYMENT), Deployment.class)).isEmpty();
  }

  @Test
  void unknownFieldsAreNamedByTheirPathInDocumentOrder() {
    JsonNode body = yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
          unknownMeta: x
        spec:
          foo: bar
          selector:
            matchLabels: {app: web}
          template:
            spec:
              containers:
              - name: sidecar
                image: busybox
              - name: nginx
                image: nginx
                imagePullPolcy: Always
                ports:
                - {containerPort: 80, hostPorts: 8080}
        status:
          readyReplica: 1
        extra: {nested: {deeper: true}}
        """);

    assertThat(FieldValidation.problems(body, Deployment.class)).containsExactly(
        "unknown field \"metadata.unknownMeta\"",
        "unknown field \"spec.foo\"",
        "unknown field \"spec.template.spec.containers[1].imagePullPolcy\"",
        "unknown field \"spec.template.spec.containers[1].ports[0].hostPorts\"",
        "unknown field \"status.readyReplica\"",
        "unknown field \"extra\"");
  }

  @Test
  void duplicateFieldsInARawBodyAreReportedOnceBesideUnknownOnes() {
    // the shape of Kubernetes' own field-validation integration test
    byte[] body = """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "name": "web", "labels": {"app": "web"}, "unknownMeta": "x"},
         "spec": {
           "unknown1": "v", "unknownDupe": "a", "unknownDupe": "b", "paused": true, "paused": false,
           "selector": {"matchLabels": {"app": "web"}},
           "template": {"spec": {"containers": [
             {"name": "nginx", "image": "nginx", "unknownNested": "v",
              "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}
        """.getBytes(StandardCharsets.UTF_8);

    assertThat(FieldValidation.problems(body, Deployment.class)).containsExactly(
        "duplicate field \"metadata.name\"",
        "unknown field \"metadata.unknownMeta\"",
        "unknown field \"spec.unknown1\"",
        "unknown field \"spec.unknownDupe\"",
        "duplicate field \"spec.paused\"",
        "unknown field \"spec.template.spec.containers[0].unknownNested\"",
        "duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"");
  }

  @Test
  void duplicateKeysOfAMapAreReportedToo() {
    byte[] body = """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1", "a": "2"}}
        """.getBytes(StandardCharsets.UTF_8);

    assertThat(FieldValidation.problems(body, ConfigMap.class)).containsExactly("duplicate field \"data.a\"");
  }

  @Test
  void mapsTakeAnyKeyButTheirObjectValuesAreStillChecked() {
    JsonNode configMap = yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          labels: {"any/key": x, "another.example.com/thing": y}
          annotations: {"free-form": "{\\"json\\": true}"}
        data: {"app.properties": "a=b", "ANY_KEY": "v"}
        binaryData: {"blob": "AAEC"}
        """);
    assertThat(FieldValidation.problems(configMap, ConfigMap.class)).isEmpty();

    JsonNode pod = yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: c
            image: i
            resources:
              limits: {cpu: "1", example.com/gpu: 2}
          overhead: {cpu: 10m}
        """);
    assertThat(FieldValidation.problems(pod, Pod.class)).isEmpty();
  }

  @Test
  void freeFormJsonIsNotLookedInto() {
    JsonNode body = yaml("""
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata:
          name: web-7d9
          managedFields:
          - manager: m
            fieldsV1: {"f:metadata": {"f:labels": {"f:anything": {}}}}
        data: {spec: {template: {whatever: 1}}}
        revision: 1
        """);

    assertThat(FieldValidation.problems(body, ControllerRevision.class)).isEmpty();
  }

  @Test
  void valuesOfAnUnexpectedShapeAreLeftToDecoding() {
    JsonNode body = yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, labels: [not, a, map]}
        spec: {containers: {name: not-a-list}}
        """);

    assertThat(FieldValidation.problems(body, Pod.class)).isEmpty();
  }

  @Test
  void pruningDropsExactlyTheUnknownFields() {
    ObjectNode body = (ObjectNode) yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
          unknownMeta: x
          managedFields:
          - {manager: m, fieldsV1: {"f:spec": {}}}
        spec:
          foo: bar
          selector: {matchLabels: {app: web}}
          template:
            spec:
              containers:
              - {name: nginx, image: nginx, imagePullPolcy: Always, ports: [{containerPort: 80, hostPorts: 1}]}
        extra: true
        """);

    FieldValidation.prune(body, Deployment.class);

    assertThat(body).isEqualTo(yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
          managedFields:
          - {manager: m, fieldsV1: {"f:spec": {}}}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            spec:
              containers:
              - {name: nginx, image: nginx, ports: [{containerPort: 80}]}
        """));
    assertThat(FieldValidation.problems(body, Deployment.class)).isEmpty();
  }

  @Test
  void malformedJsonIsRejected() {
    assertThatThrownBy(() -> FieldValidation.problems("{\"kind\": ".getBytes(StandardCharsets.UTF_8), Pod.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
