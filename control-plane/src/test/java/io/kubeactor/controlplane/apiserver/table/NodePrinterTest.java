package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodePrinterTest {

  private final NodePrinter printer = new NodePrinter();

  @Test
  void readyControlPlaneNodeWithWideColumns() {
    assertThat(printer.cells(yaml("""
        metadata:
          name: node-1
          creationTimestamp: "2024-12-29T10:00:00Z"
          labels:
            node-role.kubernetes.io/control-plane: ""
            node-role.kubernetes.io/worker: ""
            kubernetes.io/hostname: node-1
        status:
          conditions:
          - {type: MemoryPressure, status: "False"}
          - {type: Ready, status: "True"}
          addresses:
          - {type: Hostname, address: node-1}
          - {type: InternalIP, address: 172.18.0.2}
          nodeInfo:
            kubeletVersion: v1.32.0
            osImage: Debian GNU/Linux 12 (bookworm)
            kernelVersion: 6.8.0-45-generic
            containerRuntimeVersion: containerd://1.7.18
        """), NOW)).containsExactly("node-1", "Ready", "control-plane,worker", "3d2h", "v1.32.0",
        "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0-45-generic", "containerd://1.7.18");
  }

  @Test
  void notReadyAndCordoned() {
    assertThat(printer.cells(yaml("""
        metadata: {name: node-2, labels: {kubernetes.io/role: gpu}}
        spec: {unschedulable: true}
        status:
          conditions: [{type: Ready, status: "Unknown"}]
        """), NOW)).containsExactly("node-2", "NotReady,SchedulingDisabled", "gpu", "<unknown>", "",
        "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>");
  }

  @Test
  void readyAndCordoned() {
    assertThat(printer.cells(yaml("""
        metadata: {name: node-4}
        spec: {unschedulable: true}
        status:
          conditions: [{type: Ready, status: "True"}]
        """), NOW).get(1)).isEqualTo("Ready,SchedulingDisabled");
  }

  @Test
  void withoutReadyConditionStatusIsUnknown() {
    assertThat(printer.cells(yaml("""
        metadata: {name: node-3}
        status:
          addresses: [{type: ExternalIP, address: 203.0.113.9}]
        """), NOW).subList(1, 3)).containsExactly("Unknown", "<none>");
  }
}
