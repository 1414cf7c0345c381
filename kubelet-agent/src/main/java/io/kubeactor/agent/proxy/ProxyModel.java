package io.kubeactor.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the proxy programs, read from the Services, EndpointSlices and Nodes the control plane
 * relays (kube-proxy's ServicePortMap and EndpointsMap): each service port with its endpoints, and
 * the nodes that live in this network namespace. Objects that make no sense are skipped one by one:
 * one odd Service never keeps the others from being served.
 */
public record ProxyModel(Map<ServicePort, List<ServiceEndpoint>> services, List<HostedNode> hostedNodes) {

  /** A node whose address is one of this host's: its node ports and local endpoints are served here. */
  public record HostedNode(String name, String address, String podCidr) {}

  public static ProxyModel of(Collection<? extends JsonNode> services, Collection<? extends JsonNode> slices,
      Collection<? extends JsonNode> nodes, Set<String> localAddresses) {
    Map<String, List<ServiceEndpoint>> endpoints = endpointsByPort(slices);
    Map<ServicePort, List<ServiceEndpoint>> out = new TreeMap<>(
        java.util.Comparator.comparing(ServicePort::chainBase));
    for (JsonNode service : services) {
      try {
        for (ServicePort p : ports(service)) {
          out.put(p, endpoints.getOrDefault(p.namespace() + "/" + p.name() + "/" + p.protocol() + "/" + p.portName(), List.of()));
        }
      } catch (RuntimeException odd) {
        // an object the proxy cannot read is left out; the others are served
      }
    }
    List<HostedNode> hosted = new ArrayList<>();
    for (JsonNode node : nodes) {
      String address = internalIp(node);
      if (address != null && localAddresses.contains(address)) {
        hosted.add(new HostedNode(node.path("metadata").path("name").asText(), address, node.path("spec").path("podCIDR").asText("")));
      }
    }
    hosted.sort(java.util.Comparator.comparing(HostedNode::name));
    return new ProxyModel(out, List.copyOf(hosted));
  }

  /** A node's InternalIP, or null. */
  public static String internalIp(JsonNode node) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals("InternalIP")) return a.path("address").asText();
    }
    return null;
  }

  /** The ports a Service asks to be proxied: none for headless and ExternalName Services. */
  static List<ServicePort> ports(JsonNode service) {
    JsonNode spec = service.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    String clusterIp = spec.path("clusterIP").asText("");
    if (type.equals("ExternalName") || clusterIp.isEmpty() || clusterIp.equals("None")) return List.of();
    String ns = service.path("metadata").path("namespace").asText();
    String name = service.path("metadata").path("name").asText();
    List<String> externalIps = texts(spec.path("externalIPs"));
    List<String> lbIps = new ArrayList<>();
    if (type.equals("LoadBalancer")) {
      for (JsonNode ingress : service.path("status").path("loadBalancer").path("ingress")) {
        String ip = ingress.path("ip").asText("");
        // ipMode Proxy: the load balancer delivers to the node, not to the VIP
        if (!ip.isEmpty() && !ingress.path("ipMode").asText("VIP").equals("Proxy")) lbIps.add(ip);
      }
    }
    int affinity = spec.path("sessionAffinity").asText("None").equals("ClientIP")
        ? spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt(10800) : 0;
    boolean externalLocal = spec.path("externalTrafficPolicy").asText("Cluster").equals("Local");
    boolean internalLocal = spec.path("internalTrafficPolicy").asText("Cluster").equals("Local");
    List<ServicePort> out = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      int port = p.path("port").asInt();
      if (port <= 0) continue;
      String protocol = p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
      int nodePort = type.equals("NodePort") || type.equals("LoadBalancer") ? p.path("nodePort").asInt(0) : 0;
      out.add(new ServicePort(ns, name, p.path("name").asText(""), protocol, clusterIp, port, nodePort, externalIps,
          List.copyOf(lbIps), affinity, externalLocal, internalLocal));
    }
    return out;
  }

  /** Endpoints by "namespace/service/protocol/portName", from every IPv4 slice of each Service. */
  static Map<String, List<ServiceEndpoint>> endpointsByPort(Collection<? extends JsonNode> slices) {
    Map<String, Map<String, ServiceEndpoint>> byPort = new LinkedHashMap<>();
    for (JsonNode slice : slices) {
      String service = slice.path("metadata").path("labels").path("kubernetes.io/service-name").asText("");
      if (service.isEmpty() || !slice.path("addressType").asText("IPv4").equals("IPv4")) continue;
      String ns = slice.path("metadata").path("namespace").asText();
      for (JsonNode port : slice.path("ports")) {
        int number = port.path("port").asInt(0);
        if (number <= 0) continue;
        String key = ns + "/" + service + "/" + port.path("protocol").asText("TCP").toLowerCase(Locale.ROOT) + "/"
            + port.path("name").asText("");
        Map<String, ServiceEndpoint> eps = byPort.computeIfAbsent(key, k -> new TreeMap<>());
        for (JsonNode ep : slice.path("endpoints")) {
          JsonNode addresses = ep.path("addresses");
          if (addresses.isEmpty()) continue;
          String ip = addresses.get(0).asText();
          JsonNode c = ep.path("conditions");
          // unset conditions mean ready and serving (EndpointConditions' documented defaults)
          boolean ready = !c.has("ready") || c.path("ready").isNull() || c.path("ready").asBoolean();
          boolean serving = c.has("serving") && !c.path("serving").isNull() ? c.path("serving").asBoolean() : ready;
          boolean terminating = c.path("terminating").asBoolean(false);
          eps.put(ip + ":" + number, new ServiceEndpoint(ip, number, ep.path("nodeName").asText(""), ready, serving, terminating));
        }
      }
    }
    Map<String, List<ServiceEndpoint>> out = new LinkedHashMap<>();
    byPort.forEach((k, v) -> out.put(k, List.copyOf(v.values())));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) if (!n.asText("").isEmpty()) out.add(n.asText());
    return List.copyOf(out);
  }
}
