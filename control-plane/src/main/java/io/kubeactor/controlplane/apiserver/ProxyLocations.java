package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.api.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Where pods/proxy, services/proxy and nodes/proxy send a request, and the checks made before:
 * kube-apiserver's ResourceLocation of pods (pkg/registry/core/pod/strategy.go), services
 * (pkg/registry/core/service/storage) and nodes (pkg/registry/core/node/strategy.go), with their words.
 * The name in the URL is {@code name}, {@code name:port} or {@code scheme:name:port}.
 */
final class ProxyLocations {
  private ProxyLocations() {}

  /** Where a proxied request goes; {@code agentOf}: the node whose agent it is, when it is one (its TLS is the agents'). */
  record Target(String scheme, String host, int port, Optional<String> agentOf) {
    String authority() {
      String h = host.contains(":") ? "[" + host + "]" : host;
      return port < 0 ? h : h + ":" + port;
    }
  }

  /** utilnet.SplitSchemeNamePort: the parts of "[scheme:]name[:port]"; empty when it is not of that form. */
  record SchemeNamePort(String scheme, String name, String port) {
    static Optional<SchemeNamePort> parse(String id) {
      String[] parts = id.split(":", -1);
      SchemeNamePort p = switch (parts.length) {
        case 1 -> new SchemeNamePort("", parts[0], "");
        case 2 -> new SchemeNamePort("", parts[0], parts[1]);
        case 3 -> new SchemeNamePort(parts[0], parts[1], parts[2]);
        default -> null;
      };
      if (p == null || p.name.isEmpty() || !Set.of("", "http", "https").contains(p.scheme)) return Optional.empty();
      return Optional.of(p);
    }

    String schemeOrHttp() {
      return scheme.isEmpty() ? "http" : scheme;
    }
  }

  /**
   * A pod's IP and the port asked for, else its first container's first port; only to addresses a pod
   * may have (global unicast; loopback too when allowed, for tests on one machine).
   */
  static Target pod(JsonNode pod, SchemeNamePort id, boolean allowLoopback) {
    String port = id.port();
    if (port.isEmpty()) {
      for (JsonNode c : pod.path("spec").path("containers")) {
        if (c.path("ports").size() > 0) {
          port = c.path("ports").get(0).path("containerPort").asText();
          break;
        }
      }
    }
    String ip = pod.path("status").path("podIP").asText("");
    if (ip.isEmpty() && pod.path("status").path("podIPs").size() > 0) {
      ip = pod.path("status").path("podIPs").get(0).path("ip").asText("");
    }
    if (!proxyable(ip, allowLoopback)) throw ApiException.badRequest("address not allowed");
    return new Target(id.schemeOrHttp(), ip, port.isEmpty() ? -1 : parsePort(port), Optional.empty());
  }

  /**
   * A ready endpoint of the Service for the port asked for: a port number is the Service port of that
   * number (whose name the endpoints carry), a name is taken as the port's name. One is chosen at random
   * among the ready endpoints of the EndpointSlices that have that port.
   */
  static Target service(JsonNode service, List<JsonNode> endpointSlices, String id, SchemeNamePort p,
      RandomGenerator random) {
    String svcName = p.name();
    String portName = p.port();
    if (!portName.isEmpty() && portName.chars().allMatch(Character::isDigit)) {
      long number = Long.parseLong(portName);
      Optional<String> named = Optional.empty();
      for (JsonNode sp : service.path("spec").path("ports")) {
        if (sp.path("port").asLong() == number) {
          named = Optional.of(sp.path("name").asText(""));
          break;
        }
      }
      portName = named.orElseThrow(() -> new ApiException(503, "ServiceUnavailable",
          "no service port " + number + " found for service \"" + svcName + "\"", null, null, null, null));
    }
    record Candidate(String ip, int port) {}
    List<Candidate> candidates = new ArrayList<>();
    boolean anyReady = false;
    for (JsonNode slice : endpointSlices) {
      List<String> ready = new ArrayList<>();
      for (JsonNode e : slice.path("endpoints")) {
        // ready unset counts as ready (the EndpointSlice API's rule)
        if (e.path("conditions").path("ready").asBoolean(true) && e.path("addresses").size() > 0) {
          ready.add(e.path("addresses").get(0).asText());
        }
      }
      anyReady |= !ready.isEmpty();
      for (JsonNode sp : slice.path("ports")) {
        if (sp.path("name").asText("").equals(portName) && sp.hasNonNull("port")) {
          for (String ip : ready) candidates.add(new Candidate(ip, sp.path("port").asInt()));
        }
      }
    }
    if (candidates.isEmpty()) {
      // upstream names the Service when it has no endpoints at all, and the request when none has the port
      throw new ApiException(503, "ServiceUnavailable", "no endpoints available for service \""
          + (anyReady ? id : svcName) + "\"", null, null, null, null);
    }
    Candidate c = candidates.get(random.nextInt(candidates.size()));
    return new Target(p.schemeOrHttp(), c.ip(), c.port(), Optional.empty());
  }

  /**
   * A node's agent (the kubelet's place: its streaming server, over the agents' TLS) when no port or the
   * agent's port is asked for; otherwise that port on the agent's address, as kube-apiserver proxies to
   * other ports of the node's address.
   */
  static Target node(String node, AgentEndpoint agent, SchemeNamePort p, boolean allowLoopback) {
    if (p.port().isEmpty() || p.port().equals(Integer.toString(agent.port()))) {
      // where the agent itself said it listens (loopback beside the API server, as the launcher runs
      // it), as kube-apiserver reaches its kubelets wherever they are: no address a client chose
      return new Target("https", agent.host(), agent.port(), Optional.of(node));
    }
    if (!proxyable(agent.host(), allowLoopback)) throw ApiException.badRequest("address not allowed");
    return new Target(p.schemeOrHttp(), agent.host(), parsePort(p.port()), Optional.empty());
  }

  private static int parsePort(String port) {
    try {
      int n = Integer.parseInt(port);
      if (n > 0 && n <= 65535) return n;
    } catch (NumberFormatException e) {
      // below
    }
    // what Go's dialer says of such an address
    throw new ApiException(503, "ServiceUnavailable", "error trying to reach service: dial tcp: address " + port
        + ": invalid port", null, null, null, null);
  }

  /** An address a pod or node may have: an IP literal, global unicast (not loopback, link-local, multicast). */
  static boolean proxyable(String ip, boolean allowLoopback) {
    if (ip.isEmpty() || !(ip.chars().allMatch(c -> Character.isDigit(c) || c == '.') || ip.contains(":"))) return false;
    InetAddress a;
    try {
      a = InetAddress.getByName(ip);
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
    if (a.isLoopbackAddress()) return allowLoopback;
    return !(a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()
        || ip.equals("255.255.255.255"));
  }
}
