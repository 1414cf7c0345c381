package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** StatefulSets: NAME READY AGE | CONTAINERS IMAGES (printStatefulSet). */
final class StatefulSetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Ready", "Number of the pod with ready state"),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode statefulSet) {
    JsonNode spec = statefulSet.path("spec");
    JsonNode podSpec = spec.path("template").path("spec");
    return List.of(Cells.name(statefulSet),
        number(statefulSet.path("status"), "readyReplicas") + "/" + number(spec, "replicas", 1),
        Cells.age(statefulSet), Cells.containerNames(podSpec), Cells.containerImages(podSpec));
  }
}
