package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.number;
import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.EventVersions;
import java.time.Instant;
import java.util.List;

/**
 * core/v1 Events: LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME,
 * in Kubernetes' column order (printEvent). events.k8s.io/v1's are printed alike, from their core
 * form, as Kubernetes prints both from its internal type.
 */
class EventPrinter implements TablePrinter {

  /** events.k8s.io/v1 Events, printed as core/v1's. */
  static final class OfEventsV1 extends EventPrinter {
    @Override
    public List<Object> cells(JsonNode event) {
      ObjectNode core = event.deepCopy();
      EventVersions.toCore(core);
      return super.cells(core);
    }
  }

  private static final List<Column> COLUMNS = List.of(
      Column.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
      Column.string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
      Column.string("Reason", "This should be a short, machine understandable string that gives the"
          + " reason for the transition into the object's current status."),
      Column.string("Object", "The object that this event is about."),
      Column.string("Subobject", "If referring to a piece of an object instead of an entire object,"
          + " this string should contain a valid JSON/Go field access statement.").wide(),
      Column.string("Source", "The component reporting this event. Should be a short machine"
          + " understandable string.").wide(),
      Column.string("Message", "A human-readable description of the status of this operation."),
      Column.string("First Seen", "The time at which the event was first recorded."
          + " (Time of server receipt is in TypeMeta.)").wide(),
      Column.string("Count", "The number of times this event has occurred.").wide(),
      Column.NAME.wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode event) {
    // events.k8s.io-style events carry eventTime and series instead of timestamps and count
    Instant first = Cells.instant(event.path("firstTimestamp"));
    TimedCell firstSeen = TimedCell.since(first != null ? first : Cells.instant(event.path("eventTime")));
    Instant last = Cells.instant(event.path("lastTimestamp"));
    TimedCell lastSeen = last != null ? TimedCell.since(last) : firstSeen;
    long count = number(event, "count");
    JsonNode series = event.path("series");
    if (series.isObject()) {
      lastSeen = Cells.since(series.path("lastObservedTime"));
      count = number(series, "count");
    } else if (count == 0) {
      count = 1;
    }

    JsonNode involved = event.path("involvedObject");
    String kind = text(involved, "kind").toLowerCase();
    String target = text(involved, "name").isEmpty() ? kind : kind + "/" + text(involved, "name");

    return List.of(lastSeen, text(event, "type"), text(event, "reason"), target,
        text(involved, "fieldPath"), source(event), text(event, "message").strip(), firstSeen, count,
        Cells.name(event));
  }

  /** "component, host", falling back to reportingComponent and reportingInstance. */
  private static String source(JsonNode event) {
    String component = text(event.path("source"), "component", text(event, "reportingComponent"));
    String instance = text(event.path("source"), "host", text(event, "reportingInstance"));
    return instance.isEmpty() ? component : component + ", " + instance;
  }
}
