package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeploymentPrinterTest {

  private final DeploymentPrinter printer = new DeploymentPrinter();

  @Test
  void readyOfDesiredAndIntegerCounts() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web, creationTimestamp: "2025-01-01T11:54:30Z"}
        spec:
          replicas: 3
          selector:
            matchLabels: {app: web, tier: front}
            matchExpressions:
            - {key: env, operator: In, values: [prod, canary]}
            - {key: legacy, operator: DoesNotExist}
          template:
            metadata: {labels: {app: web, tier: front, env: prod}}
            spec:
              containers:
              - {name: nginx, image: "nginx:1.27"}
              - {name: sidecar, image: "busybox:1.36"}
        status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2}
        """), NOW)).containsExactly("web", "2/3", 3L, 2L, "5m30s", "nginx,sidecar", "nginx:1.27,busybox:1.36",
        "app=web,env in (canary,prod),!legacy,tier=front");
  }

  @Test
  void newDeploymentWithoutStatus() {
    assertThat(printer.cells(yaml("""
        metadata: {name: api}
        spec:
          selector: {matchLabels: {app: api}}
          template: {spec: {containers: [{name: api, image: api}]}}
        """), NOW).subList(0, 5)).containsExactly("api", "0/1", 0L, 0L, "<unknown>");
  }
}
