package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** PodDisruptionBudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
final class PodDisruptionBudgetPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Min Available", "The minimum number of pods that must be available."),
      Column.string("Max Unavailable", "The maximum number of pods that may be unavailable."),
      Column.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pdb) {
    JsonNode spec = pdb.path("spec");
    return List.of(Cells.name(pdb), intOrNotApplicable(spec.path("minAvailable")),
        intOrNotApplicable(spec.path("maxUnavailable")), Cells.number(pdb.path("status"), "disruptionsAllowed"),
        Cells.age(pdb));
  }

  private static String intOrNotApplicable(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "N/A" : Cells.intOrString(value);
  }
}
