package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * DaemonSets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS
 * IMAGES SELECTOR (printDaemonSet).
 */
final class DaemonSetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.integer("Desired", "The total number of nodes that should be running the daemon pod."),
      Column.integer("Current", "The number of nodes that are running at least 1 daemon pod and are"
          + " supposed to run the daemon pod."),
      Column.integer("Ready", "The number of nodes that should be running the daemon pod and have"
          + " one or more of the daemon pod running and ready."),
      Column.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
      Column.integer("Available", "The number of nodes that should be running the daemon pod and"
          + " have one or more of the daemon pod running and available."),
      Column.string("Node Selector", "NodeSelector is a selector which must be true for the pod to"
          + " fit on a node."),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES,
      Column.string("Selector", "A label query over pods that are managed by the daemon set.").wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode daemonSet) {
    JsonNode spec = daemonSet.path("spec");
    JsonNode status = daemonSet.path("status");
    JsonNode podSpec = spec.path("template").path("spec");
    return List.of(Cells.name(daemonSet), number(status, "desiredNumberScheduled"),
        number(status, "currentNumberScheduled"), number(status, "numberReady"),
        number(status, "updatedNumberScheduled"), number(status, "numberAvailable"),
        Cells.labels(podSpec.path("nodeSelector")), Cells.age(daemonSet),
        Cells.containerNames(podSpec), Cells.containerImages(podSpec), Cells.formatSelector(spec.path("selector")));
  }
}
