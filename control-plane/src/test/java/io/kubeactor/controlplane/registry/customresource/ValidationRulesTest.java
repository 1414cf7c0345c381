package io.kubeactor.controlplane.registry.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** x-kubernetes-validations in CEL, with the messages of apiextensions' (validation_test.go, the CRD docs). */
class ValidationRulesTest {

  static final StructuralSchema SCHEMA = StructuralSchema.of(Json.parse("""
      {"type":"object",
       "x-kubernetes-validations":[{"rule":"self.metadata.name.startsWith('my-')"}],
       "properties":{"spec":{"type":"object",
        "x-kubernetes-validations":[
          {"rule":"self.minReplicas <= self.replicas","message":"replicas should be greater than or equal to minReplicas"},
          {"rule":"self.replicas <= 10.5"},
          {"rule":"!has(self.mode) || self.mode != 'bad'","messageExpression":"'mode ' + self.mode + ' is not allowed'",
           "reason":"FieldValueForbidden","fieldPath":".mode"}],
        "properties":{
          "minReplicas":{"type":"integer"},
          "replicas":{"type":"integer"},
          "mode":{"type":"string"},
          "image":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"Value is immutable"}]},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
            "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer",
              "x-kubernetes-validations":[{"rule":"self >= oldSelf","message":"may only grow"}]}}}}}}}}
      """.getBytes()));

  static final CustomResourceStrategy STRATEGY =
      new CustomResourceStrategy(new CustomResource("things.example.com", SCHEMA, false, null, List.of(), false));

  static ObjectNode thing(String name, String spec) {
    return (ObjectNode) Json.parse(("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"" + name
        + "\"},\"spec\":" + spec + "}").getBytes());
  }

  static List<String> errors(ObjectNode object, ObjectNode old) {
    FieldErrors errors = new FieldErrors();
    if (old == null) STRATEGY.validate(object, errors);
    else STRATEGY.validateUpdate(object, old, errors);
    return errors.causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void rulesSeeTheirNodeAsSelfAndFailWithTheirMessage() {
    assertThat(errors(thing("my-a", "{\"minReplicas\":1,\"replicas\":3}"), null)).isEmpty();
    assertThat(errors(thing("my-a", "{\"minReplicas\":5,\"replicas\":3}"), null))
        .containsExactly("spec: Invalid value: \"object\": replicas should be greater than or equal to minReplicas");
    // numbers of different types compare, as with Kubernetes' CrossTypeNumericComparisons
    assertThat(errors(thing("my-a", "{\"minReplicas\":1,\"replicas\":11}"), null))
        .containsExactly("spec: Invalid value: \"object\": failed rule: self.replicas <= 10.5");
    assertThat(errors(thing("other", "{\"minReplicas\":1,\"replicas\":1}"), null))
        .containsExactly("<nil>: Invalid value: \"object\": failed rule: self.metadata.name.startsWith('my-')");
    assertThat(errors(thing("my-a", "{\"minReplicas\":1,\"replicas\":1,\"mode\":\"bad\"}"), null))
        .containsExactly("spec.mode: Forbidden: mode bad is not allowed");
  }

  @Test
  void transitionRulesRunOnlyWhereAnOldValueIsFound() {
    ObjectNode created = thing("my-a", "{\"minReplicas\":1,\"replicas\":1,\"image\":\"a\",\"ports\":[{\"name\":\"http\",\"port\":80}]}");
    assertThat(errors(created, null)).isEmpty();
    ObjectNode changed = thing("my-a", "{\"minReplicas\":1,\"replicas\":1,\"image\":\"b\",\"ports\":[{\"name\":\"web\",\"port\":1},"
        + "{\"name\":\"http\",\"port\":79}]}");
    // the "web" item has no old item with its key; "http"'s old port is found by key, wherever it is now
    assertThat(errors(changed, created)).containsExactly("spec.image: Invalid value: \"string\": Value is immutable",
        "spec.ports[1].port: Invalid value: \"integer\": may only grow");
  }

  @Test
  void rulesAreNotRunOverAnObjectWithBlockingErrors() {
    assertThat(errors(thing("other", "{\"minReplicas\":\"x\",\"replicas\":1}"), null)).containsExactly(
        "spec.minReplicas: Invalid value: \"string\": spec.minReplicas in body must be of type integer: \"string\"",
        "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the"
            + " existing errors to complete validation");
  }

  @Test
  void aRuleThatDoesNotCompileIsSaidSo() {
    assertThat(ValidationRules.compileError("self.replicas >")).get().asString().contains("ERROR: <input>:1:");
    assertThat(ValidationRules.compileError("self.x.all(i, i > 0)")).isEmpty();
  }
}
