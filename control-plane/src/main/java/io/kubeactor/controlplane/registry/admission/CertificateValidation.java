package io.kubeactor.controlplane.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.security.certificates.CertificateRequests;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * CertificateSigningRequests as pkg/apis/certificates/validation of Kubernetes v1.32 checks them
 * (with apis/core/validation's ValidateSignerName), and the v1 defaults (a condition's status is
 * True unless given). What an update may change depends on the path it takes: only the approval
 * subresource sets Approved and Denied conditions, only the status subresource the certificate.
 */
public final class CertificateValidation {
  private CertificateValidation() {}

  public static final String APPROVED = "Approved";
  public static final String DENIED = "Denied";
  public static final String FAILED = "Failed";
  public static final String LEGACY_UNKNOWN_SIGNER = "kubernetes.io/legacy-unknown";

  /** Which update path a change takes (certificateValidationOptions' subresource-specific capabilities). */
  public enum Path { OBJECT, STATUS, APPROVAL }

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final FieldPath CONDITIONS = FieldPath.root("status").child("conditions");
  private static final FieldPath CERTIFICATE = FieldPath.root("status").child("certificate");

  /** allValidUsages, sorted as sets.List() returns it for Unsupported value messages. */
  public static final List<String> VALID_USAGES = List.of("any", "cert sign", "client auth", "code signing",
      "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection",
      "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment",
      "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping");

  private static final Set<String> TRUE_ONLY_TYPES = Set.of(APPROVED, DENIED, FAILED);

  /** SetDefaults_CertificateSigningRequestCondition: a condition without a status is True. */
  public static void defaultConditions(ObjectNode csr) {
    for (ObjectNode c : Nodes.objects(csr.path("status"), "conditions")) {
      if (Nodes.text(c, "status").isEmpty()) c.put("status", "True");
    }
  }

  /** ValidateCertificateSigningRequestCreate (past the metadata). */
  public static void create(JsonNode csr, FieldErrors errors) {
    object(csr, options(csr, null, Path.OBJECT), errors);
  }

  /** ValidateCertificateSigningRequest{,Status,Approval}Update (past the metadata, which the strategy checks). */
  public static void update(JsonNode csr, JsonNode old, Path path, FieldErrors errors) {
    Options opts = options(csr, old, path);
    object(csr, opts, errors);
    for (String type : List.of(APPROVED, DENIED, FAILED)) {
      if (conditions(csr, type).size() < conditions(old, type).size()) {
        errors.forbidden(CONDITIONS, "updates may not remove a condition of type \"" + type + "\"");
      }
    }
    if (!opts.settingApprovalConditions) {
      for (String type : List.of(APPROVED, DENIED)) {
        List<JsonNode> before = conditions(old, type);
        List<JsonNode> now = conditions(csr, type);
        if (now.size() > before.size()) {
          errors.forbidden(CONDITIONS, "updates may not add a condition of type \"" + type + "\"");
        } else if (now.size() == before.size() && !now.equals(before)) {
          errors.forbidden(CONDITIONS, "updates may not modify a condition of type \"" + type + "\"");
        }
      }
    }
    if (!Objects.equals(certificate(csr), certificate(old))) {
      if (!opts.settingCertificate) {
        errors.forbidden(CERTIFICATE, "updates may not set certificate content");
      } else if (!certificate(old).isEmpty()) {
        errors.forbidden(CERTIFICATE, "updates may not modify existing certificate content");
      }
    }
  }

  /** What one validation tolerates: the path's capabilities and what the stored object already holds. */
  private record Options(boolean settingApprovalConditions, boolean settingCertificate, boolean bothApprovedAndDenied,
      boolean legacySignerName, boolean duplicateConditionTypes, boolean emptyConditionType,
      boolean arbitraryCertificate, boolean unknownUsages, boolean duplicateUsages) {}

  private static Options options(JsonNode csr, JsonNode old, Path path) {
    boolean arbitrary = old != null && (certificate(csr).equals(certificate(old)) || certificateError(certificate(old)) != null);
    return new Options(path == Path.APPROVAL, path == Path.STATUS,
        old != null && !conditions(old, APPROVED).isEmpty() && !conditions(old, DENIED).isEmpty(),
        old != null && LEGACY_UNKNOWN_SIGNER.equals(Nodes.text(old.path("spec"), "signerName")),
        old != null && hasDuplicateConditionTypes(old),
        old != null && conditionTypes(old).contains(""),
        arbitrary,
        old != null && usages(old).stream().anyMatch(u -> !VALID_USAGES.contains(u)),
        old != null && new HashSet<>(usages(old)).size() != usages(old).size());
  }

  private static void object(JsonNode csr, Options opts, FieldErrors errors) {
    JsonNode spec = csr.path("spec");
    byte[] request = requestBytes(spec);
    try {
      CertificateRequests.parseAndVerify(request);
    } catch (CertificateRequests.InvalidRequest e) {
      errors.invalid(SPEC.child("request"), new GoValue.Literal(CertificateRequests.goBytes(request)), e.getMessage());
    }
    List<String> usages = usages(csr);
    if (usages.isEmpty()) errors.required(SPEC.child("usages"), "");
    if (!opts.unknownUsages) {
      for (int i = 0; i < usages.size(); i++) {
        if (!VALID_USAGES.contains(usages.get(i))) errors.notSupported(SPEC.child("usages").index(i), usages.get(i), VALID_USAGES);
      }
    }
    if (!opts.duplicateUsages) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < usages.size(); i++) {
        if (!seen.add(usages.get(i))) errors.duplicate(SPEC.child("usages").index(i), usages.get(i));
      }
    }
    String signerName = Nodes.text(spec, "signerName");
    if (!opts.legacySignerName && signerName.equals(LEGACY_UNKNOWN_SIGNER)) {
      errors.invalid(SPEC.child("signerName"), signerName, "the legacy signerName is not allowed via this API version");
    } else {
      signerName(SPEC.child("signerName"), signerName, errors);
    }
    if (Nodes.has(spec, "expirationSeconds") && spec.get("expirationSeconds").asLong() < 600) {
      errors.invalid(SPEC.child("expirationSeconds"), spec.get("expirationSeconds").asLong(),
          "may not specify a duration less than 600 seconds (10 minutes)");
    }
    conditions(csr, opts, errors);
    if (!opts.arbitraryCertificate) {
      String problem = certificateError(certificate(csr));
      if (problem != null) errors.invalid(CERTIFICATE, "<certificate data>", problem);
    }
  }

  private static void conditions(JsonNode csr, Options opts, FieldErrors errors) {
    Set<String> seen = new HashSet<>();
    boolean approved = false;
    boolean denied = false;
    List<ObjectNode> conditions = Nodes.objects(csr.path("status"), "conditions");
    for (int i = 0; i < conditions.size(); i++) {
      JsonNode c = conditions.get(i);
      String type = Nodes.text(c, "type");
      String status = Nodes.text(c, "status");
      FieldPath at = CONDITIONS.index(i);
      if (!opts.emptyConditionType && type.isEmpty()) errors.required(at.child("type"), "");
      List<String> allowed = TRUE_ONLY_TYPES.contains(type) ? List.of("True") : List.of("False", "True", "Unknown");
      if (status.isEmpty()) errors.required(at.child("status"), "");
      else if (!allowed.contains(status)) errors.notSupported(at.child("status"), status, allowed);
      if (!opts.bothApprovedAndDenied) {
        if (type.equals(APPROVED)) {
          approved = true;
          if (denied) errors.invalid(at.child("type"), type, "Approved and Denied conditions are mutually exclusive");
        } else if (type.equals(DENIED)) {
          denied = true;
          if (approved) errors.invalid(at.child("type"), type, "Approved and Denied conditions are mutually exclusive");
        }
      }
      if (!opts.duplicateConditionTypes && !seen.add(type)) errors.duplicate(at.child("type"), type);
    }
  }

  /** ValidateSignerName: {@code domain.example/path}, the domain of DNS labels, the path of subdomains. */
  static void signerName(FieldPath path, String signerName, FieldErrors errors) {
    if (signerName.isEmpty()) {
      errors.required(path, "");
      return;
    }
    String[] segments = signerName.split("/", -1);
    if (segments.length != 2) {
      errors.invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'");
      return;
    }
    if (segments[0].length() > Syntax.DNS1123_SUBDOMAIN_MAX) errors.tooLong(path, Syntax.DNS1123_SUBDOMAIN_MAX);
    String[] domainLabels = segments[0].split("\\.", -1);
    for (String label : domainLabels) {
      List<String> problems = Syntax.dns1123Label(label);
      if (!problems.isEmpty()) {
        for (String p : problems) errors.invalid(path, segments[0], "validating label \"" + label + "\": " + p);
        break;
      }
    }
    if (domainLabels.length < 2) {
      errors.invalid(path, segments[0], "should be a domain with at least two segments separated by dots");
    }
    for (String label : segments[1].split("\\.", -1)) {
      List<String> problems = Syntax.dns1123Subdomain(label);
      if (!problems.isEmpty()) {
        for (String p : problems) errors.invalid(path, segments[1], "validating label \"" + label + "\": " + p);
        break;
      }
    }
    int maxLength = Syntax.DNS1123_SUBDOMAIN_MAX + Syntax.DNS1123_SUBDOMAIN_MAX + Syntax.DNS1123_LABEL_MAX + 1 + 1;
    if (signerName.length() > maxLength) errors.tooLong(path, maxLength);
  }

  /** validateCertificate: every PEM block a CERTIFICATE without headers, at least one; null when valid or empty. */
  static String certificateError(String base64) {
    if (base64.isEmpty()) return null;
    byte[] pem;
    try {
      pem = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return "must contain at least one CERTIFICATE PEM block";
    }
    List<CertificateRequests.PemBlock> blocks = CertificateRequests.pemBlocks(pem);
    for (CertificateRequests.PemBlock block : blocks) {
      if (!block.type().equals("CERTIFICATE")) return "only CERTIFICATE PEM blocks are allowed, found \"" + block.type() + "\"";
      if (block.hasHeaders()) return "no PEM block headers are permitted";
      try {
        if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(block.der())).isEmpty()) {
          return "found CERTIFICATE PEM block containing 0 certificates";
        }
      } catch (CertificateException e) {
        return "x509: malformed certificate";
      }
    }
    return blocks.isEmpty() ? "must contain at least one CERTIFICATE PEM block" : null;
  }

  /** spec.request's bytes (base64 in JSON; the decoder refused what does not decode), null when absent. */
  public static byte[] requestBytes(JsonNode spec) {
    JsonNode r = spec.get("request");
    if (r == null || r.isNull()) return null;
    try {
      return Base64.getDecoder().decode(r.asText());
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  public static List<String> usages(JsonNode csr) {
    List<String> out = new ArrayList<>();
    csr.path("spec").path("usages").forEach(u -> out.add(u.asText()));
    return out;
  }

  private static String certificate(JsonNode csr) {
    return csr.path("status").path("certificate").asText("");
  }

  /** The conditions of a type, in order. */
  public static List<JsonNode> conditions(JsonNode csr, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode c : csr.path("status").path("conditions")) if (type.equals(c.path("type").asText())) out.add(c);
    return out;
  }

  private static List<String> conditionTypes(JsonNode csr) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : csr.path("status").path("conditions")) out.add(c.path("type").asText(""));
    return out;
  }

  private static boolean hasDuplicateConditionTypes(JsonNode csr) {
    List<String> types = conditionTypes(csr);
    return new HashSet<>(types).size() != types.size();
  }
}
