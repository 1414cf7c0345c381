package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** ReplicaSets: NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR (printReplicaSet). */
final class ReplicaSetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.integer("Desired", "Replicas is the number of desired replicas."),
      Column.integer("Current", "Replicas is the most recently observed number of replicas."),
      Column.integer("Ready", "The number of ready replicas for this replica set."),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES,
      Column.string("Selector", "Selector is a label query over pods that should match the replica"
          + " count.").wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode replicaSet) {
    JsonNode spec = replicaSet.path("spec");
    JsonNode status = replicaSet.path("status");
    JsonNode podSpec = spec.path("template").path("spec");
    return List.of(Cells.name(replicaSet), number(spec, "replicas", 1), number(status, "replicas"),
        number(status, "readyReplicas"), Cells.age(replicaSet),
        Cells.containerNames(podSpec), Cells.containerImages(podSpec), Cells.formatSelector(spec.path("selector")));
  }
}
