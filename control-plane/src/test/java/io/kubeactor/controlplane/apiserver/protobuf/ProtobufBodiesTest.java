package io.kubeactor.controlplane.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime.RawExtension;
import io.kubernetes.client.proto.Runtime.TypeMeta;
import io.kubernetes.client.proto.Runtime.Unknown;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Policy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies built with the generated protobuf classes and framed as client-go frames them. Where a
 * test sets a zero value on a non-pointer field it does what client-go always does.
 */
class ProtobufBodiesTest {

  @Test
  void deploymentKeepsZeroReplicasAndWritesQuantitiesAndProbePorts() {
    var deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setNamespace("").setGeneration(0))
        .setSpec(V1Apps.DeploymentSpec.newBuilder()
            .setReplicas(0)
            .setMinReadySeconds(0)
            .setPaused(false)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder())
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder()
                    .setName("app")
                    .setImage("nginx:1.27")
                    .addPorts(V1.ContainerPort.newBuilder().setName("http").setContainerPort(8080))
                    .setResources(V1.ResourceRequirements.newBuilder()
                        .putLimits("cpu", quantity("500m"))
                        .putLimits("memory", quantity("128Mi"))
                        .putRequests("cpu", quantity("250m")))
                    .setLivenessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
                        .setTcpSocket(V1.TCPSocketAction.newBuilder().setPort(port(8080)))))
                    .setReadinessProbe(V1.Probe.newBuilder()
                        .setHandler(V1.ProbeHandler.newBuilder()
                            .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz").setPort(port("http"))))
                        .setPeriodSeconds(5))))))
        .setStatus(V1Apps.DeploymentStatus.newBuilder().setReplicas(0))
        .build();

    assertThat(decode("apps/v1", "Deployment", deployment)).isEqualTo(json("""
        {
          "kind": "Deployment",
          "apiVersion": "apps/v1",
          "metadata": {"name": "web"},
          "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
              "metadata": {"labels": {"app": "web"}},
              "spec": {
                "containers": [{
                  "name": "app",
                  "image": "nginx:1.27",
                  "ports": [{"name": "http", "containerPort": 8080}],
                  "resources": {
                    "limits": {"cpu": "500m", "memory": "128Mi"},
                    "requests": {"cpu": "250m"}
                  },
                  "livenessProbe": {"tcpSocket": {"port": 8080}},
                  "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5}
                }]
              }
            },
            "strategy": {}
          },
          "status": {}
        }
        """));
  }

  @Test
  void podWritesTimestampsInUtcAndKeepsZeroPointersAndLiftsInlinedSources() {
    var pod = V1.Pod.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder()
            .setName("p")
            .setGenerateName("")
            .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1714557600).setNanos(500_000_000))
            .setDeletionTimestamp(Meta.Time.newBuilder().setSeconds(1714557630).setNanos(0))
            .setDeletionGracePeriodSeconds(0))
        .setSpec(V1.PodSpec.newBuilder()
            .setRestartPolicy("")
            .setTerminationGracePeriodSeconds(0)
            .setAutomountServiceAccountToken(false)
            .setHostNetwork(false)
            .addVolumes(V1.Volume.newBuilder().setName("cfg").setVolumeSource(V1.VolumeSource.newBuilder()
                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                    .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("settings"))
                    .setDefaultMode(420))))
            .addContainers(V1.Container.newBuilder()
                .setName("app")
                .setImage("busybox")
                .addEnv(V1.EnvVar.newBuilder().setName("PASSWORD").setValueFrom(V1.EnvVarSource.newBuilder()
                    .setSecretKeyRef(V1.SecretKeySelector.newBuilder()
                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("db"))
                        .setKey("password"))))
                .setSecurityContext(V1.SecurityContext.newBuilder()
                    .setRunAsUser(0)
                    .setRunAsNonRoot(false))))
        .setStatus(V1.PodStatus.newBuilder().setPhase(""))
        .build();

    assertThat(decode("v1", "Pod", pod)).isEqualTo(json("""
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "p",
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "deletionTimestamp": "2024-05-01T10:00:30Z",
            "deletionGracePeriodSeconds": 0
          },
          "spec": {
            "volumes": [{"name": "cfg", "configMap": {"name": "settings", "defaultMode": 420}}],
            "containers": [{
              "name": "app",
              "image": "busybox",
              "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
              "securityContext": {"runAsUser": 0, "runAsNonRoot": false}
            }],
            "terminationGracePeriodSeconds": 0,
            "automountServiceAccountToken": false
          },
          "status": {}
        }
        """));
  }

  @Test
  void eventWritesMicroTimeWithSixDigitsAndAZeroTimeAsNull() {
    var event = V1.Event.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("e1").setNamespace("default"))
        .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p"))
        .setReason("Started")
        .setFirstTimestamp(Meta.Time.getDefaultInstance())
        .setCount(0)
        .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1714557600).setNanos(123_456_789))
        .setType("Normal")
        .build();

    assertThat(decode("v1", "Event", event)).isEqualTo(json("""
        {
          "kind": "Event",
          "apiVersion": "v1",
          "metadata": {"name": "e1", "namespace": "default"},
          "involvedObject": {"kind": "Pod", "name": "p"},
          "reason": "Started",
          "firstTimestamp": null,
          "eventTime": "2024-05-01T10:00:00.123456Z",
          "type": "Normal"
        }
        """));
  }

  /** client-go sends DeleteOptions in the group version of the resource being deleted. */
  @ParameterizedTest
  @ValueSource(strings = {"v1", "meta.k8s.io/v1", "apps/v1"})
  void deleteOptionsKeepAZeroGracePeriodAndAnEmptyPrecondition(String apiVersion) {
    var options = Meta.DeleteOptions.newBuilder()
        .setGracePeriodSeconds(0)
        .setPreconditions(Meta.Preconditions.newBuilder().setResourceVersion(""))
        .setPropagationPolicy("Foreground")
        .build();

    assertThat(decode(apiVersion, "DeleteOptions", options)).isEqualTo(json("""
        {
          "kind": "DeleteOptions",
          "apiVersion": "%s",
          "gracePeriodSeconds": 0,
          "preconditions": {"resourceVersion": ""},
          "propagationPolicy": "Foreground"
        }
        """.formatted(apiVersion)));
  }

  @Test
  void evictionCarriesItsDeleteOptions() {
    var eviction = V1Policy.Eviction.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-1").setNamespace("default"))
        .setDeleteOptions(Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(30))
        .build();

    assertThat(decode("policy/v1", "Eviction", eviction)).isEqualTo(json("""
        {
          "kind": "Eviction",
          "apiVersion": "policy/v1",
          "metadata": {"name": "web-1", "namespace": "default"},
          "deleteOptions": {"gracePeriodSeconds": 30}
        }
        """));
  }

  @Test
  void persistentVolumeClaimKeepsAnEmptyStorageClassName() {
    var claim = V1.PersistentVolumeClaim.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("data"))
        .setSpec(V1.PersistentVolumeClaimSpec.newBuilder()
            .addAccessModes("ReadWriteOnce")
            .setResources(V1.VolumeResourceRequirements.newBuilder().putRequests("storage", quantity("1Gi")))
            .setVolumeName("")
            .setStorageClassName(""))
        .build();

    assertThat(decode("v1", "PersistentVolumeClaim", claim)).isEqualTo(json("""
        {
          "kind": "PersistentVolumeClaim",
          "apiVersion": "v1",
          "metadata": {"name": "data"},
          "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            "storageClassName": ""
          }
        }
        """));
  }

  @Test
  void embeddedObjectsAndManagedFieldsBecomeJsonTrees() {
    var revision = V1Apps.ControllerRevision.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder()
            .setName("web-7d4b9c")
            .addManagedFields(Meta.ManagedFieldsEntry.newBuilder()
                .setManager("kube-controller-manager")
                .setOperation("Update")
                .setApiVersion("apps/v1")
                .setTime(Meta.Time.newBuilder().setSeconds(1714557600).setNanos(0))
                .setFieldsType("FieldsV1")
                .setFieldsV1(Meta.FieldsV1.newBuilder().setRaw(utf8("{\"f:data\":{}}")))))
        .setData(RawExtension.newBuilder().setRaw(utf8("{\"spec\":{\"template\":{\"$patch\":\"replace\"}}}")))
        .setRevision(3)
        .build();

    assertThat(decode("apps/v1", "ControllerRevision", revision)).isEqualTo(json("""
        {
          "kind": "ControllerRevision",
          "apiVersion": "apps/v1",
          "metadata": {
            "name": "web-7d4b9c",
            "managedFields": [{
              "manager": "kube-controller-manager",
              "operation": "Update",
              "apiVersion": "apps/v1",
              "time": "2024-05-01T10:00:00Z",
              "fieldsType": "FieldsV1",
              "fieldsV1": {"f:data": {}}
            }]
          },
          "data": {"spec": {"template": {"$patch": "replace"}}},
          "revision": 3
        }
        """));
  }

  @Test
  void embeddedProtobufObjectIsDecodedWithItsOwnEnvelope() {
    var namespace = V1.Namespace.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("demo")).build();
    byte[] embedded = frame("v1", "Namespace", namespace.toByteString());
    var event = Meta.WatchEvent.newBuilder()
        .setType("ADDED")
        .setObject(RawExtension.newBuilder().setRaw(ByteString.copyFrom(embedded)))
        .build();

    assertThat(decode("meta.k8s.io/v1", "WatchEvent", event)).isEqualTo(json("""
        {
          "kind": "WatchEvent",
          "apiVersion": "meta.k8s.io/v1",
          "type": "ADDED",
          "object": {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "demo"}}
        }
        """));
  }

  @Test
  void embeddedObjectThatIsNotJsonIsABadRequest() {
    var revision = V1Apps.ControllerRevision.newBuilder()
        .setData(RawExtension.newBuilder().setRaw(utf8("{not json")))
        .build();

    ApiException e = failure(frame("apps/v1", "ControllerRevision", revision.toByteString()));
    assertThat(e.code).isEqualTo(400);
    assertThat(e).hasMessageStartingWith("the embedded object at data is not valid JSON");
  }

  @Test
  void subjectAccessReviewWritesExtraValuesAsArraysAndKeepsRequiredFalse() {
    var review = V1Authorization.SubjectAccessReview.newBuilder()
        .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder()
            .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder().setVerb("get").setResource("pods"))
            .setUser("alice")
            .putExtra("scopes", V1Authorization.ExtraValue.newBuilder().addItems("read").addItems("write").build()))
        .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder().setAllowed(false).setReason(""))
        .build();

    assertThat(decode("authorization.k8s.io/v1", "SubjectAccessReview", review)).isEqualTo(json("""
        {
          "kind": "SubjectAccessReview",
          "apiVersion": "authorization.k8s.io/v1",
          "spec": {
            "resourceAttributes": {"verb": "get", "resource": "pods"},
            "user": "alice",
            "extra": {"scopes": ["read", "write"]}
          },
          "status": {"allowed": false}
        }
        """));
  }

  @Test
  void tokenRequestUsesTheJsonNameOfARenamedField() {
    var request = V1Authentication.TokenRequest.newBuilder()
        .setSpec(V1Authentication.TokenRequestSpec.newBuilder()
            .addAudiences("https://kubernetes.default.svc")
            .setExpirationSeconds(600)
            .setBoundObjectRef(V1Authentication.BoundObjectReference.newBuilder()
                .setKind("Pod").setApiVersion("v1").setName("p").setUID("0f3c")))
        .build();

    assertThat(decode("authentication.k8s.io/v1", "TokenRequest", request)).isEqualTo(json("""
        {
          "kind": "TokenRequest",
          "apiVersion": "authentication.k8s.io/v1",
          "spec": {
            "audiences": ["https://kubernetes.default.svc"],
            "expirationSeconds": 600,
            "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p", "uid": "0f3c"}
          }
        }
        """));
  }

  @Test
  void emptyBodyIsABadRequest() {
    assertThat(failure(new byte[0])).satisfies(e -> {
      assertThat(e.code).isEqualTo(400);
      assertThat(e).hasMessage("empty protobuf body");
    });
  }

  @Test
  void bodyWithoutTheMagicPrefixIsABadRequest() {
    ApiException e = failure(utf8("{\"kind\":\"Namespace\"}").toByteArray());
    assertThat(e.code).isEqualTo(400);
    assertThat(e.reason).isEqualTo("BadRequest");
    assertThat(e).hasMessageContaining("does not appear to be a protobuf message");
  }

  @Test
  void magicPrefixAloneIsABadRequest() {
    assertThat(failure(new byte[] {'k', '8', 's', 0}).code).isEqualTo(400);
  }

  @Test
  void truncatedEnvelopeIsABadRequest() {
    ApiException e = failure(new byte[] {'k', '8', 's', 0, 0x0a, 0x7f, 0x0a});
    assertThat(e.code).isEqualTo(400);
    assertThat(e).hasMessageStartingWith("malformed protobuf envelope (runtime.Unknown)");
  }

  @Test
  void truncatedObjectIsABadRequest() {
    ApiException e = failure(frame("v1", "Namespace", ByteString.copyFrom(new byte[] {0x0a, 0x05, 0x0a})));
    assertThat(e.code).isEqualTo(400);
    assertThat(e).hasMessageStartingWith("malformed protobuf Namespace of v1");
  }

  @Test
  void envelopeWithoutKindIsABadRequest() {
    ApiException e = failure(frame("v1", "", V1.Namespace.getDefaultInstance().toByteString()));
    assertThat(e.code).isEqualTo(400);
    assertThat(e).hasMessageContaining("'Kind' is missing");
  }

  @ParameterizedTest
  @CsvSource({"example.com/v1, Widget", "v1, Widget", "apps/v1beta1, Deployment", "apps.example.com/v1, Deployment"})
  void kindWithoutAProtobufSchemaIsAnUnsupportedMediaType(String apiVersion, String kind) {
    ApiException e = failure(frame(apiVersion, kind, ByteString.EMPTY));
    assertThat(e.code).isEqualTo(415);
    assertThat(e.reason).isEqualTo("UnsupportedMediaType");
    assertThat(e).hasMessage(
        "no protobuf schema for kind " + kind + " of " + apiVersion + " on this server: send it as application/json");
  }

  @Test
  void unknownFieldIsRefusedRatherThanDropped() {
    var namespace = V1.Namespace.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName("demo"))
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build())
        .build();

    ApiException e = failure(frame("v1", "Namespace", namespace.toByteString()));
    assertThat(e.code).isEqualTo(415);
    assertThat(e.reason).isEqualTo("UnsupportedMediaType");
    assertThat(e).hasMessage("protobuf field 99 of k8s.io.api.core.v1.Namespace (in the object) is not known to this"
        + " server: send the object as application/json");
  }

  @Test
  void unknownNestedFieldIsRefusedWithItsPath() {
    var podSpec = V1.PodSpec.newBuilder()
        .addContainers(V1.Container.newBuilder().setName("app"))
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(40, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.EMPTY).build())
            .build());
    var deployment = V1Apps.Deployment.newBuilder()
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setTemplate(V1.PodTemplateSpec.newBuilder().setSpec(podSpec)))
        .build();

    ApiException e = failure(frame("apps/v1", "Deployment", deployment.toByteString()));
    assertThat(e.code).isEqualTo(415);
    assertThat(e).hasMessageContaining("field 40 of k8s.io.api.core.v1.PodSpec (in spec.template.spec)");
  }

  private static Quantity quantity(String value) {
    return Quantity.newBuilder().setString(value).build();
  }

  private static IntOrString port(int number) {
    return IntOrString.newBuilder().setType(0).setIntVal(number).setStrVal("").build();
  }

  private static IntOrString port(String name) {
    return IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal(name).build();
  }

  private static ByteString utf8(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  private static JsonNode decode(String apiVersion, String kind, Message object) {
    return ProtobufBodies.decode(frame(apiVersion, kind, object.toByteString()));
  }

  /** What client-go's protobuf serializer writes: "k8s\0", then runtime.Unknown around the object. */
  private static byte[] frame(String apiVersion, String kind, ByteString raw) {
    var envelope = Unknown.newBuilder()
        .setTypeMeta(TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(raw)
        .setContentEncoding("")
        .setContentType("")
        .build();
    var body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {'k', '8', 's', 0});
    body.writeBytes(envelope.toByteArray());
    return body.toByteArray();
  }

  private static ApiException failure(byte[] body) {
    return catchThrowableOfType(ApiException.class, () -> ProtobufBodies.decode(body));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
