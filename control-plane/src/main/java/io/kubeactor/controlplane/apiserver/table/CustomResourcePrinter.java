package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A custom resource without additionalPrinterColumns, as the CRD table convertor prints one: NAME
 * and AGE (the built-in kinds' default is NAME and CREATED AT), for the kinds served here that are
 * custom resources upstream.
 */
final class CustomResourcePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(Column.NAME, Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode object) {
    return List.of(Cells.name(object), Cells.age(object));
  }
}
