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
   * cells, written as JSON integers) or {@link Boolean}. {@code now} is the clock for ages.
   */
  List<Object> cells(JsonNode object, Instant now);

  /** Row conditions (only "Completed" is defined): kubectl dims completed rows. */
  default List<RowCondition> conditions(JsonNode object) {
    return List.of();
  }

  /** A {@code metav1.TableRowCondition}. */
  record RowCondition(String type, String status, String reason, String message) {}
}
