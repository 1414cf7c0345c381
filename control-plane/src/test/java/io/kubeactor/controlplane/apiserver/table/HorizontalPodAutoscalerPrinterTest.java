package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HorizontalPodAutoscalerPrinterTest {

  private final HorizontalPodAutoscalerPrinter printer = new HorizontalPodAutoscalerPrinter();

  @Test
  void v2UtilizationWithCurrentValue() {
    assertThat(printer.cells(yaml("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, creationTimestamp: "2025-01-01T11:00:00Z"}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 10
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        status:
          currentReplicas: 3
          desiredReplicas: 3
          currentMetrics:
          - type: Resource
            resource: {name: cpu, current: {averageUtilization: 10, averageValue: 12m}}
        """), NOW)).containsExactly("web", "Deployment/web", "cpu: 10%/50%", "2", 10L, 3L, "60m");
  }

  @Test
  void metricNotYetMeasuredIsUnknown() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          maxReplicas: 5
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        """), NOW)).containsExactly("web", "Deployment/web", "cpu: <unknown>/50%", "1", 5L, 0L, "<unknown>");
  }

  @Test
  void v1TargetCpuPercentage() {
    assertThat(printer.cells(yaml("""
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: php}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php-apache}
          minReplicas: 1
          maxReplicas: 10
          targetCPUUtilizationPercentage: 50
        status: {currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 0}
        """), NOW).get(2)).isEqualTo("cpu: 0%/50%");
  }

  @Test
  void withoutMetricsTheDefaultEightyPercentCpuTargetShows() {
    assertThat(printer.cells(yaml("""
        metadata: {name: php}
        spec: {scaleTargetRef: {kind: Deployment, name: php}, maxReplicas: 3}
        """), NOW).get(2)).isEqualTo("cpu: <unknown>/80%");
  }

  @Test
  void valueMetricsAndMoreThanTwo() {
    assertThat(printer.cells(yaml("""
        metadata: {name: q}
        spec:
          scaleTargetRef: {kind: Deployment, name: q}
          maxReplicas: 3
          metrics:
          - type: Resource
            resource: {name: memory, target: {type: AverageValue, averageValue: 512Mi}}
          - type: Pods
            pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: "1000m"}}
          - type: External
            external: {metric: {name: queue}, target: {type: Value, value: "30"}}
        status:
          currentMetrics:
          - type: Resource
            resource: {name: memory, current: {averageValue: 0.25Gi}}
          - type: Pods
            pods: {metric: {name: qps}, current: {averageValue: 1500m}}
        """), NOW).get(2)).isEqualTo("memory: 256Mi/512Mi, 1500m/1 + 1 more...");
  }

  @Test
  void objectMetricByAverageValue() {
    assertThat(printer.cells(yaml("""
        metadata: {name: q}
        spec:
          scaleTargetRef: {kind: Deployment, name: q}
          maxReplicas: 3
          metrics:
          - type: Object
            object:
              describedObject: {kind: Service, name: web}
              metric: {name: requests}
              target: {type: AverageValue, averageValue: 2k}
        """), NOW).get(2)).isEqualTo("<unknown>/2k (avg)");
  }
}
