package io.kubeactor.controlplane.controller.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.certificates.approver.CsrApprovingController;
import io.kubeactor.controlplane.controller.certificates.signer.CsrSigner;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.certificates.TestRequests;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The approver's (sarapprove.go) and the signer's (signer.go) decisions on one request. */
class CsrDecisionsTest {

  static ClusterCertificates ca;
  static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

  @BeforeAll
  static void setUp() throws Exception {
    ca = ClusterCertificates.loadOrCreate(Files.createTempDirectory("csr-decisions"), List.of(), List.of());
  }

  private static CertificateSigningRequest csr(String pem, String signerName, String usages, String username, String status) {
    String yaml = "{metadata: {name: c}, spec: {request: " + TestRequests.base64(pem) + ", signerName: " + signerName
        + ", usages: " + usages + ", username: '" + username + "', groups: [g]}" + status + "}";
    try {
      return Json.fromTree(Json.YAML.readTree(yaml), CertificateSigningRequest.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static CertificateSigningRequest kubeletClient(String username, String usages) {
    return csr(TestRequests.pem("system:node:n1", "system:nodes"), "kubernetes.io/kube-apiserver-client-kubelet", usages,
        username, "");
  }

  private static Authorizer allowing(String subresource) {
    return a -> a.subresource().equals(subresource) && a.verb().equals("create")
        ? Authorizer.Decision.allow("") : Authorizer.Decision.noOpinion("");
  }

  @Test
  void aNodeRenewingItsOwnCertificateIsApprovedAsSelfNodeClient() {
    CertificateSigningRequest renewal = kubeletClient("system:node:n1", "[digital signature, client auth]");
    assertThat(CsrApprovingController.approval(renewal, allowing("selfnodeclient")))
        .contains("Auto approving self kubelet client certificate after SubjectAccessReview.");
    assertThat(CsrApprovingController.approval(renewal, allowing("nodeclient")))
        .contains("Auto approving kubelet client certificate after SubjectAccessReview.");
    // selfnodeclient only for the node itself
    assertThat(CsrApprovingController.approval(kubeletClient("system:bootstrap:abcdef", "[digital signature, client auth]"),
        allowing("selfnodeclient"))).isEmpty();
  }

  @Test
  void onlyKubeletClientRequestsAreApproved() {
    Authorizer all = a -> Authorizer.Decision.allow("");
    assertThat(CsrApprovingController.approval(kubeletClient("u", "[digital signature, server auth]"), all)).isEmpty();
    assertThat(CsrApprovingController.approval(kubeletClient("u", "[key encipherment, digital signature, client auth]"), all))
        .isPresent();
    assertThat(CsrApprovingController.approval(csr(TestRequests.pem("system:node:n1", "system:nodes"),
        "kubernetes.io/kube-apiserver-client", "[client auth]", "u", ""), all)).isEmpty();
    assertThat(CsrApprovingController.approval(csr(TestRequests.pem("jane", "system:nodes"),
        "kubernetes.io/kube-apiserver-client-kubelet", "[digital signature, client auth]", "u", ""), all)).isEmpty();
    assertThat(CsrApprovingController.approval(csr(TestRequests.pem("system:node:n1", "system:nodes"),
        "kubernetes.io/kube-apiserver-client-kubelet", "[digital signature, client auth]", "u",
        ", status: {conditions: [{type: Denied, status: 'True'}]}"), all)).as("decided already").isEmpty();
  }

  private static final String APPROVED = ", status: {conditions: [{type: Approved, status: 'True'}]}";

  @Test
  void theSignerIssuesForTheRequestedDurationBackdatedFiveMinutes() {
    CsrSigner signer = new CsrSigner(ca, CsrSigner.DEFAULT_SIGNING_DURATION);
    CertificateSigningRequest shortLived = csr(TestRequests.pem("jane", "devs"), "kubernetes.io/kube-apiserver-client",
        "[client auth]", "jane", APPROVED);
    shortLived.getSpec().setExpirationSeconds(3600);
    var issued = ((CsrSigner.Decision.Issue) signer.decide(shortLived, NOW)).certificate();
    assertThat(issued.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
    assertThat(issued.getNotAfter().toInstant()).as("short: not backdated at the end").isEqualTo(NOW.plus(Duration.ofHours(1)));

    shortLived.getSpec().setExpirationSeconds(10 * 365 * 86400);
    var capped = ((CsrSigner.Decision.Issue) signer.decide(shortLived, NOW)).certificate();
    assertThat(capped.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)).minus(Duration.ofMinutes(5)));
  }

  @Test
  void theSignerLeavesWhatIsNotItsToSignAndFailsWhatDoesNotFit() {
    CsrSigner signer = new CsrSigner(ca, CsrSigner.DEFAULT_SIGNING_DURATION);
    assertThat(signer.decide(csr(TestRequests.pem("jane"), "kubernetes.io/kube-apiserver-client", "[client auth]", "j", ""),
        NOW)).as("pending").isInstanceOf(CsrSigner.Decision.Skip.class);
    assertThat(signer.decide(csr(TestRequests.pem("jane"), "example.com/other", "[client auth]", "j", APPROVED), NOW))
        .as("another signer").isInstanceOf(CsrSigner.Decision.Skip.class);
    assertThat(signer.decide(csr(TestRequests.pem("jane"), "kubernetes.io/kube-apiserver-client", "[server auth]", "j",
        APPROVED), NOW)).isEqualTo(new CsrSigner.Decision.Fail("invalid usage for client certificate: server auth"));
    assertThat(signer.decide(csr(TestRequests.pem("system:node:n1", "system:nodes"), "kubernetes.io/kubelet-serving",
        "[digital signature, server auth]", "j", APPROVED), NOW))
        .isEqualTo(new CsrSigner.Decision.Fail("DNS or IP subjectAltName is required"));
    assertThat(signer.decide(csr(TestRequests.pem("system:node:n1", "system:nodes"), "kubernetes.io/kube-apiserver-client-kubelet",
        "[client auth]", "j", APPROVED), NOW)).isEqualTo(new CsrSigner.Decision.Fail(
            "usages did not match [client auth digital signature key encipherment]"));
  }

  @Test
  void aKubeletServingCertificateCarriesItsNames() throws Exception {
    CsrSigner signer = new CsrSigner(ca, CsrSigner.DEFAULT_SIGNING_DURATION);
    String pem = TestRequests.pem(TestRequests.keys(), "system:node:n1", List.of("system:nodes"), List.of("n1.example"));
    var issued = ((CsrSigner.Decision.Issue) signer.decide(csr(pem, "kubernetes.io/kubelet-serving",
        "[digital signature, server auth]", "system:node:n1", APPROVED), NOW)).certificate();
    assertThat(issued.getSubjectAlternativeNames()).containsExactly(List.of(2, "n1.example"));
    assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(Optional.ofNullable(issued.getKeyUsage()).map(k -> k[0])).contains(true);
  }
}
