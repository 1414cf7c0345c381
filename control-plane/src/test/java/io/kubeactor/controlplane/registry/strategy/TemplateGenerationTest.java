package io.kubeactor.controlplane.registry.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import org.junit.jupiter.api.Test;

class TemplateGenerationTest {

  private static ObjectNode ds(String annotation, String image) throws Exception {
    String annotations = annotation == null ? "{}" : "{\"" + TemplateGeneration.ANNOTATION + "\": \"" + annotation + "\"}";
    return (ObjectNode) Json.MAPPER.readTree("""
        {"metadata": {"name": "x", "annotations": %s},
         "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "%s"}]}}}}
        """.formatted(annotations, image));
  }

  private static String generation(ObjectNode ds) {
    return ds.path("metadata").path("annotations").path(TemplateGeneration.ANNOTATION).asText();
  }

  @Test
  void aNewDaemonSetIsAtGenerationOneUnlessItNamesAHigherOne() throws Exception {
    ObjectNode plain = ds(null, "a");
    TemplateGeneration.onCreate(plain);
    assertThat(generation(plain)).isEqualTo("1");
    ObjectNode given = ds("4", "a");
    TemplateGeneration.onCreate(given);
    assertThat(generation(given)).isEqualTo("4");
    ObjectNode garbage = ds("x", "a");
    TemplateGeneration.onCreate(garbage);
    assertThat(generation(garbage)).isEqualTo("1");
  }

  @Test
  void anUpdateKeepsTheStoredGenerationAndCountsTemplateChanges() throws Exception {
    ObjectNode current = ds("3", "a");
    ObjectNode sameTemplate = ds(null, "a");
    TemplateGeneration.onUpdate(sameTemplate, current);
    assertThat(generation(sameTemplate)).isEqualTo("3");
    ObjectNode clientSetsIt = ds("9", "b");
    TemplateGeneration.onUpdate(clientSetsIt, current);
    assertThat(generation(clientSetsIt)).isEqualTo("4");
  }
}
