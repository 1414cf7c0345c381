package io.kubeactor.controlplane.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubectl get csr: printCertificateSigningRequest's columns and extractCSRStatus's condition. */
class CertificateSigningRequestPrinterTest {

  private static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final CertificateSigningRequestPrinter printer = new CertificateSigningRequestPrinter();

  @Test
  void columnsAreUpstreams() {
    assertThat(printer.columns().stream().map(Column::name)).containsExactly(
        "Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition");
  }

  @Test
  void cellsNameTheSignerRequestorDurationAndCondition() {
    List<Object> cells = printer.cells(yaml("""
        metadata: {name: node-csr-1, creationTimestamp: "2026-12-07T08:00:00Z"}
        spec: {signerName: kubernetes.io/kube-apiserver-client-kubelet, username: "system:bootstrap:abcdef",
               expirationSeconds: 86400}
        status: {conditions: [{type: Approved, status: "True"}], certificate: AAAA}
        """));
    assertThat(cells.get(0)).isEqualTo("node-csr-1");
    assertThat(cells.subList(2, 6)).containsExactly(
        "kubernetes.io/kube-apiserver-client-kubelet", "system:bootstrap:abcdef", "24h", "Approved,Issued");
    List<Object> pending = printer.cells(yaml("{metadata: {name: x}, spec: {username: jane}}"));
    assertThat(pending.subList(2, 6)).containsExactly("<none>", "jane", "<none>", "Pending");
  }

  @Test
  void deniedComesBeforeApprovedThenFailed() {
    assertThat(CertificateSigningRequestPrinter.condition(yaml("{conditions: [{type: Approved}, {type: Denied}]}")))
        .isEqualTo("Denied");
    assertThat(CertificateSigningRequestPrinter.condition(yaml("{conditions: [{type: Approved}, {type: Failed}]}")))
        .isEqualTo("Approved,Failed");
  }
}
