package io.kubeactor.controlplane.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import org.junit.jupiter.api.Test;

class HostPortsTest {

  private static ContainerPort port(String ip, String protocol, int hostPort) {
    return new ContainerPortBuilder().withContainerPort(80).withHostIP(ip).withProtocol(protocol).withHostPort(hostPort).build();
  }

  @Test
  void allAddressesConflictWithAnyAddress() {
    HostPorts used = new HostPorts();
    used.add(port("10.0.0.1", "TCP", 8080));

    assertThat(used.conflicts(port(null, null, 8080))).isTrue();
    assertThat(used.conflicts(port("0.0.0.0", "TCP", 8080))).isTrue();
    assertThat(used.conflicts(port("10.0.0.1", "TCP", 8080))).isTrue();
    assertThat(used.conflicts(port("10.0.0.2", "TCP", 8080))).isFalse();
  }

  @Test
  void aPortBoundOnAllAddressesBlocksEveryAddress() {
    HostPorts used = new HostPorts();
    used.add(port("", "", 53));

    assertThat(used.conflicts(port("10.0.0.2", "TCP", 53))).isTrue();
    assertThat(used.conflicts(port("10.0.0.2", "UDP", 53))).isFalse();
    assertThat(used.conflicts(port(null, "TCP", 54))).isFalse();
  }
}
