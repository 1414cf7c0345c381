package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.list;
import static io.kubeactor.controlplane.apiserver.table.Cells.number;
import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Endpoints: NAME ENDPOINTS AGE (printEndpoints). */
final class EndpointsPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into"
          + " subsets according to the IPs they share. A single address with multiple ports, some of which are ready"
          + " and some of which are not (because they come from different containers) will result in the address being"
          + " displayed in different subsets for the different ports. No address will appear in both Addresses and"
          + " NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
      Column.AGE);

  private static final int MAX_SHOWN = 3;

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode endpoints) {
    return List.of(Cells.name(endpoints), endpoints(endpoints), Cells.age(endpoints));
  }

  /** "ip:port" for every address and port (bare IPs without ports): three, then " + N more...". */
  private static String endpoints(JsonNode endpoints) {
    List<JsonNode> subsets = list(endpoints, "subsets");
    if (subsets.isEmpty()) return "<none>";
    List<String> shown = new ArrayList<>();
    boolean more = false;
    int count = 0;
    for (JsonNode subset : subsets) {
      List<JsonNode> addresses = list(subset, "addresses");
      List<JsonNode> ports = list(subset, "ports");
      if (ports.isEmpty()) {
        count += addresses.size(); // headless services may have no ports
        for (JsonNode address : addresses) {
          if (shown.size() == MAX_SHOWN) {
            more = true;
            break;
          }
          shown.add(text(address, "ip"));
        }
        continue;
      }
      for (JsonNode port : ports) {
        count += addresses.size();
        for (JsonNode address : addresses) {
          if (shown.size() == MAX_SHOWN) {
            more = true;
            break;
          }
          shown.add(hostPort(text(address, "ip"), number(port, "port")));
        }
      }
    }
    String joined = String.join(",", shown);
    return more ? joined + " + " + (count - MAX_SHOWN) + " more..." : joined;
  }

  /** Go's net.JoinHostPort: IPv6 addresses in brackets. */
  private static String hostPort(String ip, long port) {
    return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
  }
}
