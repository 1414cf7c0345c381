package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** IngressClasses: NAME CONTROLLER PARAMETERS AGE (printIngressClass). */
final class IngressClassPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Controller", "Controller that is responsible for handling this class"),
      Column.string("Parameters", "A reference to a resource with additional parameters"),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ingressClass) {
    JsonNode spec = ingressClass.path("spec");
    return List.of(Cells.name(ingressClass), text(spec, "controller"), parameters(spec.path("parameters")),
        Cells.age(ingressClass));
  }

  /** "Kind.apiGroup/name" (apiGroup only when set), or "<none>". */
  private static String parameters(JsonNode parameters) {
    if (!parameters.isObject()) return "<none>";
    String kind = text(parameters, "kind");
    if (parameters.path("apiGroup").isTextual()) kind += "." + parameters.path("apiGroup").asText();
    return kind + "/" + text(parameters, "name");
  }
}
