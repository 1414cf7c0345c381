package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventPrinterTest {

  private final EventPrinter printer = new EventPrinter();

  @Test
  void coreEventWithCountAndTimestamps() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web-7d4b9.181a2b3c4d5e6f70, namespace: default}
        involvedObject: {kind: Pod, name: web-7d4b9, namespace: default, fieldPath: "spec.containers{nginx}"}
        reason: BackOff
        message: "Back-off restarting failed container nginx in pod web-7d4b9_default\\n"
        type: Warning
        source: {component: kubelet, host: node-1}
        firstTimestamp: "2025-01-01T11:00:00Z"
        lastTimestamp: "2025-01-01T11:58:00Z"
        count: 14
        """), NOW)).containsExactly("2m", "Warning", "BackOff", "pod/web-7d4b9", "spec.containers{nginx}",
        "kubelet, node-1", "Back-off restarting failed container nginx in pod web-7d4b9_default", "60m", 14L,
        "web-7d4b9.181a2b3c4d5e6f70");
  }

  @Test
  void newStyleEventUsesEventTimeSeriesAndReportingController() {
    assertThat(printer.cells(yaml("""
        metadata: {name: ev2}
        involvedObject: {kind: Node, name: node-1}
        reason: Starting
        message: Starting kubelet.
        type: Normal
        eventTime: "2025-01-01T11:59:00.123456Z"
        reportingComponent: kubelet
        reportingInstance: node-1
        series: {count: 5, lastObservedTime: "2025-01-01T11:59:50.000000Z"}
        """), NOW)).containsExactly("10s", "Normal", "Starting", "node/node-1", "", "kubelet, node-1",
        "Starting kubelet.", "59s", 5L, "ev2"); // 59.88 s truncates, as in Go
  }

  @Test
  void singletonEventWithoutTimesOrName() {
    assertThat(printer.cells(yaml("""
        metadata: {name: ev3}
        involvedObject: {kind: Namespace}
        reason: Created
        source: {component: controller}
        """), NOW)).containsExactly("<unknown>", "", "Created", "namespace", "", "controller", "", "<unknown>",
        1L, "ev3");
  }
}
