package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * How one kind is shown by {@code kubectl get}: the server-side printer of Kubernetes'
 * pkg/printers/internalversion for that kind, always in its wide form (the API server prints wide
 * and kubectl hides the priority-1 columns).
 */
public interface TablePrinter {

  List<Column> columns();

  /**
   * The cells of one object's row, one per column: {@link String}, {@link Long} (for Go's int64
   * cells, written as JSON integers), {@link Boolean}, or a {@link TimedCell} for what reads the clock.
   */
  List<Object> cells(JsonNode object);

  /** The cells as printed at {@code now}: clock-reading cells become their text. */
  default List<Object> cells(JsonNode object, Instant now) {
    return cells(object).stream().map(c -> c instanceof TimedCell t ? t.at(now) : c).toList();
  }

  /** Row conditions (only "Completed" is defined): kubectl dims completed rows. */
  default List<RowCondition> conditions(JsonNode object) {
    return List.of();
  }

  /** A {@code metav1.TableRowCondition}. */
  record RowCondition(String type, String status, String reason, String message) {}
}
