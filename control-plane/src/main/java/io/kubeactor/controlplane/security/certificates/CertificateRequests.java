package io.kubeactor.controlplane.security.certificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * PKCS#10 certificate requests as the certificates API reads {@code spec.request}
 * (pkg/apis/certificates/helpers.go ParseCSR): the first PEM block, which must be a CERTIFICATE
 * REQUEST, parsed and its signature checked; failures worded as Go's.
 */
public final class CertificateRequests {
  private CertificateRequests() {}

  /** A PEM block as Go's pem.Decode finds one: type and body; base64 that does not decode skips the block. */
  private static final Pattern PEM_BLOCK = Pattern.compile(
      "-----BEGIN ([^\\n-]*)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

  /** A request that is not one, with Go's words. */
  public static final class InvalidRequest extends Exception {
    public InvalidRequest(String message) {
      super(message);
    }
  }

  /** A parsed request: its subject, public key and the names and extensions it asks for. */
  public record Parsed(PKCS10CertificationRequest request) {

    public X500Name subject() {
      return request.getSubject();
    }

    /** The subject's CommonName, "" when none. */
    public String commonName() {
      RDN[] cns = subject().getRDNs(BCStyle.CN);
      return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    /** The subject's Organizations, in order. */
    public List<String> organizations() {
      List<String> out = new ArrayList<>();
      for (RDN rdn : subject().getRDNs(BCStyle.O)) out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
      return out;
    }

    /** The extensions the request asks for (PKCS#9 extensionRequest), null when none. */
    public Extensions requestedExtensions() {
      var attributes = request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
      if (attributes.length == 0 || attributes[0].getAttrValues().size() == 0) return null;
      return Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
    }

    /** The subjectAltNames asked for, null when none. */
    public GeneralNames subjectAltNames() {
      Extensions e = requestedExtensions();
      return e == null ? null : GeneralNames.fromExtensions(e, Extension.subjectAlternativeName);
    }

    /** The DNS names among the subjectAltNames. */
    public List<String> dnsNames() {
      return names(GeneralName.dNSName);
    }

    /** The email addresses among the subjectAltNames. */
    public List<String> emailAddresses() {
      return names(GeneralName.rfc822Name);
    }

    /** The IP addresses among the subjectAltNames, as raw octets. */
    public List<byte[]> ipAddresses() {
      List<byte[]> out = new ArrayList<>();
      GeneralNames sans = subjectAltNames();
      if (sans == null) return out;
      for (GeneralName n : sans.getNames()) {
        if (n.getTagNo() == GeneralName.iPAddress) {
          out.add(org.bouncycastle.asn1.DEROctetString.getInstance(n.getName()).getOctets());
        }
      }
      return out;
    }

    /** The URIs among the subjectAltNames. */
    public List<String> uris() {
      return names(GeneralName.uniformResourceIdentifier);
    }

    private List<String> names(int tag) {
      List<String> out = new ArrayList<>();
      GeneralNames sans = subjectAltNames();
      if (sans == null) return out;
      for (GeneralName n : sans.getNames()) if (n.getTagNo() == tag) out.add(n.getName().toString());
      return out;
    }
  }

  /** ParseCSR: the first PEM block must be a CERTIFICATE REQUEST that parses. */
  public static Parsed parse(byte[] pem) throws InvalidRequest {
    byte[] der = firstBlock(pem == null ? new byte[0] : pem, "CERTIFICATE REQUEST");
    if (der == null) throw new InvalidRequest("PEM block type must be CERTIFICATE REQUEST");
    try {
      return new Parsed(new PKCS10CertificationRequest(der));
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequest("asn1: structure error: " + e.getMessage());
    }
  }

  /** ParseCSR, then CheckSignature: what validation requires of spec.request. */
  public static Parsed parseAndVerify(byte[] pem) throws InvalidRequest {
    Parsed parsed = parse(pem);
    try {
      var request = new JcaPKCS10CertificationRequest(parsed.request());
      var verifier = new JcaContentVerifierProviderBuilder().build(request.getPublicKey());
      if (!request.isSignatureValid(verifier)) throw new InvalidRequest(verificationFailure(request));
    } catch (InvalidRequest e) {
      throw e;
    } catch (PKCSException | java.security.GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
        | RuntimeException e) {
      throw new InvalidRequest("x509: cannot verify signature: " + e.getMessage());
    }
    return parsed;
  }

  /** Go's words for a signature that does not verify, by key type. */
  private static String verificationFailure(JcaPKCS10CertificationRequest request) {
    try {
      return switch (request.getPublicKey().getAlgorithm()) {
        case "RSA" -> "crypto/rsa: verification error";
        case "Ed25519", "EdDSA" -> "x509: Ed25519 verification failure";
        default -> "x509: ECDSA verification failure";
      };
    } catch (java.security.GeneralSecurityException e) {
      return "x509: ECDSA verification failure";
    }
  }

  /** The DER of the first PEM block if it is of the wanted type; null otherwise (pem.Decode). */
  private static byte[] firstBlock(byte[] pem, String wantedType) {
    List<PemBlock> blocks = pemBlocks(pem);
    return !blocks.isEmpty() && blocks.get(0).type().equals(wantedType) ? blocks.get(0).der() : null;
  }

  /** A PEM block: its type, whether it has headers ("Proc-Type: ..."), and its bytes. */
  public record PemBlock(String type, boolean hasHeaders, byte[] der) {}

  /** The PEM blocks of a text, in order, as Go's pem.Decode finds them (a block whose base64 does not decode is skipped). */
  public static List<PemBlock> pemBlocks(byte[] pem) {
    List<PemBlock> out = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(new String(pem, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      String body = m.group(2);
      // headers end at the first blank line
      int headersEnd = body.indexOf("\n\n");
      boolean headers = body.contains(":") && headersEnd > 0;
      if (headers) body = body.substring(headersEnd + 2);
      try {
        out.add(new PemBlock(m.group(1), headers, Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""))));
      } catch (IllegalArgumentException e) {
        // not a block to Go either
      }
    }
    return out;
  }

  /** Go's %#v of a []byte: {@code []byte{0x2d, 0xa}}, or {@code []byte(nil)}. */
  public static String goBytes(byte[] bytes) {
    if (bytes == null) return "[]byte(nil)";
    StringBuilder b = new StringBuilder("[]byte{");
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) b.append(", ");
      b.append("0x").append(Integer.toHexString(bytes[i] & 0xff));
    }
    return b.append('}').toString();
  }
}
