package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** ServiceAccounts: NAME SECRETS AGE (printServiceAccount). */
final class ServiceAccountPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Secrets", "Secrets is a list of the secrets in the same namespace that pods"
          + " running using this ServiceAccount are allowed to use."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode serviceAccount) {
    return List.of(Cells.name(serviceAccount), Cells.count(serviceAccount, "secrets"), Cells.age(serviceAccount));
  }
}
