package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Secrets: NAME TYPE DATA AGE (printSecret). */
final class SecretPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Type", "Used to facilitate programmatic handling of secret data."),
      Column.string("Data", "Data contains the secret data."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode secret) {
    // the API server defaults type to Opaque
    return List.of(Cells.name(secret), Cells.text(secret, "type", "Opaque"), Cells.count(secret, "data"),
        Cells.age(secret));
  }
}
