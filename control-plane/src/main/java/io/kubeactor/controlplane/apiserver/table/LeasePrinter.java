package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Leases: NAME HOLDER AGE (printLease). */
final class LeasePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Holder", "holderIdentity contains the identity of the holder of a current lease."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode lease) {
    return List.of(Cells.name(lease), Cells.text(lease.path("spec"), "holderIdentity"), Cells.age(lease));
  }
}
