package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.list;
import static io.kubeactor.controlplane.apiserver.table.Cells.number;
import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR (printService). */
final class ServicePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Type", "type determines how the Service is exposed. Defaults to ClusterIP."),
      Column.string("Cluster-IP", "clusterIP is the IP address of the service and is usually"
          + " assigned randomly."),
      Column.string("External-IP", "externalIPs is a list of IP addresses for which nodes in the"
          + " cluster will also accept traffic for this service."),
      Column.string("Port(s)", "The list of ports that are exposed by this service."),
      Column.AGE,
      Column.string("Selector", "Route service traffic to pods with label keys and values matching"
          + " this selector.").wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode service) {
    JsonNode spec = service.path("spec");
    String ports = ports(spec);
    return List.of(Cells.name(service), type(spec), clusterIP(spec), externalIP(service),
        ports.isEmpty() ? "<none>" : ports, Cells.age(service), Cells.labels(spec.path("selector")));
  }

  /** spec.type as the API server defaults it. */
  private static String type(JsonNode spec) {
    return text(spec, "type", "ClusterIP");
  }

  /** clusterIP, else clusterIPs[0] (the v1 to internal conversion fills one from the other). */
  private static String clusterIP(JsonNode spec) {
    String ip = text(spec, "clusterIP");
    if (ip.isEmpty()) ip = spec.path("clusterIPs").path(0).asText("");
    return ip.isEmpty() ? "<none>" : ip;
  }

  private static String externalIP(JsonNode service) {
    JsonNode spec = service.path("spec");
    List<String> externalIPs = list(spec, "externalIPs").stream().map(JsonNode::asText).collect(Collectors.toList());
    return switch (type(spec)) {
      case "ClusterIP", "NodePort" -> externalIPs.isEmpty() ? "<none>" : String.join(",", externalIPs);
      case "LoadBalancer" -> {
        String ingress = Cells.loadBalancerIngress(service.path("status").path("loadBalancer"));
        List<String> all = new ArrayList<>();
        if (!ingress.isEmpty()) all.add(ingress);
        all.addAll(externalIPs);
        yield all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> text(spec, "externalName");
      default -> "<unknown>";
    };
  }

  /** "80/TCP", or "80:30080/TCP" with a node port, joined by ",". */
  private static String ports(JsonNode spec) {
    List<String> pieces = new ArrayList<>();
    for (JsonNode port : spec.path("ports")) {
      String protocol = text(port, "protocol", "TCP");
      long nodePort = number(port, "nodePort");
      pieces.add(nodePort > 0
          ? number(port, "port") + ":" + nodePort + "/" + protocol
          : number(port, "port") + "/" + protocol);
    }
    return String.join(",", pieces);
  }
}
