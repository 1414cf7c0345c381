package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** ConfigMaps: NAME DATA AGE, DATA counting data and binaryData keys (printConfigMap). */
final class ConfigMapPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Data", "Data contains the configuration data."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode configMap) {
    return List.of(Cells.name(configMap), Cells.count(configMap, "data") + Cells.count(configMap, "binaryData"),
        Cells.age(configMap));
  }
}
