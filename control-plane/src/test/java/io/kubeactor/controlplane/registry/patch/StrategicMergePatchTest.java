package io.kubeactor.controlplane.registry.patch;

import static io.kubeactor.controlplane.registry.patch.PatchEngine.STRATEGIC_MERGE_PATCH;
import static io.kubeactor.controlplane.registry.patch.PatchEngineTest.DEPLOYMENT;
import static io.kubeactor.controlplane.registry.patch.PatchEngineTest.POD;
import static io.kubeactor.controlplane.registry.patch.PatchEngineTest.json;
import static io.kubeactor.controlplane.registry.patch.PatchEngineTest.jsonValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubeactor.controlplane.api.ApiException;
import org.junit.jupiter.api.Test;

/** The strategic merge patch directives and list rules, checked against Kubernetes' behaviour. */
class StrategicMergePatchTest {

  static ObjectNode patchDeployment(String patch) {
    return PatchEngineTest.patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, patch, Deployment.class);
  }

  static ApiException failure(String patch) {
    return PatchEngineTest.failure(STRATEGIC_MERGE_PATCH, DEPLOYMENT, patch, Deployment.class);
  }

  @Test
  void patchReplaceOnAMapReplacesItWhole() {
    ObjectNode result = patchDeployment("""
        {"metadata":{"labels":{"$patch":"replace","app":"api"}}}
        """);

    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"app\": \"api\"}"));
  }

  @Test
  void patchDeleteOnAMapEmptiesIt() {
    ObjectNode result = patchDeployment("""
        {"spec":{"strategy":{"$patch":"delete"}}}
        """);

    assertThat(result.at("/spec/strategy")).isEqualTo(json("{}"));
  }

  @Test
  void patchMergeIsTheDefault() {
    ObjectNode result = patchDeployment("""
        {"metadata":{"labels":{"$patch":"merge","env":"prod"}}}
        """);

    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"app\": \"web\", \"tier\": \"front\", \"env\": \"prod\"}"));
  }

  @Test
  void patchDeleteOnAListElementRemovesItByMergeKey() {
    ObjectNode result = patchDeployment("""
        {"spec":{"template":{"spec":{"containers":[{"$patch":"delete","name":"sidecar"}],
                                     "volumes":[{"$patch":"delete","name":"cache"}]}}}}
        """);

    assertThat(result.at("/spec/template/spec/containers")).hasSize(1);
    assertThat(result.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("web");
    assertThat(result.at("/spec/template/spec/volumes")).isEmpty();
  }

  @Test
  void patchReplaceInAListReplacesTheList() {
    ObjectNode result = patchDeployment("""
        {"spec":{"template":{"spec":{"containers":[{"name":"api","image":"api:2"},{"$patch":"replace"}]}}}}
        """);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(jsonValue("""
        [{"name": "api", "image": "api:2"}]
        """));
  }

  @Test
  void retainKeysClearsTheFieldsItDoesNotList() {
    ObjectNode result = patchDeployment("""
        {"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
                 "template":{"spec":{"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"site"},"name":"cache"}]}}}}
        """);

    assertThat(result.at("/spec/strategy")).isEqualTo(json("{\"type\": \"Recreate\"}"));
    assertThat(result.at("/spec/template/spec/volumes")).isEqualTo(jsonValue("""
        [{"name": "cache", "configMap": {"name": "site"}}]
        """));
  }

  @Test
  void retainKeysMustListEveryFieldThePatchSets() {
    ApiException e = failure("""
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}
        """);

    assertThat(e.code).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("invalid patch format of retainKeys");
  }

  @Test
  void setElementOrderReordersTheList() {
    ObjectNode result = patchDeployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}}}
        """);

    assertThat(result.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("sidecar");
    assertThat(result.at("/spec/template/spec/containers/1/name").asText()).isEqualTo("web");
    assertThat(result.at("/spec/template/spec/containers/1/env")).hasSize(2);
  }

  @Test
  void setElementOrderPlacesANewElement() {
    ObjectNode result = patchDeployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"proxy"},{"name":"sidecar"}],
                                     "containers":[{"name":"proxy","image":"envoy:1.30"}]}}}}
        """);

    assertThat(result.at("/spec/template/spec/containers").valueStream().map(c -> c.get("name").asText()))
        .containsExactly("web", "proxy", "sidecar");
  }

  @Test
  void withoutSetElementOrderANewElementComesBeforeTheLiveOnes() {
    ObjectNode result = patchDeployment("""
        {"spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"envoy:1.30"}]}}}}
        """);

    assertThat(result.at("/spec/template/spec/containers").valueStream().map(c -> c.get("name").asText()))
        .containsExactly("proxy", "web", "sidecar");
  }

  @Test
  void setElementOrderMustAgreeWithThePatchList() {
    ApiException e = failure("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
                                     "containers":[{"name":"sidecar","image":"b"},{"name":"web","image":"a"}]}}}}
        """);

    assertThat(e.code).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("""
        The order in patch list:
        [map[image:b name:sidecar] map[image:a name:web]]
         doesn't match $setElementOrder list:
        [map[name:web] map[name:sidecar]]
        """);
  }

  @Test
  void deleteFromPrimitiveListRemovesScalars() {
    ObjectNode result = PatchEngineTest.patch(STRATEGIC_MERGE_PATCH, POD, """
        {"metadata":{"$setElementOrder/finalizers":["kubernetes.io/pvc-protection"],
                     "$deleteFromPrimitiveList/finalizers":["example.com/guard"],
                     "finalizers":["kubernetes.io/pvc-protection"]}}
        """, Pod.class);

    assertThat(result.at("/metadata/finalizers")).isEqualTo(jsonValue("[\"kubernetes.io/pvc-protection\"]"));
  }

  @Test
  void aMalformedDirectiveKeyIsABadRequest() {
    ApiException e = PatchEngineTest.failure(STRATEGIC_MERGE_PATCH, POD, """
        {"metadata":{"$deleteFromPrimitiveList":["example.com/guard"]}}
        """, Pod.class);

    assertThat(e.code).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("invalid patch format of primitive list");
  }

  @Test
  void anElementWithoutItsMergeKeyCannotMerge() {
    ApiException e = failure("""
        {"spec":{"template":{"spec":{"containers":[{"image":"nginx:1.26"}]}}}}
        """);

    assertThat(e.code).isEqualTo(422);
    assertThat(e.reason).isEqualTo("Invalid");
    assertThat(e.getMessage()).isEqualTo("map: map[image:nginx:1.26] does not contain declared merge key: name");
  }

  @Test
  void anUnknownDirectiveCannotMerge() {
    ApiException e = failure("""
        {"spec":{"strategy":{"$patch":"explode"}}}
        """);

    assertThat(e.code).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("unknown patch type: explode in map: map[$patch:explode]");
  }

  @Test
  void listsOfListsAreRejected() {
    ApiException e = PatchEngineTest.failure(STRATEGIC_MERGE_PATCH, POD, """
        {"metadata":{"finalizers":[["nested"]]}}
        """, Pod.class);

    assertThat(e.code).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
  }

  @Test
  void newValuesAreStoredWithoutNullsOrDirectives() {
    ObjectNode result = patchDeployment("""
        {"spec":{"template":{"spec":{"affinity":{"nodeAffinity":null,"podAntiAffinity":{"$patch":"replace",
            "preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"podAffinityTerm":{"topologyKey":"zone"}}]}}}}}}
        """);

    assertThat(result.at("/spec/template/spec/affinity")).isEqualTo(json("""
        {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
            [{"weight": 1, "podAffinityTerm": {"topologyKey": "zone"}}]}}
        """));
  }

  @Test
  void withoutAModelEveryListIsReplaced() {
    ObjectNode result = PatchEngineTest.patch(STRATEGIC_MERGE_PATCH, DEPLOYMENT, """
        {"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}
        """, null);

    assertThat(result.at("/spec/template/spec/containers")).isEqualTo(jsonValue("""
        [{"name": "web", "image": "nginx:1.26"}]
        """));
  }
}
