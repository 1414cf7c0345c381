package io.kubeactor.controlplane.controller.certificates.cleaner;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.certificates.CsrController;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's csrcleaner controller (pkg/controller/certificates/cleaner/cleaner.go):
 * a request goes an hour after it was approved, denied or failed, a day after it was made if still
 * pending, and at once when a certificate it holds has expired. Instead of upstream's hourly poll,
 * each request is requeued for its own deadline. Keys are CSR names.
 */
public final class CsrCleanerController extends CsrController {

  static final Duration APPROVED_EXPIRATION = Duration.ofHours(1);
  static final Duration DENIED_EXPIRATION = Duration.ofHours(1);
  static final Duration PENDING_EXPIRATION = Duration.ofHours(24);

  public CsrCleanerController(ControllerContext context) {
    super(context);
  }

  @Override
  public String name() {
    return "certificatesigningrequest-cleaner-controller";
  }

  @Override
  protected CompletionStage<Result> handle(CertificateSigningRequest csr) {
    Instant now = context.clock().instant();
    Instant deadline = deadline(csr);
    if (deadline != null && !now.isBefore(deadline)) {
      return context.writer().delete(csr, null).thenApply(x -> Result.done());
    }
    return CompletableFuture.completedFuture(deadline == null ? Result.done()
        : Result.requeueAfter(Duration.between(now, deadline)));
  }

  /** When the request is to go: the earliest of its deadlines, null when it has none. */
  static Instant deadline(CertificateSigningRequest csr) {
    List<Instant> deadlines = new ArrayList<>();
    List<CertificateSigningRequestCondition> conditions = csr.getStatus() == null || csr.getStatus().getConditions() == null
        ? List.of() : csr.getStatus().getConditions();
    if (conditions.isEmpty()) {
      Instant created = instant(csr.getMetadata().getCreationTimestamp());
      if (created != null) deadlines.add(created.plus(PENDING_EXPIRATION));
    }
    for (CertificateSigningRequestCondition c : conditions) {
      Instant updated = instant(c.getLastUpdateTime());
      if (updated == null) continue;
      switch (c.getType()) {
        case "Approved" -> deadlines.add(updated.plus(APPROVED_EXPIRATION));
        case "Denied", "Failed" -> deadlines.add(updated.plus(DENIED_EXPIRATION));
        default -> { }
      }
    }
    String certificate = csr.getStatus() == null ? null : csr.getStatus().getCertificate();
    if (certificate != null && !certificate.isEmpty()) {
      try {
        for (var c : CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Base64.getDecoder().decode(certificate)))) {
          // isIssuedExpired: after a certificate's notAfter
          deadlines.add(((X509Certificate) c).getNotAfter().toInstant().plusSeconds(1));
        }
      } catch (CertificateException | IllegalArgumentException e) {
        // upstream gives up on such a request; the other deadlines still hold
      }
    }
    return deadlines.stream().min(Instant::compareTo).orElse(null);
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) return null;
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
