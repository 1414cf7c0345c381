package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Roles and ClusterRoles: NAME, CREATED AT (printRole, printClusterRole), the same columns and
 * cells as the default table, which prints them.
 */
final class RolePrinter implements TablePrinter {

  private final DefaultPrinter table = new DefaultPrinter();

  @Override
  public List<Column> columns() {
    return table.columns();
  }

  @Override
  public List<Object> cells(JsonNode role) {
    return table.cells(role);
  }
}
