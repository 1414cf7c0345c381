package io.kubeactor.controlplane.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The v2 document holds to what kubectl 1.27's parser (kube-openapi's pkg/util/proto) requires of
 * every schema, since one it cannot model fails the whole apply or explain.
 */
class SwaggerDocumentTest {

  private static final OpenApi OPEN_API = new OpenApi(ResourceRegistry.builtIn());
  private static final JsonNode DOC = Json.parse(OPEN_API.v2().json());

  @Test
  void everySchemaIsOneKubectlsParserModels() {
    JsonNode definitions = DOC.get("definitions");
    List<String> problems = new ArrayList<>();
    BiConsumer<String, JsonNode> check = new BiConsumer<>() {
      @Override
      public void accept(String where, JsonNode s) {
        if (s.has("$ref")) {
          String ref = s.get("$ref").asText();
          if (!ref.startsWith("#/definitions/") || !definitions.has(ref.substring("#/definitions/".length()))) {
            problems.add(where + ": dangling $ref " + ref);
          }
          if (s.has("type") || s.has("properties")) problems.add(where + ": $ref beside type or properties");
        }
        for (String v3Only : List.of("oneOf", "anyOf", "allOf", "nullable")) {
          if (s.has(v3Only)) problems.add(where + ": " + v3Only);
        }
        if (s.has("type") && !s.get("type").isTextual()) problems.add(where + ": more than one type");
        if (s.path("type").asText().equals("array") && !s.path("items").isObject()) problems.add(where + ": array without items");
        s.path("properties").properties().forEach(p -> accept(where + "." + p.getKey(), p.getValue()));
        if (s.has("items")) accept(where + "[]", s.get("items"));
        if (s.path("additionalProperties").isObject()) accept(where + "{}", s.get("additionalProperties"));
      }
    };
    definitions.properties().forEach(d -> check.accept(d.getKey(), d.getValue()));
    DOC.get("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
      for (JsonNode param : op.getValue().path("parameters")) {
        if (param.has("schema")) check.accept(p.getKey() + " " + op.getKey() + " body", param.get("schema"));
      }
      op.getValue().path("responses").properties().forEach(r -> {
        if (r.getValue().has("schema")) check.accept(p.getKey() + " " + op.getKey() + " " + r.getKey(), r.getValue().get("schema"));
      });
    }));

    assertThat(problems).isEmpty();
    assertThat(definitions.size()).isGreaterThan(100);
  }

  @Test
  void kindsAndPatchOperationsNameTheirGroupVersionKindAsKubectlLooksThemUp() {
    assertThat(DOC.get("swagger").asText()).isEqualTo("2.0");
    // a definition's GVK is a list; an operation's is one map
    assertThat(DOC.at("/definitions/io.k8s.api.apps.v1.Deployment/x-kubernetes-group-version-kind/0/kind").asText())
        .isEqualTo("Deployment");
    JsonNode patch = DOC.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");
    assertThat(patch.at("/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("Deployment");
    assertThat(patch.at("/x-kubernetes-group-version-kind/group").asText()).isEqualTo("apps");
    // no strategic merge patch: kubectl then takes patch metadata from its compiled-in types, not these schemas
    assertThat(patch.get("consumes")).extracting(JsonNode::asText)
        .containsExactly("application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json");
    List<String> params = new ArrayList<>();
    patch.get("parameters").forEach(p -> params.add(p.get("in").asText() + ":" + p.get("name").asText()));
    assertThat(params).contains("body:body", "query:fieldValidation", "query:fieldManager", "query:force");
    assertThat(patch.at("/parameters/0/schema/$ref").asText()).isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
    assertThat(patch.at("/responses/200/schema/$ref").asText()).isEqualTo("#/definitions/io.k8s.api.apps.v1.Deployment");
    // Quantity and IntOrString are strings in v2, as kube-apiserver's
    assertThat(DOC.at("/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity/type").asText()).isEqualTo("string");
    assertThat(DOC.at("/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString/format").asText()).isEqualTo("int-or-string");
  }

  @Test
  void theProtobufCarriesTheSamePathsAndDefinitionsInGnosticsFields() throws Exception {
    UnknownFieldSet document = UnknownFieldSet.parseFrom(OPEN_API.v2().protobuf());
    assertThat(document.getField(1).getLengthDelimitedList()).singleElement()
        .extracting(ByteString::toStringUtf8).isEqualTo("2.0");
    // Paths: NamedPathItem in field 2; Definitions: NamedSchema in field 1; each named by its field 1
    UnknownFieldSet paths = UnknownFieldSet.parseFrom(document.getField(8).getLengthDelimitedList().get(0));
    UnknownFieldSet definitions = UnknownFieldSet.parseFrom(document.getField(9).getLengthDelimitedList().get(0));
    assertThat(names(paths.getField(2))).containsExactlyElementsOf(iterable(DOC.get("paths").fieldNames()));
    assertThat(names(definitions.getField(1))).containsExactlyElementsOf(iterable(DOC.get("definitions").fieldNames()));
  }

  private static final String POD_DESCRIPTION =
      "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.";
  private static final String POD_SPEC_FIELD_DESCRIPTION = "Specification of the desired behavior of the pod. More info: "
      + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status";

  @Test
  void descriptionsAreKeptAndAReferenceCarriesItsOwnBesideIt() {
    JsonNode pod = DOC.at("/definitions/io.k8s.api.core.v1.Pod");
    assertThat(pod.get("description").asText()).isEqualTo(POD_DESCRIPTION);
    // v3's {allOf: [{$ref}], description} is v2's {$ref, description}, as in kube-apiserver's v2 document
    assertThat(pod.at("/properties/spec")).isEqualTo(Json.object()
        .put("$ref", "#/definitions/io.k8s.api.core.v1.PodSpec").put("description", POD_SPEC_FIELD_DESCRIPTION));
    assertThat(DOC.at("/definitions/io.k8s.api.core.v1.PodSpec/properties/nodeSelector/description").asText())
        .isEqualTo("NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a "
            + "node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/");
  }

  @Test
  void theProtobufKeepsDescriptionsInTheSchemasField4() throws Exception {
    UnknownFieldSet document = UnknownFieldSet.parseFrom(OPEN_API.v2().protobuf());
    UnknownFieldSet definitions = UnknownFieldSet.parseFrom(document.getField(9).getLengthDelimitedList().get(0));
    UnknownFieldSet pod = named(definitions.getField(1), "io.k8s.api.core.v1.Pod");
    assertThat(string(pod, 4)).isEqualTo(POD_DESCRIPTION);
    UnknownFieldSet properties = UnknownFieldSet.parseFrom(pod.getField(25).getLengthDelimitedList().get(0));
    UnknownFieldSet spec = named(properties.getField(1), "spec");
    assertThat(string(spec, 1)).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
    assertThat(string(spec, 4)).isEqualTo(POD_SPEC_FIELD_DESCRIPTION);
  }

  /** The Schema (field 2) of the NamedSchema called {@code name} (field 1). */
  private static UnknownFieldSet named(UnknownFieldSet.Field namedSchemas, String name) throws Exception {
    for (ByteString item : namedSchemas.getLengthDelimitedList()) {
      UnknownFieldSet named = UnknownFieldSet.parseFrom(item);
      if (string(named, 1).equals(name)) return UnknownFieldSet.parseFrom(named.getField(2).getLengthDelimitedList().get(0));
    }
    throw new AssertionError("no schema named " + name);
  }

  private static String string(UnknownFieldSet message, int field) {
    return message.getField(field).getLengthDelimitedList().get(0).toStringUtf8();
  }

  private static List<String> names(UnknownFieldSet.Field namedItems) throws Exception {
    List<String> names = new ArrayList<>();
    for (ByteString item : namedItems.getLengthDelimitedList()) {
      names.add(UnknownFieldSet.parseFrom(item).getField(1).getLengthDelimitedList().get(0).toStringUtf8());
    }
    return names;
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  @Test
  void theDocumentAndItsHashAreStable() {
    OpenApi again = new OpenApi(ResourceRegistry.builtIn());
    assertThat(again.v2().json()).isEqualTo(OPEN_API.v2().json());
    assertThat(again.v2().hash()).matches("[0-9A-F]{128}").isEqualTo(OPEN_API.v2().hash());
  }
}
