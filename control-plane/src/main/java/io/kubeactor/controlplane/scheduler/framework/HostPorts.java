package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Host ports in use on a node, by host IP (upstream framework.HostPortInfo). An empty IP means all
 * addresses (0.0.0.0), an empty protocol TCP.
 */
public final class HostPorts {
  private static final String ALL_ADDRESSES = "0.0.0.0";

  private record ProtocolPort(String protocol, int port) {}

  private final Map<String, Set<ProtocolPort>> byIp = new HashMap<>();

  /** The ports of a pod's containers that ask for a host port. */
  public static List<ContainerPort> wantedBy(Pod pod) {
    List<ContainerPort> ports = new ArrayList<>();
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) return ports;
    for (Container container : pod.getSpec().getContainers()) {
      if (container.getPorts() == null) continue;
      for (ContainerPort port : container.getPorts()) {
        if (port.getHostPort() != null && port.getHostPort() > 0) ports.add(port);
      }
    }
    return ports;
  }

  public HostPorts copy() {
    HostPorts copy = new HostPorts();
    byIp.forEach((ip, ports) -> copy.byIp.put(ip, new HashSet<>(ports)));
    return copy;
  }

  public void add(ContainerPort port) {
    byIp.computeIfAbsent(ip(port), k -> new HashSet<>()).add(protocolPort(port));
  }

  /** Whether the port is taken: on any address when it binds all, else on its address or all addresses. */
  public boolean conflicts(ContainerPort port) {
    ProtocolPort wanted = protocolPort(port);
    String ip = ip(port);
    if (ip.equals(ALL_ADDRESSES)) {
      return byIp.values().stream().anyMatch(ports -> ports.contains(wanted));
    }
    return byIp.getOrDefault(ALL_ADDRESSES, Set.of()).contains(wanted)
        || byIp.getOrDefault(ip, Set.of()).contains(wanted);
  }

  private static String ip(ContainerPort port) {
    return port.getHostIP() == null || port.getHostIP().isEmpty() ? ALL_ADDRESSES : port.getHostIP();
  }

  private static ProtocolPort protocolPort(ContainerPort port) {
    String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
    return new ProtocolPort(protocol, port.getHostPort());
  }
}
