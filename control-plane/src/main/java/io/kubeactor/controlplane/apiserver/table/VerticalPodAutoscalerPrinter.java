package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * VerticalPodAutoscalers: NAME MODE CPU MEM PROVIDED AGE, the additionalPrinterColumns of upstream's
 * CRD (vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml). As the CRD table convertor does, a
 * column whose JSONPath finds nothing is a null cell, which kubectl prints blank.
 */
final class VerticalPodAutoscalerPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Mode", ""),
      Column.string("CPU", ""),
      Column.string("Mem", ""),
      Column.string("Provided", ""),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode vpa) {
    JsonNode target = vpa.path("status").path("recommendation").path("containerRecommendations").path(0).path("target");
    String provided = null;
    for (JsonNode c : vpa.path("status").path("conditions")) {
      if (c.path("type").asText().equals("RecommendationProvided")) provided = text(c.path("status"));
    }
    return Arrays.asList(Cells.name(vpa), text(vpa.path("spec").path("updatePolicy").path("updateMode")),
        text(target.path("cpu")), text(target.path("memory")), provided, Cells.age(vpa));
  }

  private static String text(JsonNode value) {
    return value.isValueNode() && !value.isNull() ? value.asText() : null;
  }
}
