package io.kubeactor.agent.pod;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pod's hostPorts as Docker port bindings on its sandbox, as dockershim mapped them: traffic to
 * the node's address on the host port reaches the pod's port. A port with no hostIP binds the
 * node's own address rather than every address of the host, since nodes may share a host.
 */
record HostPorts(List<ExposedPort> exposed, Ports bindings) {

  static HostPorts of(Pod pod, String nodeAddress) {
    List<ExposedPort> exposed = new ArrayList<>();
    Ports bindings = new Ports();
    List<Container> containers = Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .toList();
    for (Container c : containers) {
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() == null || p.getHostPort() <= 0 || p.getContainerPort() == null) continue;
        InternetProtocol protocol = switch (p.getProtocol() == null ? "TCP" : p.getProtocol()) {
          case "UDP" -> InternetProtocol.UDP;
          case "SCTP" -> InternetProtocol.SCTP;
          default -> InternetProtocol.TCP;
        };
        ExposedPort port = new ExposedPort(p.getContainerPort(), protocol);
        String ip = p.getHostIP() == null || p.getHostIP().isEmpty() || p.getHostIP().equals("0.0.0.0") ? nodeAddress : p.getHostIP();
        exposed.add(port);
        bindings.bind(port, new Ports.Binding(ip, Integer.toString(p.getHostPort())));
      }
    }
    return new HostPorts(exposed, bindings);
  }
}
