package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** ControllerRevisions: NAME CONTROLLER REVISION AGE (printControllerRevision). */
final class ControllerRevisionPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Controller", "Controller of the object"),
      Column.string("Revision", "Revision indicates the revision of the state represented by Data."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode revision) {
    return List.of(Cells.name(revision), controller(revision),
        Cells.number(revision, "revision"), Cells.age(revision));
  }

  /** The controller owner as "kind.group/name" in lower case ("daemonset.apps/fluentd"). */
  private static String controller(JsonNode revision) {
    for (JsonNode owner : revision.path("metadata").path("ownerReferences")) {
      if (!owner.path("controller").asBoolean(false)) continue;
      String apiVersion = text(owner, "apiVersion");
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String kind = text(owner, "kind");
      if (group.isEmpty() && kind.isEmpty()) return text(owner, "name");
      String groupKind = group.isEmpty() ? kind : kind + "." + group;
      return groupKind.toLowerCase() + "/" + text(owner, "name");
    }
    return "<none>";
  }
}
