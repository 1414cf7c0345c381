package io.kubeactor.controlplane.controller.certificates.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.kubeactor.common.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When cleaner.go lets a request go: an hour after a decision, a day if pending. */
class CsrCleanerControllerTest {

  private static CertificateSigningRequest csr(String yaml) {
    try {
      return Json.fromTree(Json.YAML.readTree(yaml), CertificateSigningRequest.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPendingRequestGoesADayAfterItWasMade() {
    assertThat(CsrCleanerController.deadline(csr("{metadata: {name: a, creationTimestamp: '2026-12-07T08:00:00Z'}}")))
        .isEqualTo(Instant.parse("2026-12-08T08:00:00Z"));
  }

  @Test
  void aDecidedRequestGoesAnHourAfterItsDecision() {
    assertThat(CsrCleanerController.deadline(csr("""
        metadata: {name: a, creationTimestamp: '2026-12-07T08:00:00Z'}
        status: {conditions: [{type: Approved, status: 'True', lastUpdateTime: '2026-12-07T09:00:00Z'}]}
        """))).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
    assertThat(CsrCleanerController.deadline(csr("""
        metadata: {name: a, creationTimestamp: '2026-12-07T08:00:00Z'}
        status: {conditions: [{type: Denied, status: 'True', lastUpdateTime: '2026-12-07T08:30:00Z'}]}
        """))).isEqualTo(Instant.parse("2026-12-07T09:30:00Z"));
  }
}
