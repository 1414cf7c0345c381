package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.Syntax;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Endpoints (ValidateEndpoints in pkg/apis/core/validation) and EndpointSlices
 * (pkg/apis/discovery/validation), with the IP checks they share (ValidateNonSpecialIP).
 */
public final class EndpointsValidation {
  private EndpointsValidation() {}

  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
  private static final List<String> ADDRESS_TYPES_ON_UPDATE = List.of("FQDN", "IP", "IPv4", "IPv6");
  private static final int MAX_ENDPOINTS = 1000;
  private static final int MAX_ADDRESSES = 100;
  private static final int MAX_PORTS = 100;
  private static final int MAX_TOPOLOGY_LABELS = 16;
  static final String INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

  // ---- core/v1 Endpoints ----

  public static void endpoints(JsonNode endpoints, FieldErrors errors) {
    FieldPath subsetsPath = FieldPath.root("subsets");
    List<ObjectNode> subsets = Nodes.objects(endpoints, "subsets");
    for (int i = 0; i < subsets.size(); i++) {
      ObjectNode subset = subsets.get(i);
      FieldPath path = subsetsPath.index(i);
      // a headless Service's endpoints may have no ports, but every subset has addresses
      if (Nodes.size(subset, "addresses") == 0 && Nodes.size(subset, "notReadyAddresses") == 0) {
        errors.required(path, "must specify `addresses` or `notReadyAddresses`");
      }
      List<ObjectNode> ready = Nodes.objects(subset, "addresses");
      for (int a = 0; a < ready.size(); a++) address(ready.get(a), path.child("addresses").index(a), errors);
      List<ObjectNode> notReady = Nodes.objects(subset, "notReadyAddresses");
      for (int a = 0; a < notReady.size(); a++) address(notReady.get(a), path.child("notReadyAddresses").index(a), errors);
      List<ObjectNode> ports = Nodes.objects(subset, "ports");
      for (int p = 0; p < ports.size(); p++) endpointPort(ports.get(p), ports.size() > 1, path.child("ports").index(p), errors);
    }
  }

  private static void address(ObjectNode address, FieldPath path, FieldErrors errors) {
    String ip = text(address, "ip");
    if (!IpAddresses.isValid(ip)) errors.invalid(path.child("ip"), ip, INVALID_IP);
    String hostname = text(address, "hostname");
    if (!hostname.isEmpty()) errors.invalidEach(path.child("hostname"), hostname, Syntax.dns1123Label(hostname));
    if (Nodes.has(address, "nodeName")) {
      String nodeName = text(address, "nodeName");
      errors.invalidEach(path.child("nodeName"), nodeName, Syntax.dns1123Subdomain(nodeName));
    }
    nonSpecialIP(ip, path.child("ip"), errors);
  }

  private static void endpointPort(ObjectNode port, boolean requireName, FieldPath path, FieldErrors errors) {
    String name = text(port, "name");
    if (requireName && name.isEmpty()) errors.required(path.child("name"), "");
    else if (!name.isEmpty()) errors.invalidEach(path.child("name"), name, Syntax.dns1123Label(name));
    long number = Nodes.number(port, "port");
    errors.invalidEach(path.child("port"), number, Syntax.portNumber(number));
    protocol(port, path, errors);
    if (Nodes.has(port, "appProtocol")) {
      String appProtocol = text(port, "appProtocol");
      errors.invalidEach(path.child("appProtocol"), appProtocol, Syntax.qualifiedName(appProtocol));
    }
  }

  /**
   * ValidateNonSpecialIP: Endpoints and EndpointSlices may not point at the unspecified address, at
   * loopback, or at link-local unicast or multicast addresses.
   */
  static void nonSpecialIP(String text, FieldPath path, FieldErrors errors) {
    Optional<InetAddress> parsed = Optional.ofNullable(IpAddresses.parse(text));
    if (parsed.isEmpty()) {
      errors.invalid(path, text, "must be a valid IP address");
      return;
    }
    InetAddress ip = parsed.get();
    if (ip.isAnyLocalAddress()) errors.invalid(path, text, "may not be unspecified (" + text + ")");
    if (ip.isLoopbackAddress()) errors.invalid(path, text, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
    if (ip.isLinkLocalAddress()) errors.invalid(path, text, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
    if (ip.isMCLinkLocal()) {
      errors.invalid(path, text, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
    }
  }

  // ---- discovery.k8s.io/v1 EndpointSlice ----

  public static void endpointSlice(JsonNode slice, JsonNode old, FieldErrors errors) {
    String addressType = text(slice, "addressType");
    FieldPath typePath = FieldPath.root("addressType");
    List<String> valid = old == null ? ADDRESS_TYPES : ADDRESS_TYPES_ON_UPDATE;
    if (addressType.isEmpty()) errors.required(typePath, "");
    else if (!valid.contains(addressType)) errors.notSupported(typePath, addressType, valid);
    sliceEndpoints(slice, addressType, errors);
    slicePorts(slice, errors);
    if (old != null && !addressType.equals(text(old, "addressType"))) errors.invalid(typePath, addressType, Syntax.FIELD_IMMUTABLE);
  }

  private static void sliceEndpoints(JsonNode slice, String addressType, FieldErrors errors) {
    FieldPath endpointsPath = FieldPath.root("endpoints");
    List<ObjectNode> endpoints = Nodes.objects(slice, "endpoints");
    if (endpoints.size() > MAX_ENDPOINTS) {
      errors.tooMany(endpointsPath, endpoints.size(), MAX_ENDPOINTS);
      return;
    }
    for (int i = 0; i < endpoints.size(); i++) {
      ObjectNode endpoint = endpoints.get(i);
      FieldPath path = endpointsPath.index(i);
      FieldPath addressesPath = path.child("addresses");
      List<String> addresses = MetadataValidation.strings(endpoint.get("addresses"));
      if (addresses.isEmpty()) errors.required(addressesPath, "must contain at least 1 address");
      else if (addresses.size() > MAX_ADDRESSES) errors.tooMany(addressesPath, addresses.size(), MAX_ADDRESSES);
      for (int a = 0; a < addresses.size(); a++) sliceAddress(addresses.get(a), addressType, addressesPath.index(a), errors);
      FieldPath topologyPath = path.child("deprecatedTopology");
      int topologyLabels = Nodes.size(endpoint, "deprecatedTopology");
      if (topologyLabels > MAX_TOPOLOGY_LABELS) errors.tooMany(topologyPath, topologyLabels, MAX_TOPOLOGY_LABELS);
      MetadataValidation.labels(endpoint.get("deprecatedTopology"), topologyPath, errors);
      if (Nodes.has(endpoint, "hostname")) {
        String hostname = text(endpoint, "hostname");
        errors.invalidEach(path.child("hostname"), hostname, Syntax.dns1123Label(hostname));
      }
    }
  }

  private static void sliceAddress(String address, String addressType, FieldPath path, FieldErrors errors) {
    switch (addressType) {
      case "IP" -> {
        if (!IpAddresses.isValid(address)) errors.invalid(path, address, INVALID_IP);
      }
      case "IPv4" -> {
        if (!IpAddresses.isIPv4(address)) errors.invalid(path, address, "must be a valid IPv4 address");
        nonSpecialIP(address, path, errors);
      }
      case "IPv6" -> {
        if (!IpAddresses.isIPv6(address)) errors.invalid(path, address, "must be a valid IPv6 address");
        nonSpecialIP(address, path, errors);
      }
      case "FQDN" -> fullyQualifiedDomainName(address, path, errors);
      default -> { }
    }
  }

  /** IsFullyQualifiedDomainName: a DNS subdomain of at least two labels (a trailing dot allowed). */
  private static void fullyQualifiedDomainName(String name, FieldPath path, FieldErrors errors) {
    if (name.isEmpty()) {
      errors.required(path, "");
      return;
    }
    if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
    List<String> subdomain = Syntax.dns1123Subdomain(name);
    if (!subdomain.isEmpty()) {
      errors.invalid(path, name, String.join(",", subdomain));
      return;
    }
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2) {
      errors.invalid(path, name, "should be a domain with at least two segments separated by dots");
      return;
    }
    for (String label : labels) {
      List<String> problems = Syntax.dns1123Label(label);
      if (!problems.isEmpty()) {
        errors.invalid(path, label, String.join(",", problems));
        return;
      }
    }
  }

  private static void slicePorts(JsonNode slice, FieldErrors errors) {
    FieldPath portsPath = FieldPath.root("ports");
    List<ObjectNode> ports = Nodes.objects(slice, "ports");
    if (ports.size() > MAX_PORTS) {
      errors.tooMany(portsPath, ports.size(), MAX_PORTS);
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode port = ports.get(i);
      FieldPath path = portsPath.index(i);
      String name = text(port, "name");
      if (!name.isEmpty()) errors.invalidEach(path.child("name"), name, Syntax.dns1123Label(name));
      if (!names.add(name)) errors.duplicate(path.child("name"), name);
      protocol(port, path, errors);
      if (Nodes.has(port, "appProtocol")) {
        String appProtocol = text(port, "appProtocol");
        errors.invalidEach(path.child("appProtocol"), appProtocol, Syntax.qualifiedName(appProtocol));
      }
    }
  }

  private static void protocol(ObjectNode port, FieldPath path, FieldErrors errors) {
    String protocol = text(port, "protocol");
    if (protocol.isEmpty()) errors.required(path.child("protocol"), "");
    else if (!PROTOCOLS.contains(protocol)) errors.notSupported(path.child("protocol"), protocol, PROTOCOLS);
  }
}
