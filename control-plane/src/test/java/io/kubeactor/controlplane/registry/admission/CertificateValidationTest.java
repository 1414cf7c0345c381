package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.registry.strategy.ResourceStrategies;
import io.kubeactor.controlplane.security.certificates.TestRequests;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CertificateSigningRequests as pkg/apis/certificates/validation checks them, messages word for word. */
class CertificateValidationTest {

  private static final String REQUEST = TestRequests.base64(TestRequests.pem("jane", "devs"));

  private static ObjectNode csr(String request, String signerName, String usages, String more) {
    return yaml(TestRequests.manifest("c", request, signerName, usages, more));
  }

  private static ObjectNode csr(String more) {
    return csr(REQUEST, "example.com/signer", "[client auth]", more);
  }

  private static List<String> errors(ObjectNode csr) {
    return printed(create(csr));
  }

  @Test
  void aWellFormedRequestIsValidWhateverItsName() {
    assertThat(create(csr(""))).isEmpty();
    ObjectNode oddName = csr("");
    oddName.with("metadata").put("name", "Any Name/at all");
    assertThat(create(oddName)).isEmpty();
  }

  @Test
  void aRequestThatIsNotAPemCertificateRequestIsRefusedWithItsBytes() {
    String notPem = Base64.getEncoder().encodeToString("hello\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(errors(csr(notPem, "example.com/signer", "[client auth]", ""))).containsExactly(
        "spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f, 0xa}: PEM block type must be CERTIFICATE REQUEST");
    String certificatePem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assertThat(errors(csr(TestRequests.base64(certificatePem), "example.com/signer", "[client auth]", "")).get(0))
        .endsWith(": PEM block type must be CERTIFICATE REQUEST");
  }

  @Test
  void aRequestWhoseSignatureDoesNotVerifyIsRefused() {
    String pem = TestRequests.pem("jane", "devs");
    // flip one bit near the end of the DER: the signature
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    der[der.length - 3] ^= 1;
    String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
    assertThat(errors(csr(TestRequests.base64(tampered), "example.com/signer", "[client auth]", "")))
        .singleElement().asString().startsWith("spec.request: Invalid value: []byte{0x2d, 0x2d");
  }

  @Test
  void signerNameIsRequiredAndADomainWithAPath() {
    assertThat(errors(csr(REQUEST, "''", "[client auth]", ""))).containsExactly("spec.signerName: Required value");
    assertThat(errors(csr(REQUEST, "example.com", "[client auth]", ""))).containsExactly(
        "spec.signerName: Invalid value: \"example.com\": must be a fully qualified domain and path of the form 'example.com/signer-name'");
    assertThat(errors(csr(REQUEST, "example/signer", "[client auth]", ""))).containsExactly(
        "spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots");
    assertThat(errors(csr(REQUEST, "Example.com/signer", "[client auth]", ""))).containsExactly(
        "spec.signerName: Invalid value: \"Example.com\": validating label \"Example\": a lowercase RFC 1123 label must"
            + " consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
            + " (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    assertThat(errors(csr(REQUEST, "kubernetes.io/legacy-unknown", "[client auth]", ""))).containsExactly(
        "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed via this API version");
  }

  @Test
  void usagesAreRequiredKnownAndDistinct() {
    assertThat(errors(csr(REQUEST, "example.com/s", "[]", ""))).containsExactly("spec.usages: Required value");
    assertThat(errors(csr(REQUEST, "example.com/s", "[client auth, flying]", ""))).containsExactly(
        "spec.usages[1]: Unsupported value: \"flying\": supported values: \"any\", \"cert sign\", \"client auth\","
            + " \"code signing\", \"content commitment\", \"crl sign\", \"data encipherment\", \"decipher only\","
            + " \"digital signature\", \"email protection\", \"encipher only\", \"ipsec end system\", \"ipsec tunnel\","
            + " \"ipsec user\", \"key agreement\", \"key encipherment\", \"microsoft sgc\", \"netscape sgc\","
            + " \"ocsp signing\", \"s/mime\", \"server auth\", \"signing\", \"timestamping\"");
    assertThat(errors(csr(REQUEST, "example.com/s", "[client auth, client auth]", ""))).containsExactly(
        "spec.usages[1]: Duplicate value: \"client auth\"");
  }

  @Test
  void expirationSecondsIsAtLeastTenMinutes() {
    assertThat(errors(csr(", expirationSeconds: 599"))).containsExactly(
        "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)");
    assertThat(create(csr(", expirationSeconds: 600"))).isEmpty();
  }

  @Test
  void approvedAndDeniedAreExclusiveAndOnlyTrue() {
    ObjectNode csr = csr("");
    csr.set("status", Admission.node("{conditions: [{type: Approved, status: 'True'}, {type: Denied},"
        + " {type: Failed, status: 'False'}, {type: Approved, status: 'True'}]}"));
    assertThat(errors(csr)).containsExactly(
        "status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive",
        "status.conditions[2].status: Unsupported value: \"False\": supported values: \"True\"",
        "status.conditions[3].type: Invalid value: \"Approved\": Approved and Denied conditions are mutually exclusive",
        "status.conditions[3].type: Duplicate value: \"Approved\"");
  }

  @Test
  void aStatusUpdateMayNotAddApprovalAndAnApprovalUpdateMayNotSetTheCertificate() {
    ObjectNode old = csr("");
    old.with("metadata").put("resourceVersion", "1");
    ObjectNode approved = old.deepCopy();
    approved.set("status", Admission.node("{conditions: [{type: Approved, status: 'True'}]}"));
    var strategy = ResourceStrategies.of(Admission.typeOf(old));
    assertThat(printed(strategy.statusFieldErrors("status", approved, old))).containsExactly(
        "status.conditions: Forbidden: updates may not add a condition of type \"Approved\"");
    assertThat(strategy.statusFieldErrors("approval", approved, old)).isEmpty();

    ObjectNode issued = approved.deepCopy();
    issued.with("status").put("certificate", Base64.getEncoder().encodeToString("not a certificate".getBytes()));
    assertThat(printed(strategy.statusFieldErrors("approval", issued, approved))).containsExactly(
        "status.certificate: Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE PEM block",
        "status.certificate: Forbidden: updates may not set certificate content");
    assertThat(printed(strategy.statusFieldErrors("approval", old, approved))).containsExactly(
        "status.conditions: Forbidden: updates may not remove a condition of type \"Approved\"");
  }
}
