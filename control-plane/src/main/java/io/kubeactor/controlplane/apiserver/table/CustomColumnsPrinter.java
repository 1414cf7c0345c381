package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom resource's table, as apiextensions' table convertor prints it: NAME, then one column per
 * additionalPrinterColumn, each cell the first value its JSONPath finds, typed as the column says
 * (a date as an age); a path that finds nothing, or a value of another type, is an empty cell
 * (kubectl shows {@code <none>}).
 */
final class CustomColumnsPrinter implements TablePrinter {

  private static final Configuration JSON_PATH = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider()).mappingProvider(new JacksonMappingProvider())
      .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS).build();

  private final List<Column> columns = new ArrayList<>();
  private final List<CustomResource.PrinterColumn> custom;
  private final List<JsonPath> paths = new ArrayList<>();

  CustomColumnsPrinter(List<CustomResource.PrinterColumn> custom) {
    this.custom = custom;
    columns.add(Column.NAME);
    for (CustomResource.PrinterColumn c : custom) {
      columns.add(new Column(c.name(), c.type(), c.format(), c.description(), c.priority()));
      paths.add(compile(c.jsonPath()));
    }
  }

  /** A Kubernetes JSONPath (".spec.replicas") as a JsonPath from the root; null if it does not parse. */
  private static JsonPath compile(String path) {
    try {
      return JsonPath.compile("$" + path);
    } catch (InvalidPathException | IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(JsonNode object) {
    List<Object> cells = new ArrayList<>(columns.size());
    cells.add(Cells.name(object));
    for (int i = 0; i < custom.size(); i++) {
      JsonNode found = paths.get(i) == null ? null : first(paths.get(i).read(object, JSON_PATH));
      cells.add(found == null || found.isNull() ? null : cell(custom.get(i).type(), found));
    }
    return cells;
  }

  private static JsonNode first(Object results) {
    return results instanceof JsonNode list && list.isArray() && !list.isEmpty() ? list.get(0) : null;
  }

  private static Object cell(String type, JsonNode value) {
    return switch (type) {
      case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
      case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
      case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
      case "date" -> value.isTextual() ? (Cells.instant(value) == null ? "<invalid>" : Cells.since(value)) : null;
      default -> value.isTextual() ? value.textValue() : value.toString();
    };
  }
}
