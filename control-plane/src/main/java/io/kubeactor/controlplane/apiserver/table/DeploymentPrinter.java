package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Deployments: NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR (printDeployment). */
final class DeploymentPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Ready", "Number of the pod with ready state"),
      Column.string("Up-to-date", "Total number of non-terminated pods targeted by this deployment"
          + " that have the desired template spec."),
      Column.string("Available", "Total number of available pods (ready for at least"
          + " minReadySeconds) targeted by this deployment."),
      Column.AGE,
      Column.CONTAINERS,
      Column.IMAGES,
      Column.string("Selector", "Label selector for pods. Existing ReplicaSets whose pods are"
          + " selected by this will be the ones affected by this deployment.").wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode deployment) {
    JsonNode spec = deployment.path("spec");
    JsonNode status = deployment.path("status");
    JsonNode podSpec = spec.path("template").path("spec");
    long desired = number(spec, "replicas", 1); // the API server defaults replicas to 1
    return List.of(Cells.name(deployment), number(status, "readyReplicas") + "/" + desired,
        number(status, "updatedReplicas"), number(status, "availableReplicas"), Cells.age(deployment),
        Cells.containerNames(podSpec), Cells.containerImages(podSpec), Cells.selector(spec.path("selector")));
  }
}
