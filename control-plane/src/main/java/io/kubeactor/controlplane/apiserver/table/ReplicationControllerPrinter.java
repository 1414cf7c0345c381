package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** ReplicationControllers: NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR (printReplicationController). */
final class ReplicationControllerPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.integer("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between"
          + " explicit zero and unspecified. Defaults to 1. More info:"
          + " https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
      Column.integer("Current", "Replicas is the most recently observed number of replicas. More info:"
          + " https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
      Column.integer("Ready", "The number of ready replicas for this replication controller."),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES,
      Column.string("Selector", "Selector is a label query over pods that should match the Replicas count. If Selector"
          + " is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must"
          + " match in order to be controlled by this replication controller, if empty defaulted to labels on Pod"
          + " template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")
          .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode controller) {
    JsonNode spec = controller.path("spec");
    JsonNode status = controller.path("status");
    JsonNode podSpec = spec.path("template").path("spec");
    return List.of(Cells.name(controller), number(spec, "replicas", 1), number(status, "replicas"),
        number(status, "readyReplicas"), Cells.age(controller),
        Cells.containerNames(podSpec), Cells.containerImages(podSpec), Cells.labels(spec.path("selector")));
  }
}
