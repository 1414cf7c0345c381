package io.kubeactor.controlplane.registry.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import org.junit.jupiter.api.Test;

class TypedDecoderTest {

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
    assertThat(TypedDecoder.check(yaml(DEPLOYMENT), Deployment.class).strictProblems()).isEmpty();
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

    assertThat(TypedDecoder.check(body, Deployment.class).strictProblems()).containsExactly(
        "unknown field \"metadata.unknownMeta\"",
        "unknown field \"spec.foo\"",
        "unknown field \"spec.template.spec.containers[1].imagePullPolcy\"",
        "unknown field \"spec.template.spec.containers[1].ports[0].hostPorts\"",
        "unknown field \"status.readyReplica\"",
        "unknown field \"extra\"");
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
    assertThat(TypedDecoder.check(configMap, ConfigMap.class).strictProblems()).isEmpty();

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
    assertThat(TypedDecoder.check(pod, Pod.class).strictProblems()).isEmpty();
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

    assertThat(TypedDecoder.check(body, ControllerRevision.class).strictProblems()).isEmpty();
  }

  @Test
  void anEmbeddedObjectGivenAsANonEmptyArrayIsRefusedSinceTheTypedModelCannotHoldIt() {
    JsonNode body = yaml("""
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata: {name: web-7d9}
        data: [1, 2]
        revision: 1
        """);

    assertThat(TypedDecoder.check(body, ControllerRevision.class).error()).isEqualTo(
        "json: cannot unmarshal array into Go struct field ControllerRevision.data of type runtime.RawExtension (an embedded object)");
    ((com.fasterxml.jackson.databind.node.ObjectNode) body).putArray("data");
    assertThat(TypedDecoder.check(body, ControllerRevision.class).error()).isNull();
  }

  @Test
  void valuesOfAnUnexpectedShapeAreLeftToDecoding() {
    JsonNode body = yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, labels: [not, a, map]}
        spec: {containers: {name: not-a-list}}
        """);

    TypedDecoder.Outcome outcome = TypedDecoder.check(body, Pod.class);
    assertThat(outcome.strictProblems()).isEmpty();
    // Go keeps the first error and goes on
    assertThat(outcome.error())
        .isEqualTo("json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string");
  }

  @Test
  void aCompleteDeploymentDecodes() {
    assertThat(TypedDecoder.check(yaml(DEPLOYMENT), Deployment.class).error()).isNull();
  }

  @Test
  void valuesOfTheWrongJsonTypeAreNamedAsGoNamesThem() {
    assertThat(error(Deployment.class, "{\"spec\": {\"replicas\": \"3\"}}"))
        .isEqualTo("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
    assertThat(error(Deployment.class, "{\"spec\": {\"template\": {\"spec\": {\"containers\": {\"name\": \"x\"}}}}}"))
        .isEqualTo("json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container");
    assertThat(error(Deployment.class, "{\"metadata\": \"a string\"}"))
        .isEqualTo("json: cannot unmarshal string into Go struct field Deployment.metadata of type v1.ObjectMeta");
    assertThat(error(ConfigMap.class, "{\"data\": {\"a\": 1}}"))
        .isEqualTo("json: cannot unmarshal number into Go struct field ConfigMap.data of type string");
    assertThat(error(ConfigMap.class, "{\"immutable\": \"yes\"}"))
        .isEqualTo("json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool");
    assertThat(error(Deployment.class,
        "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"c\", \"ports\": [{\"containerPort\": \"80\"}]}]}}}}"))
        .isEqualTo("json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32");
  }

  @Test
  void integersOutOfRangeOrWithAFractionAreRefused() {
    assertThat(error(Deployment.class, "{\"spec\": {\"replicas\": 2147483648}}"))
        .isEqualTo("json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32");
    assertThat(error(Deployment.class, "{\"spec\": {\"replicas\": 2147483647}}")).isNull();
    assertThat(error(Deployment.class, "{\"spec\": {\"replicas\": -2147483648}}")).isNull();
    assertThat(error(Deployment.class, "{\"spec\": {\"replicas\": 1.5}}"))
        .isEqualTo("json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32");
    assertThat(error(Pod.class, "{\"spec\": {\"terminationGracePeriodSeconds\": 1e400}}"))
        .isEqualTo("json: cannot unmarshal number 1e400 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64");
    assertThat(error(Pod.class, "{\"spec\": {\"terminationGracePeriodSeconds\": 1234567890123456789012345}}"))
        .startsWith("json: cannot unmarshal number 1234567890123456789012345 into");
  }

  @Test
  void bytesQuantitiesIntOrStringsAndTimesMustParse() {
    assertThat(error(Secret.class, "{\"data\": {\"k\": \"not base64!\"}}")).isEqualTo("illegal base64 data at input byte 3");
    assertThat(error(Secret.class, "{\"data\": {\"k\": \"YWJj\", \"l\": \"YQ==\"}}")).isNull();
    assertThat(error(Secret.class, "{\"data\": {\"k\": \"YQ\"}}")).isEqualTo("illegal base64 data at input byte 0");
    assertThat(error(ConfigMap.class, "{\"binaryData\": {\"k\": 5}}"))
        .isEqualTo("json: cannot unmarshal number into Go struct field ConfigMap.binaryData of type []uint8");
    assertThat(error(PersistentVolumeClaim.class, "{\"spec\": {\"resources\": {\"requests\": {\"storage\": \"abc\"}}}}"))
        .isEqualTo(GoQuantities.FORMAT_WRONG);
    assertThat(error(PersistentVolumeClaim.class, "{\"spec\": {\"resources\": {\"requests\": {\"storage\": 5, \"cpu\": \"1.5Gi\"}}}}"))
        .isNull();
    assertThat(error(PersistentVolumeClaim.class, "{\"spec\": {\"resources\": {\"requests\": {\"storage\": \"5Qi\"}}}}"))
        .isEqualTo(GoQuantities.FORMAT_WRONG);
    assertThat(error(PersistentVolumeClaim.class, "{\"spec\": {\"resources\": {\"requests\": {\"storage\": \"5iK\"}}}}"))
        .isEqualTo(GoQuantities.SUFFIX);
    assertThat(error(Service.class, "{\"spec\": {\"ports\": [{\"port\": 80, \"targetPort\": true}]}}"))
        .isEqualTo("json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32");
    assertThat(error(Service.class, "{\"spec\": {\"ports\": [{\"port\": 80, \"targetPort\": \"http\"}]}}")).isNull();
    assertThat(error(Pod.class, "{\"metadata\": {\"creationTimestamp\": \"abc\"}}"))
        .isEqualTo("parsing time \"abc\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"abc\" as \"2006\"");
    assertThat(error(Pod.class, "{\"metadata\": {\"creationTimestamp\": \"2025-13-01T00:00:00Z\"}}"))
        .isEqualTo("parsing time \"2025-13-01T00:00:00Z\": month out of range");
    assertThat(error(Pod.class, "{\"metadata\": {\"creationTimestamp\": \"2025-01-01T10:00:00.5+02:00\"}}")).isNull();
    assertThat(error(Pod.class, "{\"metadata\": {\"creationTimestamp\": 5}}"))
        .isEqualTo("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string");
  }

  @Test
  void nullDecodesIntoAnything() {
    assertThat(error(Deployment.class, "{\"metadata\": null, \"spec\": {\"replicas\": null, \"template\": null}}")).isNull();
  }

  @Test
  void theCreateAndPatchRefusalsCarryUpstreamsCodesAndShapes() {
    JsonNode body = parse("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"spec\": {\"replicas\": \"3\"}}");
    assertThatThrownBy(() -> TypedDecoder.requireDecodes(body, Deployment.class, "Deployment", "v1"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: "
              + "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
        });
    assertThatThrownBy(() -> TypedDecoder.requirePatchResultDecodes(body, Deployment.class))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(422);
          assertThat(e.getMessage()).startsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\"")
              .endsWith(": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
        });
  }

  /** Read as the API server reads bodies: numbers with a fraction or exponent kept exact. */
  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String error(Class<?> model, String json) {
    return TypedDecoder.check(parse(json), model).error();
  }

  @Test
  void normalizingDropsExactlyTheUnknownFields() {
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

    TypedDecoder.normalize(body, Deployment.class);

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
    assertThat(TypedDecoder.check(body, Deployment.class).strictProblems()).isEmpty();
  }

  @Test
  void nullsBecomeWhatGoMakesOfThem() {
    ObjectNode body = (ObjectNode) parse("""
        {"metadata": {"name": "c", "labels": {"a": null}, "ownerReferences": [null], "annotations": null},
         "data": {"k": null}, "immutable": null}""");

    TypedDecoder.normalize(body, ConfigMap.class);

    assertThat(body).isEqualTo(parse("""
        {"metadata": {"name": "c", "labels": {"a": ""},
          "ownerReferences": [{"apiVersion": "", "kind": "", "name": "", "uid": ""}]}, "data": {"k": ""}}"""));
  }

  /** Go writes a field without omitempty even when empty: a container's name left out is stored as "", as upstream stores it. */
  @Test
  void requiredScalarFieldsLeftOutAreWrittenAsGoWritesThem() {
    ObjectNode body = (ObjectNode) parse("""
        {"spec": {"template": {"spec": {"containers": [{"image": "nginx", "ports": [{"name": "web"}],
          "env": [{"value": "x"}]}]}}}}""");

    TypedDecoder.normalize(body, io.fabric8.kubernetes.api.model.apps.StatefulSet.class);

    assertThat(body).isEqualTo(parse("""
        {"spec": {"template": {"spec": {"containers": [{"name": "", "image": "nginx",
          "ports": [{"name": "web", "containerPort": 0}], "env": [{"name": "", "value": "x"}]}]}}}}"""));
  }

  private static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
