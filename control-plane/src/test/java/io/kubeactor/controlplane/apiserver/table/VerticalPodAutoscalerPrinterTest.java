package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** kubectl get vpa: the CRD's NAME MODE CPU MEM PROVIDED AGE, blank where the JSONPath finds nothing. */
class VerticalPodAutoscalerPrinterTest {

  private final VerticalPodAutoscalerPrinter printer = new VerticalPodAutoscalerPrinter();

  @Test
  void columnsAreTheCrdsPrinterColumns() {
    assertThat(printer.columns()).extracting(Column::name).containsExactly("Name", "Mode", "CPU", "Mem", "Provided", "Age");
  }

  @Test
  void withARecommendation() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web, creationTimestamp: "2025-01-01T11:00:00Z"}
        spec: {targetRef: {kind: Deployment, name: web}, updatePolicy: {updateMode: Recreate}}
        status:
          conditions: [{type: RecommendationProvided, status: "True"}]
          recommendation:
            containerRecommendations:
            - {containerName: c, target: {cpu: 587m, memory: 262144k}}
        """), NOW)).containsExactly("web", "Recreate", "587m", "262144k", "True", "60m");
  }

  @Test
  void withoutStatusOrModeTheCellsAreBlank() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web, creationTimestamp: "2025-01-01T11:59:00Z"}
        spec: {targetRef: {kind: Deployment, name: web}}
        """), NOW)).containsExactly("web", null, null, null, null, "60s");
  }
}
