package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Namespaces: NAME STATUS AGE (printNamespace). */
final class NamespacePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME, Column.string("Status", "The status of the namespace"), Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode namespace) {
    // the API server defaults status.phase to Active
    return List.of(Cells.name(namespace), Cells.text(namespace.path("status"), "phase", "Active"),
        Cells.age(namespace));
  }
}
