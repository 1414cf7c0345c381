package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE (printEndpointSlice). */
final class EndpointSlicePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All"
          + " addresses in this slice must be the same type. This field is immutable after creation. The following"
          + " address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6"
          + " Address. * FQDN: Represents a Fully Qualified Domain Name."),
      Column.string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice. Each"
          + " port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a"
          + " port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100"
          + " ports."),
      Column.string("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may include a"
          + " maximum of 1000 endpoints."),
      Column.AGE);

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode slice) {
    List<String> ports = new ArrayList<>();
    for (JsonNode port : slice.path("ports")) {
      if (port.path("port").isNumber()) ports.add(port.path("port").asText());
      else if (port.path("name").isTextual()) ports.add(port.path("name").asText());
      else ports.add("*");
    }
    List<String> addresses = new ArrayList<>();
    for (JsonNode endpoint : slice.path("endpoints")) {
      endpoint.path("addresses").forEach(a -> addresses.add(a.asText()));
    }
    return List.of(Cells.name(slice), text(slice, "addressType"),
        Cells.listWithMore(ports, 3), Cells.listWithMore(addresses, 3), Cells.age(slice));
  }
}
