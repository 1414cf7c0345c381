package io.kubeactor.controlplane.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OpenApiTest {

  private static final OpenApi OPEN_API = new OpenApi(ResourceRegistry.builtIn());
  private static final String SCHEMAS = "#/components/schemas/";

  @Test
  void theIndexPointsAtOneDocumentPerGroupVersionWithAContentHash() {
    ObjectNode index = OPEN_API.index();

    assertThat(index.properties()).hasSize(1);
    JsonNode paths = index.get("paths");
    assertThat(fieldNames(paths)).contains("api/v1", "apis/apps/v1", "apis/autoscaling/v1", "apis/autoscaling/v2",
        "apis/networking.k8s.io/v1", "apis/coordination.k8s.io/v1");
    assertThat(paths.get("api/v1").get("serverRelativeURL").asText()).matches("/openapi/v3/api/v1\\?hash=[0-9A-F]{128}");
    String apps = paths.get("apis/apps/v1").get("serverRelativeURL").asText();
    assertThat(apps).startsWith("/openapi/v3/apis/apps/v1?hash=");
    assertThat(hash(apps)).isNotEqualTo(hash(paths.get("api/v1").get("serverRelativeURL").asText()));

    // stable: a fresh server over the same registry serves the same bytes under the same hash
    OpenApi again = new OpenApi(ResourceRegistry.builtIn());
    assertThat(again.document("apps/v1").orElseThrow()).isEqualTo(OPEN_API.document("apps/v1").orElseThrow());
    assertThat(OPEN_API.document("apps/v1").orElseThrow()).isSameAs(OPEN_API.document("apps/v1").orElseThrow());
  }

  /**
   * A CRD's kind, once served, has a document of its group/version with its schema (as
   * apiextensions' OpenAPI builder writes it) and its list's, in v3 and v2; the documents follow
   * the registry as CRDs come and go.
   */
  @Test
  void customResourcesAreDocumentedWhileTheyAreServed() {
    ResourceRegistry registry = ResourceRegistry.builtIn();
    OpenApi openApi = new OpenApi(registry);
    byte[] apps = openApi.document("apps/v1").orElseThrow();
    assertThat(openApi.document("stable.example.com/v1")).isEmpty();
    registry.replaceCustomTypes(io.kubeactor.controlplane.api.apiextensions.CustomResourceTypes.of(io.kubeactor.common.Json.parse("""
        {"metadata":{"name":"crontabs.stable.example.com"},"spec":{"group":"stable.example.com","scope":"Namespaced",
         "names":{"plural":"crontabs","kind":"CronTab"},"versions":[{"name":"v1","served":true,"storage":true,
         "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{
           "cronSpec":{"type":"string","pattern":"^\\\\S+$","description":"When"},
           "mode":{"type":"string","enum":["a","b"],"nullable":true},
           "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
           "replicas":{"type":"integer","minimum":1,"maximum":10,"default":1}}}}}}}]}}
        """.getBytes())));

    JsonNode doc = io.kubeactor.common.Json.parse(openApi.document("stable.example.com/v1").orElseThrow());
    JsonNode crontab = doc.at("/components/schemas/com.example.stable.v1.CronTab");
    assertThat(crontab.at("/x-kubernetes-group-version-kind/0").toString())
        .isEqualTo("{\"group\":\"stable.example.com\",\"version\":\"v1\",\"kind\":\"CronTab\"}");
    assertThat(fieldNames(crontab.get("properties"))).containsExactly("apiVersion", "kind", "metadata", "spec");
    assertThat(crontab.at("/properties/metadata/allOf/0/$ref").asText())
        .isEqualTo(SCHEMAS + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(crontab.at("/properties/spec/properties/cronSpec/description").asText()).isEqualTo("When");
    assertThat(doc.at("/components/schemas/com.example.stable.v1.CronTabList/properties/items/items/$ref").asText())
        .isEqualTo(SCHEMAS + "com.example.stable.v1.CronTab");
    assertThat(fieldNames(doc.get("paths"))).contains("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}");
    assertThat(openApi.index().get("paths").has("apis/stable.example.com/v1")).isTrue();
    // the other groups' documents are kept as they were
    assertThat(openApi.document("apps/v1").orElseThrow()).isSameAs(apps);

    // v2: what Swagger 2.0 cannot say is left out, the rest encodes (the protobuf has a field for each)
    OpenApi.Swagger v2 = openApi.v2();
    JsonNode spec = io.kubeactor.common.Json.parse(v2.json())
        .at("/definitions/com.example.stable.v1.CronTab/properties/spec/properties");
    assertThat(spec.get("mode").has("type")).isFalse();
    assertThat(spec.get("port").has("anyOf")).isFalse();
    assertThat(spec.get("replicas").toString()).isEqualTo("{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}");
    assertThat(v2.protobuf()).isNotEmpty();

    registry.replaceCustomTypes(java.util.List.of());
    assertThat(openApi.document("stable.example.com/v1")).isEmpty();
    assertThat(openApi.v2().hash()).isNotEqualTo(v2.hash());
  }

  @Test
  void unknownGroupVersionsHaveNoDocument() {
    assertThat(OPEN_API.document("apps/v2")).isEmpty();
    assertThat(OPEN_API.document("batch/v2")).isEmpty();
  }

  @Test
  void aDocumentIsOpenApi3WithThePathsOfItsKinds() {
    JsonNode doc = document("v1");

    assertThat(doc.get("openapi").asText()).isEqualTo("3.0.0");
    assertThat(doc.get("info").get("title").asText()).isEqualTo("Kubernetes");
    assertThat(fieldNames(doc.get("paths"))).contains(
        "/api/v1/namespaces/{namespace}/pods", "/api/v1/namespaces/{namespace}/pods/{name}", "/api/v1/pods",
        "/api/v1/nodes", "/api/v1/nodes/{name}", "/api/v1/namespaces", "/api/v1/namespaces/{name}");
    assertThat(fieldNames(doc.get("paths"))).noneMatch(p -> p.contains("deployments"));

    JsonNode pods = doc.get("paths").get("/api/v1/namespaces/{namespace}/pods");
    assertThat(fieldNames(pods)).containsExactly("parameters", "get", "post", "delete");
    assertThat(pods.get("get").get("responses").get("200").get("content").get("application/json").get("schema").get("$ref").asText())
        .isEqualTo(SCHEMAS + "io.k8s.api.core.v1.PodList");
    assertThat(parameterNames(pods.get("post"))).containsExactly("dryRun", "fieldManager", "fieldValidation");
    assertThat(parameterNames(pods)).containsExactly("namespace", "pretty");
    assertThat(parameterNames(doc.get("paths").get("/api/v1/nodes/{name}"))).containsExactly("name", "pretty");
  }

  @Test
  void thePatchOperationOffersFieldValidationAndNamesItsKind() {
    JsonNode item = document("apps/v1").get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
    assertThat(fieldNames(item)).containsExactly("parameters", "get", "put", "delete", "patch");

    JsonNode patch = item.get("patch");
    assertThat(patch.get("x-kubernetes-group-version-kind")).isEqualTo(json("""
        {"group": "apps", "version": "v1", "kind": "Deployment"}"""));
    assertThat(patch.get("parameters")).contains(json("""
        {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}}"""));
    assertThat(fieldNames(patch.get("requestBody").get("content"))).containsExactly(
        "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json");

    for (String method : List.of("get", "put", "delete")) {
      assertThat(item.get(method).get("x-kubernetes-group-version-kind")).isEqualTo(patch.get("x-kubernetes-group-version-kind"));
    }
    JsonNode core = document("v1").get("paths").get("/api/v1/nodes/{name}").get("patch");
    assertThat(core.get("x-kubernetes-group-version-kind")).isEqualTo(json("""
        {"group": "", "version": "v1", "kind": "Node"}"""));
  }

  @Test
  void kindsCarryTheirGroupVersionKindListAndADescription() {
    JsonNode schemas = document("apps/v1").get("components").get("schemas");
    JsonNode deployment = schemas.get("io.k8s.api.apps.v1.Deployment");

    assertThat(deployment.get("x-kubernetes-group-version-kind")).isEqualTo(json("""
        [{"group": "apps", "version": "v1", "kind": "Deployment"}]"""));
    assertThat(deployment.get("description").asText()).isEqualTo("Deployment enables declarative updates for Pods and ReplicaSets.");
    assertThat(deployment.get("type").asText()).isEqualTo("object");
    assertThat(schemas.get("io.k8s.api.apps.v1.DeploymentList").get("x-kubernetes-group-version-kind").get(0).get("kind").asText())
        .isEqualTo("DeploymentList");
    assertThat(schemas.get("io.k8s.api.apps.v1.DeploymentList").get("description").asText())
        .isEqualTo("DeploymentList is a list of Deployments.");
  }

  @Test
  void definitionsAndTheirPropertiesCarryKubernetesDescriptions() {
    JsonNode schemas = document("v1").get("components").get("schemas");
    JsonNode pod = schemas.get("io.k8s.api.core.v1.Pod");
    assertThat(pod.get("description").asText()).isEqualTo("Pod is a collection of containers that can run on a host. "
        + "This resource is created by clients and scheduled onto hosts.");

    JsonNode podSpec = schemas.get("io.k8s.api.core.v1.PodSpec");
    assertThat(podSpec.get("description").asText()).isEqualTo("PodSpec is a description of a pod.");
    assertThat(podSpec.get("properties").get("nodeSelector")).isEqualTo(json("""
        {"description": "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must \
        match a node's labels for the pod to be scheduled on that node. More info: \
        https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
         "type": "object", "additionalProperties": {"type": "string"}}"""));
    // a reference with a description of its own is wrapped in allOf, as in Kubernetes' v3 documents
    assertThat(pod.get("properties").get("spec")).isEqualTo(json("""
        {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.PodSpec"}],
         "description": "Specification of the desired behavior of the pod. More info: \
        https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"}"""));
    // a list describes itself; its items stay a bare reference
    JsonNode containers = podSpec.get("properties").get("containers");
    assertThat(containers.get("description").asText()).startsWith("List of containers belonging to the pod.");
    assertThat(containers.get("items")).isEqualTo(json("""
        {"$ref": "#/components/schemas/io.k8s.api.core.v1.Container"}"""));
    // apimachinery's own types too
    assertThat(schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.Time").get("description").asText())
        .startsWith("Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.");
  }

  @Test
  void everyKubernetesKindServedHasADescription() {
    List<String> undescribed = new ArrayList<>();
    OPEN_API.index().get("paths").fieldNames().forEachRemaining(path -> {
      JsonNode schemas = document(path.replaceFirst("^apis?/", "")).get("components").get("schemas");
      schemas.properties().stream()
          .filter(s -> s.getKey().startsWith("io.k8s.") && s.getValue().has("x-kubernetes-group-version-kind"))
          .filter(s -> !s.getValue().has("description"))
          .forEach(s -> undescribed.add(s.getKey()));
    });
    assertThat(undescribed).as("kinds missing from descriptions.json: run scripts/openapi-descriptions.py").isEmpty();
  }

  @Test
  void kindsThatAreNotBuiltInTakeTheirCustomResourceDefinitionsDescriptions() {
    JsonNode schemas = document("autoscaling.k8s.io/v1").get("components").get("schemas");
    JsonNode vpa = schemas.get("io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler");
    assertThat(vpa.get("description").asText()).startsWith("VerticalPodAutoscaler is the configuration for a vertical pod\nautoscaler,");
    JsonNode spec = resolve(schemas, vpa.get("properties").get("spec"));
    assertThat(spec.get("properties").get("targetRef").get("description").asText())
        .startsWith("TargetRef points to the controller managing the set of pods for the\nautoscaler");
  }

  @Test
  void theDeploymentSchemaReachesItsNestedTypesByReference() {
    JsonNode schemas = document("apps/v1").get("components").get("schemas");

    // what `kubectl explain deployment.spec.strategy` walks
    JsonNode spec = resolve(schemas, schemas.get("io.k8s.api.apps.v1.Deployment").get("properties").get("spec"));
    assertThat(spec.get("required")).isEqualTo(json("[\"selector\", \"template\"]"));
    JsonNode strategy = resolve(schemas, spec.get("properties").get("strategy"));
    assertThat(undescribed(strategy.get("properties").get("type"))).isEqualTo(json("{\"type\": \"string\"}"));
    JsonNode rollingUpdate = resolve(schemas, strategy.get("properties").get("rollingUpdate"));
    assertThat(rollingUpdate.at("/properties/maxSurge/allOf/0/$ref").asText())
        .isEqualTo(SCHEMAS + "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    assertThat(undescribed(schemas.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString"))).isEqualTo(json("""
        {"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}], "x-kubernetes-int-or-string": true}"""));

    JsonNode metadata = resolve(schemas, schemas.get("io.k8s.api.apps.v1.Deployment").get("properties").get("metadata"));
    assertThat(metadata).isSameAs(schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    assertThat(undescribed(metadata.get("properties").get("labels"))).isEqualTo(json("""
        {"type": "object", "additionalProperties": {"type": "string"}}"""));
    assertThat(undescribed(resolve(schemas, metadata.get("properties").get("creationTimestamp")))).isEqualTo(json("""
        {"format": "date-time", "type": "string"}"""));
  }

  @Test
  void thePodSchemaDescribesContainersPortsAndResources() {
    JsonNode schemas = document("v1").get("components").get("schemas");
    assertThat(schemas.get("io.k8s.api.core.v1.Pod").get("x-kubernetes-group-version-kind")).isEqualTo(json("""
        [{"group": "", "version": "v1", "kind": "Pod"}]"""));

    JsonNode podSpec = resolve(schemas, schemas.get("io.k8s.api.core.v1.Pod").get("properties").get("spec"));
    assertThat(podSpec.get("required")).isEqualTo(json("[\"containers\"]"));
    JsonNode containers = podSpec.get("properties").get("containers");
    assertThat(containers.get("type").asText()).isEqualTo("array");
    JsonNode container = resolve(schemas, containers.get("items"));
    assertThat(container.get("required")).isEqualTo(json("[\"name\"]"));

    JsonNode port = resolve(schemas, container.get("properties").get("ports").get("items"));
    assertThat(undescribed(port.get("properties").get("containerPort"))).isEqualTo(json("""
        {"format": "int32", "type": "integer"}"""));
    JsonNode resources = resolve(schemas, container.get("properties").get("resources"));
    assertThat(undescribed(resources.get("properties").get("limits"))).isEqualTo(json("""
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"}}"""));
    assertThat(undescribed(schemas.get("io.k8s.apimachinery.pkg.api.resource.Quantity"))).isEqualTo(json("""
        {"oneOf": [{"type": "string"}, {"type": "number"}], "x-kubernetes-int-or-string": true}"""));
    JsonNode status = resolve(schemas, schemas.get("io.k8s.api.core.v1.Pod").get("properties").get("status"));
    assertThat(resolve(schemas, status.get("properties").get("startTime")).get("format").asText()).isEqualTo("date-time");
  }

  @Test
  void everyReferenceResolvesAndEveryOperationKindHasASchema() {
    for (String groupVersion : List.of("v1", "apps/v1", "autoscaling/v2", "networking.k8s.io/v1", "storage.k8s.io/v1")) {
      JsonNode doc = document(groupVersion);
      JsonNode schemas = doc.get("components").get("schemas");
      assertThat(references(doc)).allSatisfy(ref -> assertThat(schemas.has(ref)).as(ref).isTrue());
      // kubectl explain: the operation's GVK must be in exactly one schema's x-kubernetes-group-version-kind list
      doc.get("paths").forEach(path -> path.properties().stream()
          .filter(op -> op.getValue().has("x-kubernetes-group-version-kind"))
          .forEach(op -> assertThat(StreamSupport.stream(schemas.spliterator(), false)
              .filter(s -> contains(s.get("x-kubernetes-group-version-kind"), op.getValue().get("x-kubernetes-group-version-kind"))))
              .hasSize(1)));
    }
  }

  private static String hash(String url) {
    return url.substring(url.indexOf("?hash=") + 6);
  }

  private static boolean contains(JsonNode list, JsonNode gvk) {
    return list != null && StreamSupport.stream(list.spliterator(), false).anyMatch(gvk::equals);
  }

  private static List<String> references(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.has("$ref")) out.add(node.get("$ref").asText().substring(SCHEMAS.length()));
    node.forEach(child -> out.addAll(references(child)));
    return out;
  }

  /** The schema a property names, through {@code $ref} or a described reference's {@code allOf}, as kubectl resolves it. */
  private static JsonNode resolve(JsonNode schemas, JsonNode schema) {
    JsonNode reference = schema.has("allOf") ? schema.get("allOf").get(0) : schema;
    return Optional.ofNullable(reference.get("$ref"))
        .map(ref -> schemas.get(ref.asText().substring(SCHEMAS.length())))
        .orElse(schema);
  }

  private static JsonNode undescribed(JsonNode schema) {
    return ((ObjectNode) schema.deepCopy()).without("description");
  }

  private static JsonNode document(String groupVersion) {
    return Json.parse(OPEN_API.document(groupVersion).orElseThrow());
  }

  private static List<String> parameterNames(JsonNode operation) {
    List<String> names = new ArrayList<>();
    operation.get("parameters").forEach(p -> names.add(p.get("name").asText()));
    return names;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode json(String text) {
    return Json.parse(text.getBytes(StandardCharsets.UTF_8));
  }
}
