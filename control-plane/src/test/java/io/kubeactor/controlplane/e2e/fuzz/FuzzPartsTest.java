package io.kubeactor.controlplane.e2e.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.e2e.fuzz.SchemaFields.Field;
import io.kubeactor.controlplane.e2e.fuzz.SchemaFields.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzz test's own parts: what Go decodes, how a mutation becomes each verb's body, the schema walk. */
class FuzzPartsTest {

  @Test
  void goDecodingRulesPerShape() {
    assertThat(Mutations.decodes(Shape.INT32, "2147483647")).isTrue();
    assertThat(Mutations.decodes(Shape.INT32, "2147483648")).isFalse();
    assertThat(Mutations.decodes(Shape.INT64, "2147483648")).isTrue();
    assertThat(Mutations.decodes(Shape.INT64, "1234567890123456789012345")).isFalse();
    assertThat(Mutations.decodes(Shape.INT32, "1.5")).isFalse();
    assertThat(Mutations.decodes(Shape.INT32, "1e2")).isFalse();
    assertThat(Mutations.decodes(Shape.INT32, "\"3\"")).isFalse();
    assertThat(Mutations.decodes(Shape.NUMBER, "1e400")).isFalse();
    assertThat(Mutations.decodes(Shape.NUMBER, "1e2")).isTrue();
    assertThat(Mutations.decodes(Shape.STRING, "7")).isFalse();
    assertThat(Mutations.decodes(Shape.STRING, "null")).isTrue();
    assertThat(Mutations.decodes(Shape.MAP, "[\"a\",\"b\"]")).isFalse();
    assertThat(Mutations.decodes(Shape.ARRAY, "{}")).isFalse();
    assertThat(Mutations.decodes(Shape.QUANTITY, "\"1Gi\"")).isTrue();
    assertThat(Mutations.decodes(Shape.QUANTITY, "\"abc\"")).isFalse();
    assertThat(Mutations.decodes(Shape.QUANTITY, "2.5")).isTrue();
    assertThat(Mutations.decodes(Shape.INT_OR_STRING, "\"http\"")).isTrue();
    assertThat(Mutations.decodes(Shape.INT_OR_STRING, "1.5")).isFalse();
    assertThat(Mutations.decodes(Shape.BYTES, "\"MQ==\"")).isTrue();
    assertThat(Mutations.decodes(Shape.BYTES, "\"YQ\"")).isFalse();
    assertThat(Mutations.decodes(Shape.TIME, "\"2024-01-01T00:00:00Z\"")).isTrue();
    assertThat(Mutations.decodes(Shape.TIME, "\"yesterday\"")).isFalse();
    assertThat(Mutations.decodes(Shape.MICRO_TIME, "\"2024-01-01T00:00:00Z\"")).isFalse();
    assertThat(Mutations.decodes(Shape.MICRO_TIME, "\"2024-01-01T00:00:00.000000Z\"")).isTrue();
    assertThat(Mutations.decodes(Shape.ANY, "true")).isTrue();
  }

  static final ObjectNode BASE = (ObjectNode) Json.parse("""
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a/b":"c"}},
       "spec":{"containers":[{"name":"c","image":"i"}]}}""".getBytes());

  @Test
  void bodiesCarryTheRawValueAtThePath() {
    List<Object> image = List.of("spec", "containers", 0, "image");
    JsonNode object = Json.parse(Bodies.object(BASE, image, "1e400").replace("1e400", "\"RAW\"").getBytes());
    assertThat(object.at("/spec/containers/0/image").asText()).isEqualTo("RAW");
    assertThat(object.at("/spec/containers/0/name").asText()).isEqualTo("c");
    assertThat(Bodies.object(BASE, image, "1e400")).contains("\"image\":1e400");

    assertThat(Bodies.jsonPatch(BASE, image, "7")).isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/containers/0/image\",\"value\":7}]");
    assertThat(Bodies.jsonPatch(BASE, List.of("spec", "containers", 0), "7"))
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/containers/0\",\"value\":7}]");
    assertThat(Bodies.jsonPatch(BASE, List.of("spec", "securityContext", "runAsUser"), "\"x\""))
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/securityContext\",\"value\":{\"runAsUser\":\"x\"}}]");
    assertThat(Bodies.jsonPatch(BASE, List.of("metadata", "labels", "a/b"), "1"))
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/labels/a~1b\",\"value\":1}]");

    assertThat(Bodies.mergePatch(BASE, image, "7"))
        .isEqualTo("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":7}]}}");
    assertThat(Bodies.mergePatch(BASE, List.of("metadata", "labels"), "[\"a\"]"))
        .isEqualTo("{\"metadata\":{\"labels\":[\"a\"]}}");
  }

  @Test
  void theWalkFindsPresentFieldsAbsentOnesAndTheirShapes() {
    // a reference with a description is wrapped in allOf, as in Kubernetes' v3 documents
    JsonNode schemas = Json.parse("""
        {"Pod":{"type":"object","properties":{
           "metadata":{"allOf":[{"$ref":"#/components/schemas/Meta"}],"description":"Standard object's metadata."},
           "spec":{"type":"object","properties":{
             "replicas":{"type":"integer","format":"int32"},
             "port":{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}],"description":"A port."},
             "containers":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}}}}}},
         "Meta":{"type":"object","properties":{"labels":{"type":"object","additionalProperties":{"type":"string"}}}},
         "io.k8s.apimachinery.pkg.util.intstr.IntOrString":{"type":"string","format":"int-or-string"}}""".getBytes());
    List<Field> fields = SchemaFields.walk(schemas, "Pod", BASE, List.of());
    assertThat(fields).extracting(f -> f.dotted() + " " + f.shape() + " " + (f.present() ? "present" : "absent")).contains(
        "metadata.labels MAP present",
        "metadata.labels.a/b STRING present",
        "spec.containers ARRAY present",
        "spec.containers[0].name STRING present",
        "spec.replicas INT32 absent",
        "spec.port INT_OR_STRING absent");
  }
}
