package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * CertificateSigningRequests: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION
 * (printCertificateSigningRequest; the condition as extractCSRStatus sums it up, e.g.
 * "Approved,Issued"). The column descriptions are certificates/v1beta1's field documentation, as
 * the v1.32 printers use.
 */
final class CertificateSigningRequestPrinter implements TablePrinter {

  private static final String SIGNER_NAME_DOC = "Requested signer for the request. It is a qualified name in the form:"
      + " `scope-hostname.io/name`. If empty, it will be defaulted:\n"
      + " 1. If it's a kubelet client certificate, it is assigned\n"
      + "    \"kubernetes.io/kube-apiserver-client-kubelet\".\n"
      + " 2. If it's a kubelet serving certificate, it is assigned\n"
      + "    \"kubernetes.io/kubelet-serving\".\n"
      + " 3. Otherwise, it is assigned \"kubernetes.io/legacy-unknown\".\n"
      + "Distribution of trust for signers happens out of band. You can select on this field using `spec.signerName`.";
  private static final String REQUEST_DOC = "Base64-encoded PKCS#10 CSR data";
  private static final String EXPIRATION_SECONDS_DOC = "expirationSeconds is the requested duration of validity of the"
      + " issued certificate. The certificate signer may issue a certificate with a different validity duration so a"
      + " client must check the delta between the notBefore and and notAfter fields in the issued certificate to"
      + " determine the actual duration.\n\n"
      + "The v1.22+ in-tree implementations of the well-known Kubernetes signers will honor this field as long as the"
      + " requested duration is not greater than the maximum duration they will honor per the --cluster-signing-duration"
      + " CLI flag to the Kubernetes controller manager.\n\n"
      + "Certificate signers may not honor this field for various reasons:\n\n"
      + "  1. Old signer that is unaware of the field (such as the in-tree\n"
      + "     implementations prior to v1.22)\n"
      + "  2. Signer whose configured maximum is shorter than the requested duration\n"
      + "  3. Signer whose configured minimum is longer than the requested duration\n\n"
      + "The minimum valid value for expirationSeconds is 600, i.e. 10 minutes.";
  private static final String CONDITIONS_DOC = "Conditions applied to the request, such as approval or denial.";

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.AGE,
      Column.string("SignerName", SIGNER_NAME_DOC),
      Column.string("Requestor", REQUEST_DOC),
      Column.string("RequestedDuration", EXPIRATION_SECONDS_DOC),
      Column.string("Condition", CONDITIONS_DOC));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode csr) {
    JsonNode spec = csr.path("spec");
    String signerName = Cells.text(spec, "signerName", "<none>");
    JsonNode seconds = spec.get("expirationSeconds");
    String requestedDuration = seconds == null || seconds.isNull()
        ? "<none>" : HumanDuration.format(Duration.ofSeconds(seconds.asLong()));
    return List.of(Cells.name(csr), Cells.age(csr), signerName, Cells.text(spec, "username"), requestedDuration,
        condition(csr.path("status")));
  }

  /** extractCSRStatus: Denied before Approved before Pending, then ",Failed" and ",Issued". */
  static String condition(JsonNode status) {
    boolean approved = false;
    boolean denied = false;
    boolean failed = false;
    for (JsonNode c : status.path("conditions")) {
      switch (c.path("type").asText()) {
        case "Approved" -> approved = true;
        case "Denied" -> denied = true;
        case "Failed" -> failed = true;
        default -> { }
      }
    }
    String out = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) out += ",Failed";
    if (!status.path("certificate").asText("").isEmpty()) out += ",Issued";
    return out;
  }
}
