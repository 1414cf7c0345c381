package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.list;
import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Ingresses: NAME CLASS HOSTS ADDRESS PORTS AGE (printIngress). */
final class IngressPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Class", "The name of the IngressClass resource that should be used for"
          + " additional configuration"),
      Column.string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
      Column.string("Address", "Address is a list containing ingress points for the load-balancer"),
      Column.string("Ports", "Ports of TLS configurations that open"),
      Column.AGE);

  private static final int MAX_HOSTS = 3;

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode ingress) {
    JsonNode spec = ingress.path("spec");
    return List.of(Cells.name(ingress), text(spec, "ingressClassName", "<none>"), hosts(spec),
        Cells.loadBalancerIngress(ingress.path("status").path("loadBalancer")),
        spec.path("tls").size() > 0 ? "80, 443" : "80", Cells.age(ingress));
  }

  /** The rules' hosts: "*" when none; past three, " + N more..." counted over all rules. */
  private static String hosts(JsonNode spec) {
    List<JsonNode> rules = list(spec, "rules");
    List<String> hosts = new ArrayList<>();
    boolean more = false;
    for (JsonNode rule : rules) {
      if (hosts.size() == MAX_HOSTS) more = true;
      if (!more && !text(rule, "host").isEmpty()) hosts.add(text(rule, "host"));
    }
    if (hosts.isEmpty()) return "*";
    String joined = String.join(",", hosts);
    return more ? joined + " + " + (rules.size() - MAX_HOSTS) + " more..." : joined;
  }
}
