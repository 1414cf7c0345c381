package io.kubeactor.controlplane.registry.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pruning, defaulting and validation of custom resources against a structural schema, with the
 * messages of kube-apiserver's (apiextensions' validation_test.go and the CRD walkthrough).
 */
class CustomResourceSchemaTest {

  static final StructuralSchema SCHEMA = StructuralSchema.of(Json.parse("""
      {"type":"object","properties":{
        "spec":{"type":"object","required":["image"],"properties":{
          "image":{"type":"string","maxLength":10},
          "mode":{"type":"string","enum":["a","b"]},
          "replicas":{"type":"integer","minimum":1,"default":1},
          "port":{"x-kubernetes-int-or-string":true},
          "note":{"type":"string","nullable":true},
          "tags":{"type":"array","maxItems":2,"x-kubernetes-list-type":"set","items":{"type":"string"}},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object"}}},
          "nested":{"type":"object","default":{},"properties":{"level":{"type":"string","default":"info"}}}}},
        "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}
      """.getBytes()));

  static final CustomResource CUSTOM = new CustomResource("things.example.com", SCHEMA, true, null, List.of(), false);

  static ObjectNode thing(String spec) {
    return (ObjectNode) Json.parse(("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"t\"},"
        + "\"spec\":" + spec + "}").getBytes());
  }

  static List<String> errors(String spec) {
    FieldErrors errors = new FieldErrors();
    SchemaValidation.validate(thing(spec), SCHEMA, errors);
    return errors.causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void valuesOfTheWrongTypeAreNamedByTheirJsonType() {
    assertThat(errors("{\"image\":\"x\",\"replicas\":\"two\"}"))
        .containsExactly("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    assertThat(errors("{\"image\":\"x\",\"replicas\":2.0}")).isEmpty(); // a whole number is an integer, as in Go
    assertThat(errors("{\"image\":\"x\",\"port\":true}"))
        .containsExactly("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"");
    assertThat(errors("{\"image\":\"x\",\"port\":\"http\",\"note\":null}")).isEmpty();
    assertThat(errors("{\"image\":null}"))
        .containsExactly("spec.image: Invalid value: \"null\": spec.image in body must be of type string: \"null\"");
  }

  @Test
  void valueValidationsAreWordedAsKubeApiserverWordsThem() {
    assertThat(errors("{}")).containsExactly("spec.image: Required value");
    assertThat(errors("{\"image\":\"abcdefghijkl\"}")).containsExactly("spec.image: Too long: may not be more than 10 bytes");
    assertThat(errors("{\"image\":\"x\",\"mode\":\"c\"}"))
        .containsExactly("spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"");
    assertThat(errors("{\"image\":\"x\",\"replicas\":0}"))
        .containsExactly("spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1");
    assertThat(errors("{\"image\":\"x\",\"tags\":[\"a\",\"b\",\"c\"]}"))
        .containsExactly("spec.tags: Too many: 3: must have at most 2 items");
    assertThat(errors("{\"image\":\"x\",\"tags\":[\"a\",\"a\"]}")).containsExactly("spec.tags[1]: Duplicate value: \"a\"");
    assertThat(errors("{\"image\":\"x\",\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"http\",\"port\":81}]}"))
        .containsExactly("spec.ports[1]: Duplicate value: {\"name\":\"http\"}");
    assertThat(errors("{\"image\":\"x\",\"labels\":{\"a\":1}}"))
        .containsExactly("spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\"");
  }

  @Test
  void pruningDropsWhatTheSchemaDoesNotSpecifyAndNamesIt() {
    ObjectNode obj = thing("{\"image\":\"x\",\"typo\":1,\"free\":{\"any\":{\"thing\":1}},\"ports\":[{\"name\":\"a\",\"extra\":2}],"
        + "\"template\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{},\"bogus\":3}}");
    obj.put("unknownTop", true);
    assertThat(SchemaPruning.unknownFields(obj, SCHEMA))
        .containsExactly("spec.typo", "spec.ports[0].extra", "spec.template.bogus", "unknownTop");
    SchemaPruning.prune(obj, SCHEMA);
    assertThat(obj.toString()).isEqualTo("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"t\"},"
        + "\"spec\":{\"image\":\"x\",\"free\":{\"any\":{\"thing\":1}},\"ports\":[{\"name\":\"a\"}],"
        + "\"template\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{}}}}");
  }

  @Test
  void decodingReportsUnknownFieldsAndNormalizingPrunesAndDefaults() {
    ObjectNode obj = thing("{\"image\":\"x\",\"typo\":1,\"replicas\":null}");
    obj.withObjectProperty("metadata").put("bogus", 1);
    assertThat(CustomResourceDecoding.check(obj, CUSTOM).strictProblems())
        .containsExactly("unknown field \"metadata.bogus\"", "unknown field \"spec.typo\"");
    CustomResourceDecoding.normalize(obj, CUSTOM);
    // a null without nullable takes the default; a missing object with a default is made and defaulted inside
    assertThat(obj.get("spec").toString()).isEqualTo("{\"image\":\"x\",\"replicas\":1,\"nested\":{\"level\":\"info\"}}");
    assertThat(obj.get("metadata").toString()).isEqualTo("{\"name\":\"t\"}");
    assertThat(CustomResourceDecoding.check(Json.parse("[1]".getBytes()), CUSTOM).error())
        .isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}");
  }

  @Test
  void theStrategyValidatesStatusUpdatesAgainstTheSchemaToo() {
    CustomResourceStrategy strategy = new CustomResourceStrategy(CUSTOM);
    ObjectNode old = thing("{\"image\":\"x\"}");
    old.withObjectProperty("metadata").put("resourceVersion", "5").put("uid", "u").put("creationTimestamp", "2026-01-01T00:00:00Z");
    ObjectNode updated = old.deepCopy();
    updated.withObjectProperty("status").put("ready", "yes");
    List<ApiException.Cause> causes = strategy.statusFieldErrors(updated, old);
    assertThat(causes).extracting(ApiException.Cause::message)
        .containsExactly("Invalid value: \"string\": status.ready in body must be of type boolean: \"string\"");
    // with a status subresource, status is no part of the generation
    assertThat(strategy.countsAsNewGeneration(updated, old)).isFalse();
    assertThat(new CustomResourceStrategy(new CustomResource("t", SCHEMA, false, null, List.of(), false))
        .countsAsNewGeneration(updated, old)).isTrue();
  }
}
