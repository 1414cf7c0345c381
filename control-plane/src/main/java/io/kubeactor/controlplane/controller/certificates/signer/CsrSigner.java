package io.kubeactor.controlplane.controller.certificates.signer;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.common.pki.PkiFiles;
import io.kubeactor.controlplane.security.certificates.CertificateRequests;
import io.kubeactor.controlplane.security.certificates.Signers;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * What the csrsigning controller does with one request (pkg/controller/certificates/signer/signer.go
 * and authority/policies.go): nothing unless it is approved, not failed, not issued and for a signer
 * served here; a Failed condition when it does not fit its signer; else a certificate from the
 * cluster CA, valid for the requested duration capped at --cluster-signing-duration (at least 10
 * minutes), starting 5 minutes back; a certificate of 8 hours or more also ends 5 minutes early.
 */
public final class CsrSigner {

  /** kube-controller-manager's --cluster-signing-duration default. */
  public static final Duration DEFAULT_SIGNING_DURATION = Duration.ofDays(365);
  static final Duration BACKDATE = Duration.ofMinutes(5);
  static final Duration SHORT = Duration.ofHours(8);
  static final Duration MIN_DURATION = Duration.ofMinutes(10);
  public static final String FAILURE_REASON = "SignerValidationFailure";

  private final ClusterCertificates authority;
  private final Duration signingDuration;

  public CsrSigner(ClusterCertificates authority, Duration signingDuration) {
    this.authority = authority;
    this.signingDuration = signingDuration;
  }

  /** What to do with a request. */
  public sealed interface Decision {
    /** Leave it: not approved, failed, issued already, or not for a signer served here. */
    record Skip() implements Decision {}

    /** Mark it Failed with this message. */
    record Fail(String message) implements Decision {}

    /** Set status.certificate to this PEM. */
    record Issue(String pem, X509Certificate certificate) implements Decision {}
  }

  public Decision decide(CertificateSigningRequest csr, Instant now) {
    CertificateSigningRequestStatus status = csr.getStatus();
    if (status != null && status.getCertificate() != null && !status.getCertificate().isEmpty()) return new Decision.Skip();
    if (!approved(status) || hasCondition(status, "Failed")) return new Decision.Skip();
    String signerName = csr.getSpec().getSignerName();
    if (!Signers.SERVED.contains(signerName)) return new Decision.Skip();
    CertificateRequests.Parsed request;
    try {
      request = CertificateRequests.parse(Base64.getDecoder().decode(csr.getSpec().getRequest()));
    } catch (CertificateRequests.InvalidRequest | IllegalArgumentException | NullPointerException e) {
      return new Decision.Skip(); // validation let no such request in
    }
    List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
    try {
      Signers.check(signerName, request, usages);
    } catch (Signers.NotForSigner e) {
      return new Decision.Fail(e.getMessage());
    }
    Duration ttl = duration(csr.getSpec().getExpirationSeconds());
    Instant notAfter = ttl.compareTo(SHORT) < 0 ? now.plus(ttl) : now.plus(ttl).minus(BACKDATE);
    X509Certificate certificate = authority.issue(request.subject(), request.request().getSubjectPublicKeyInfo(),
        request.subjectAltNames(), Signers.keyUsageBits(usages), Signers.extendedKeyUsages(usages),
        now.minus(BACKDATE), notAfter);
    return new Decision.Issue(PkiFiles.toPem(certificate), certificate);
  }

  /** The signer's duration: the requested one, capped at the signing duration, at least 10 minutes. */
  Duration duration(Integer expirationSeconds) {
    if (expirationSeconds == null) return signingDuration;
    Duration requested = Duration.ofSeconds(expirationSeconds);
    if (requested.compareTo(signingDuration) > 0) return signingDuration;
    return requested.compareTo(MIN_DURATION) < 0 ? MIN_DURATION : requested;
  }

  /** IsCertificateRequestApproved: Approved and not Denied. */
  static boolean approved(CertificateSigningRequestStatus status) {
    return hasCondition(status, "Approved") && !hasCondition(status, "Denied");
  }

  static boolean hasCondition(CertificateSigningRequestStatus status, String type) {
    return status != null && status.getConditions() != null
        && status.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** status.certificate's JSON value: the PEM's base64. */
  static String encoded(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
