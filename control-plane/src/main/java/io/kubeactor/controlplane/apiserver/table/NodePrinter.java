package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Nodes: NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
 * CONTAINER-RUNTIME (printNode).
 */
final class NodePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Status", "The status of the node"),
      Column.string("Roles", "The roles of the node"),
      Column.AGE,
      Column.string("Version", "Kubelet Version reported by the node."),
      Column.string("Internal-IP", "List of addresses reachable to the node.").wide(),
      Column.string("External-IP", "List of addresses reachable to the node.").wide(),
      Column.string("OS-Image", "OS Image reported by the node from /etc/os-release"
          + " (e.g. Debian GNU/Linux 7 (wheezy)).").wide(),
      Column.string("Kernel-Version", "Kernel Version reported by the node from 'uname -r'"
          + " (e.g. 3.16.0-0.bpo.4-amd64).").wide(),
      Column.string("Container-Runtime", "ContainerRuntime Version reported by the node through"
          + " runtime remote API (e.g. containerd://1.4.2).").wide());

  private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode node) {
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(Cells.name(node), status(node), roles(node), Cells.age(node),
        text(info, "kubeletVersion"),
        address(node, "InternalIP"), address(node, "ExternalIP"),
        text(info, "osImage", "<unknown>"), text(info, "kernelVersion", "<unknown>"),
        text(info, "containerRuntimeVersion", "<unknown>"));
  }

  /** Ready, NotReady or Unknown (only the Ready condition counts), then SchedulingDisabled. */
  private static String status(JsonNode node) {
    List<String> status = new ArrayList<>();
    JsonNode readyCondition = null;
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (text(condition, "type").equals("Ready")) readyCondition = condition; // the last one wins
    }
    if (readyCondition == null) status.add("Unknown");
    else status.add(text(readyCondition, "status").equals("True") ? "Ready" : "NotReady");
    if (node.path("spec").path("unschedulable").asBoolean(false)) status.add("SchedulingDisabled");
    return String.join(",", status);
  }

  /** From node-role.kubernetes.io/ROLE label keys and the kubernetes.io/role label value, sorted. */
  private static String roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata").path("labels").fields().forEachRemaining(label -> {
      String key = label.getKey();
      if (key.startsWith(ROLE_LABEL_PREFIX)) {
        String role = key.substring(ROLE_LABEL_PREFIX.length());
        if (!role.isEmpty()) roles.add(role);
      } else if (key.equals(ROLE_LABEL) && !label.getValue().asText().isEmpty()) {
        roles.add(label.getValue().asText());
      }
    });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  /** The first address of that type, or "<none>". */
  private static String address(JsonNode node, String type) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if (text(address, "type").equals(type)) return text(address, "address");
    }
    return "<none>";
  }
}
