package io.kubeactor.controlplane.registry.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CustomResourceDefinitions' defaults, initial status and validation, worded as apiextensions' validation.go. */
class CustomResourceDefinitionStrategyTest {

  static final CustomResourceDefinitionStrategy STRATEGY = CustomResourceDefinitionStrategy.INSTANCE;

  static ObjectNode crd() {
    return (ObjectNode) Json.parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
            "properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}},
            "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}]}]}}
        """.getBytes());
  }

  static List<String> errors(ObjectNode crd) {
    STRATEGY.applyDefaults(null, crd, null);
    FieldErrors errors = new FieldErrors();
    STRATEGY.validate(crd, errors);
    return errors.causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void aDefinitionIsDefaultedAndStartsWithItsStorageVersionStored() {
    ObjectNode crd = crd();
    STRATEGY.applyDefaults(null, crd, null);
    STRATEGY.prepareForCreate(null, crd);
    assertThat(crd.at("/spec/names").toString())
        .isEqualTo("{\"plural\":\"widgets\",\"kind\":\"Widget\",\"singular\":\"widget\",\"listKind\":\"WidgetList\"}");
    assertThat(crd.at("/spec/conversion/strategy").asText()).isEqualTo("None");
    assertThat(crd.at("/spec/versions/0/additionalPrinterColumns/0/priority").asInt(-1)).isZero();
    assertThat(crd.get("status").toString())
        .isEqualTo("{\"acceptedNames\":{\"plural\":\"\",\"kind\":\"\"},\"conditions\":[],\"storedVersions\":[\"v1\"]}");
    assertThat(errors(crd)).isEmpty();
  }

  @Test
  void namesGroupAndVersionsAreChecked() {
    ObjectNode crd = crd();
    crd.withObjectProperty("metadata").put("name", "widgets");
    crd.withObjectProperty("spec").put("group", "example");
    ((ObjectNode) crd.at("/spec/names")).put("plural", "Widgets");
    assertThat(errors(crd)).containsExactly(
        "metadata.name: Invalid value: \"widgets\": must be spec.names.plural+\".\"+spec.group",
        "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
        "spec.names.plural: Invalid value: \"Widgets\": a DNS-1035 label must consist of lower case alphanumeric characters"
            + " or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', "
            + " or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");

    ObjectNode twoStorage = crd();
    ArrayNode versions = (ArrayNode) twoStorage.at("/spec/versions");
    versions.add(versions.get(0).deepCopy());
    ((ObjectNode) versions.get(1)).put("name", "v2");
    assertThat(errors(twoStorage)).singleElement().asString()
        .startsWith("spec.versions: Invalid value: [").endsWith("]: must have exactly one version marked as storage version");
  }

  @Test
  void schemasMustBeStructuralAndColumnsTyped() {
    ObjectNode crd = crd();
    ObjectNode version = (ObjectNode) crd.at("/spec/versions/0");
    ((ObjectNode) version.at("/schema/openAPIV3Schema/properties/spec/properties")).putObject("loose").put("description", "x");
    ((ObjectNode) version.at("/additionalPrinterColumns/0")).put("type", "int");
    version.putObject("subresources").putObject("scale").put("specReplicasPath", ".status.size");
    assertThat(errors(crd)).containsExactly(
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[loose].type: Required value: must not be empty"
            + " for specified object fields",
        "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".status.size\": should be a json path under .spec",
        "spec.versions[0].subresources.scale.statusReplicasPath: Required value",
        "spec.versions[0].additionalPrinterColumns[0].type: Invalid value: \"int\": must be one of boolean,date,integer,number,string");
    ObjectNode noSchema = crd();
    ((ObjectNode) noSchema.at("/spec/versions/0")).remove("schema");
    assertThat(errors(noSchema)).containsExactly("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required");
  }
}
