package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Kinds without a printer of their own get the API server's default table
 * (apiserver/pkg/registry/rest/table.go): NAME and CREATED AT, a UTC RFC 3339 date.
 */
final class DefaultPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME, new Column("Created At", "date", "", Column.CREATION_DOC, 0));

  /** Go's zero time, which a missing creationTimestamp prints as. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode object) {
    Instant created = Cells.instant(object.path("metadata").path("creationTimestamp"));
    String createdAt = created == null ? ZERO_TIME : created.truncatedTo(ChronoUnit.SECONDS).toString();
    return List.of(Cells.name(object), createdAt);
  }
}
