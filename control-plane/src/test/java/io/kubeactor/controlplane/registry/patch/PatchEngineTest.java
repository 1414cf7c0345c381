package io.kubeactor.controlplane.registry.patch;

import static io.kubeactor.controlplane.registry.patch.PatchEngine.APPLY_PATCH;
import static io.kubeactor.controlplane.registry.patch.PatchEngine.JSON_PATCH;
import static io.kubeactor.controlplane.registry.patch.PatchEngine.MERGE_PATCH;
import static io.kubeactor.controlplane.registry.patch.PatchEngine.STRATEGIC_MERGE_PATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The patches kubectl and the Java clients send, applied to live objects as the API server would. */
class PatchEngineTest {

  static final String DEPLOYMENT = """
      {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
          "name": "web", "namespace": "default", "uid": "5f1c", "resourceVersion": "41", "generation": 2,
          "labels": {"app": "web", "tier": "front"},
          "annotations": {"deployment.kubernetes.io/revision": "2"}
        },
        "spec": {
          "replicas": 2,
          "selector": {"matchLabels": {"app": "web"}},
          "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
          "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
              "containers": [
                {"name": "web", "image": "nginx:1.25",
                 "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
                {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "infinity"]}
              ],
              "volumes": [{"name": "cache", "emptyDir": {}}],
              "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}]
            }
          }
        },
        "status": {
          "replicas": 2,
          "conditions": [
            {"type": "Available", "status": "True"},
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}
          ]
        }
      }
      """;

  static final String POD = """
      {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
          "name": "web-0", "namespace": "default", "uid": "a7",
          "finalizers": ["example.com/guard"],
          "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-6d4", "uid": "rs-1", "controller": true}]
        },
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}], "nodeName": "n1"},
        "status": {
          "phase": "Running",
          "conditions": [
            {"type": "PodScheduled", "status": "True"},
            {"type": "Ready", "status": "False", "reason": "ContainersNotReady"}
          ]
        }
      }
      """;

  static final String SERVICE = """
      {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
          "selector": {"app": "web"},
          "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
          "type": "ClusterIP", "clusterIP": "10.96.0.12"
        }
      }
      """;

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode jsonValue(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode patch(String contentType, String live, String patch, Class<?> model) {
    return PatchEngine.apply(contentType, json(live), jsonValue(patch), model);
  }

  static ApiException failure(String contentType, String live, String patch, Class<?> model) {
    return catchThrowableOfType(ApiException.class, () -> patch(contentType, live, patch, model));
  }

  @Test
  void setImageChangesOneContainerAndKeepsEverythingElse() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"template":{"spec":{"containers":[{"image":"nginx:1.26","name":"web"}]}}}}
        """, Deployment.class);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(jsonValue("""
        [{"name": "web", "image": "nginx:1.26",
          "ports": [{"containerPort": 80, "protocol": "TCP"}],
          "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
         {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "infinity"]}]
        """));
    assertThat(result.at("/spec/template/spec/volumes")).isEqualTo(json(DEPLOYMENT).at("/spec/template/spec/volumes"));
  }

  @Test
  void setImageOnTheSecondContainerKeepsTheOrder() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"template":{"spec":{"containers":[{"image":"busybox:1.37","name":"sidecar"}]}}}}
        """, Deployment.class);

    assertThat(result.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("web");
    assertThat(result.at("/spec/template/spec/containers/1/image").asText()).isEqualTo("busybox:1.37");
    assertThat(result.at("/spec/template/spec/containers/1/args")).isEqualTo(jsonValue("[\"sleep\", \"infinity\"]"));
  }

  @Test
  void rolloutRestartAddsATemplateAnnotation() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-03-01T10:00:00Z"}}}}}
        """, Deployment.class);

    assertThat(result.at("/spec/template/metadata")).isEqualTo(json("""
        {"labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "2025-03-01T10:00:00Z"}}
        """));
  }

  @Test
  void rolloutPauseAndSetEnvAreStrategicToo() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"paused":true,"template":{"spec":{"containers":[{"env":[{"name":"B","value":"20"}],"name":"web"}]}}}}
        """, Deployment.class);

    assertThat(result.at("/spec/paused").asBoolean()).isTrue();
    assertThat(result.at("/spec/template/spec/containers/0/env")).isEqualTo(jsonValue("""
        [{"name": "A", "value": "1"}, {"name": "B", "value": "20"}]
        """));
  }

  @Test
  void scaleSendsAMergePatchToTheScaleSubresource() {
    String scale = """
        {"apiVersion": "autoscaling/v1", "kind": "Scale",
         "metadata": {"name": "web", "namespace": "default", "resourceVersion": "41"},
         "spec": {"replicas": 2}, "status": {"replicas": 2, "selector": "app=web"}}
        """;

    ObjectNode result = patch(MERGE_PATCH, scale, "{\"spec\":{\"replicas\":5}}", Scale.class);

    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(result.at("/status")).isEqualTo(json(scale).get("status"));
  }

  @Test
  void labelAndAnnotateMergeMapsAndNullRemovesAKey() {
    ObjectNode result = patch(MERGE_PATCH, DEPLOYMENT, """
        {"metadata":{"labels":{"env":"prod","tier":null},"annotations":{"team":"payments"},"resourceVersion":"41"}}
        """, Deployment.class);

    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"app\": \"web\", \"env\": \"prod\"}"));
    assertThat(result.at("/metadata/annotations")).isEqualTo(json("""
        {"deployment.kubernetes.io/revision": "2", "team": "payments"}
        """));
  }

  @Test
  void mergePatchReplacesListsWholeEvenWhereStrategicMergeWouldMerge() {
    ObjectNode result = patch(MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26","resources":null}]}}}}
        """, Deployment.class);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(jsonValue("""
        [{"name": "web", "image": "nginx:1.26"}]
        """));
  }

  @Test
  void rolloutUndoReplacesTemplateAndAnnotationsWithAJsonPatch() {
    ObjectNode result = patch(JSON_PATCH, DEPLOYMENT, """
        [{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"web","image":"nginx:1.24"}]}}},
         {"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"3"}}]
        """, Deployment.class);

    assertThat(result.at("/spec/template")).isEqualTo(json("""
        {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.24"}]}}
        """));
    assertThat(result.at("/metadata/annotations")).isEqualTo(json("{\"deployment.kubernetes.io/revision\": \"3\"}"));
    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void jsonPatchAddsRemovesAndTests() {
    ObjectNode result = patch(JSON_PATCH, DEPLOYMENT, """
        [{"op":"test","path":"/spec/replicas","value":2},
         {"op":"add","path":"/metadata/labels/env","value":"prod"},
         {"op":"remove","path":"/spec/template/spec/tolerations"}]
        """, Deployment.class);

    assertThat(result.at("/metadata/labels/env").asText()).isEqualTo("prod");
    assertThat(result.at("/spec/template/spec").has("tolerations")).isFalse();
  }

  @Test
  void jsonPatchThatCannotApplyIs422WithKubernetesWording() {
    for (String ops : new String[] {
        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":3}]",
        "[{\"op\":\"remove\",\"path\":\"/spec/paused\"}]",
        "[{\"op\":\"replace\",\"path\":\"/spec/minReadySeconds\",\"value\":5}]",
        "[{\"op\":\"add\",\"path\":\"/spec/missing/child\",\"value\":1}]"}) {
      ApiException e = failure(JSON_PATCH, DEPLOYMENT, ops, Deployment.class);

      assertThat(e.code).as(ops).isEqualTo(422);
      assertThat(e.reason).isEqualTo("Invalid");
      assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
    }
  }

  @Test
  void jsonPatchThatIsNotAListIsABadRequest() {
    ApiException e = failure(JSON_PATCH, DEPLOYMENT, "{\"op\":\"add\"}", Deployment.class);

    assertThat(e.code).isEqualTo(400);
    assertThat(e.reason).isEqualTo("BadRequest");
    assertThat(e.getMessage()).isEqualTo("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  }

  @Test
  void theLiveObjectIsNeverModified() {
    ObjectNode live = json(DEPLOYMENT);
    JsonNode before = live.deepCopy();

    PatchEngine.apply(STRATEGIC_MERGE_PATCH, live, jsonValue("""
        {"metadata":{"labels":{"tier":null}},"spec":{"template":{"spec":{"containers":[{"name":"web","image":"x"}]}}}}
        """), Deployment.class);
    PatchEngine.apply(MERGE_PATCH, live, jsonValue("{\"spec\":{\"replicas\":9}}"), Deployment.class);
    PatchEngine.apply(JSON_PATCH, live, jsonValue("[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":9}]"), Deployment.class);

    assertThat(live).isEqualTo(before);
  }

  @Test
  void anotherMediaTypeIs415AndCharsetIsIgnored() {
    ApiException e = failure("application/json", DEPLOYMENT, "{}", Deployment.class);

    assertThat(e.code).isEqualTo(415);
    assertThat(e.reason).isEqualTo("UnsupportedMediaType");
    assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, "
        + "application/apply-patch+yaml");
    assertThat(patch("application/merge-patch+json; charset=utf-8", DEPLOYMENT, "{\"spec\":{\"replicas\":3}}",
        Deployment.class).at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void kubectlApplyPatchUpdatesLastAppliedAndObeysItsDirectives() {
    String lastApplied = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"}}\n";
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":%s}},
         "spec":{"replicas":3,"template":{"spec":{
           "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
           "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"C"}],
                          "env":[{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],
                          "image":"nginx:1.26","name":"web"}]}}}}
        """.formatted(Json.string(lastApplied)), Deployment.class);

    assertThat(result.at("/metadata/annotations")).isEqualTo(json("""
        {"deployment.kubernetes.io/revision": "2", "kubectl.kubernetes.io/last-applied-configuration": %s}
        """.formatted(Json.string(lastApplied))));
    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(jsonValue("""
        [{"name": "web", "image": "nginx:1.26",
          "ports": [{"containerPort": 80, "protocol": "TCP"}],
          "env": [{"name": "A", "value": "1"}, {"name": "C", "value": "3"}]},
         {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "infinity"]}]
        """));
  }

  @Test
  void serviceSpecPortsMergeOnPortAndANewPortComesFirstAsInKubernetes() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, SERVICE, """
        {"spec":{"ports":[{"name":"http","port":80,"targetPort":8081},{"name":"https","port":443,"targetPort":8443}]}}
        """, Service.class);

    assertThat(result.at("/spec/ports")).isEqualTo(jsonValue("""
        [{"name": "http", "port": 80, "targetPort": 8081, "protocol": "TCP"},
         {"name": "https", "port": 443, "targetPort": 8443}]
        """));

    ObjectNode added = patch(STRATEGIC_MERGE_PATCH, SERVICE, """
        {"spec":{"ports":[{"name":"https","port":443,"targetPort":8443}]}}
        """, Service.class);

    assertThat(added.at("/spec/ports")).isEqualTo(jsonValue("""
        [{"name": "https", "port": 443, "targetPort": 8443},
         {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}]
        """));
  }

  @Test
  void podStatusConditionsMergeOnType() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, POD, """
        {"status":{"$setElementOrder/conditions":[{"type":"PodScheduled"},{"type":"Ready"},{"type":"Initialized"}],
                   "conditions":[{"status":"True","type":"Ready","reason":null},{"status":"True","type":"Initialized"}]}}
        """, Pod.class);

    assertThat(result.at("/status/conditions")).isEqualTo(jsonValue("""
        [{"type": "PodScheduled", "status": "True"},
         {"type": "Ready", "status": "True"},
         {"type": "Initialized", "status": "True"}]
        """));
  }

  @Test
  void finalizersMergeAsASetAndOwnerReferencesOnUid() {
    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, POD, """
        {"metadata":{"finalizers":["example.com/guard","foregroundDeletion"],
                     "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"n1","uid":"node-1"},
                                        {"uid":"rs-1","blockOwnerDeletion":true}]}}
        """, Pod.class);

    assertThat(result.at("/metadata/finalizers")).isEqualTo(jsonValue("[\"example.com/guard\", \"foregroundDeletion\"]"));
    assertThat(result.at("/metadata/ownerReferences")).isEqualTo(jsonValue("""
        [{"apiVersion": "v1", "kind": "Node", "name": "n1", "uid": "node-1"},
         {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-6d4", "uid": "rs-1", "controller": true,
          "blockOwnerDeletion": true}]
        """));
  }

  @Test
  void listsWithoutAMergeKeyAreReplacedWhole() {
    ObjectNode deployment = patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"template":{"spec":{"tolerations":[{"key":"gpu","operator":"Exists"}],
                                     "containers":[{"name":"sidecar","args":["sleep","60"]}]}}}}
        """, Deployment.class);

    assertThat(deployment.at("/spec/template/spec/tolerations")).isEqualTo(jsonValue("[{\"key\": \"gpu\", \"operator\": \"Exists\"}]"));
    assertThat(deployment.at("/spec/template/spec/containers/1/args")).isEqualTo(jsonValue("[\"sleep\", \"60\"]"));
  }

  @Test
  void kubectlTaintReplacesNodeTaintsWhileAddressesMergeOnType() {
    String node = """
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
         "spec": {"taints": [{"key": "old", "effect": "NoSchedule"}]},
         "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.5"}, {"type": "Hostname", "address": "n1"}]}}
        """;

    ObjectNode result = patch(STRATEGIC_MERGE_PATCH, node, """
        {"spec":{"taints":[{"effect":"NoExecute","key":"dedicated","value":"db"}]},
         "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.6"}]}}
        """, Node.class);

    assertThat(result.at("/spec/taints")).isEqualTo(jsonValue("""
        [{"effect": "NoExecute", "key": "dedicated", "value": "db"}]
        """));
    assertThat(result.at("/status/addresses")).isEqualTo(jsonValue("""
        [{"type": "InternalIP", "address": "10.0.0.6"}, {"type": "Hostname", "address": "n1"}]
        """));
  }

  @Test
  void serverSideApplyMergesTheAppliedConfigurationOnMergeKeys() {
    ObjectNode result = patch(APPLY_PATCH, DEPLOYMENT, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"owner":"ci"}},
         "spec":{"replicas":4,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
        """, Deployment.class);

    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"app\": \"web\", \"tier\": \"front\", \"owner\": \"ci\"}"));
    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(result.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    assertThat(result.at("/spec/template/spec/containers/0/env")).hasSize(2);
    assertThat(result.at("/spec/template/spec/containers/1/name").asText()).isEqualTo("sidecar");
  }

  @Test
  void bodiesOfTheWrongShapeAreBadRequests() {
    assertThat(failure(STRATEGIC_MERGE_PATCH, DEPLOYMENT, "[1]", Deployment.class).getMessage())
        .isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}");
    assertThat(failure(MERGE_PATCH, DEPLOYMENT, "\"x\"", Deployment.class).getMessage()).isEqualTo("Invalid JSON Patch");
    assertThat(failure(APPLY_PATCH, DEPLOYMENT, "[]", Deployment.class).code).isEqualTo(400);
  }
}
