package io.kubeactor.controlplane.security.certificates;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Test helpers: PKCS#10 requests as a kubelet or a user makes them (EC P-256). */
public final class TestRequests {
  private TestRequests() {}

  public static KeyPair keys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PEM request for CN=commonName, O=each organization, with these DNS subjectAltNames. */
  public static String pem(KeyPair keys, String commonName, List<String> organizations, List<String> dnsNames) {
    try {
      X500NameBuilder subject = new X500NameBuilder();
      organizations.forEach(o -> subject.addRDN(BCStyle.O, o));
      subject.addRDN(BCStyle.CN, commonName);
      var builder = new JcaPKCS10CertificationRequestBuilder(subject.build(), keys.getPublic());
      if (!dnsNames.isEmpty()) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      PKCS10CertificationRequest request = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(request);
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(String commonName, String... organizations) {
    return pem(keys(), commonName, List.of(organizations), List.of());
  }

  /** spec.request's value: the PEM's base64. */
  public static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** A v1 CertificateSigningRequest manifest (YAML flow) for a kubelet's client certificate. */
  public static String kubeletClientManifest(String name, String node) {
    return manifest(name, base64(pem("system:node:" + node, "system:nodes")), "kubernetes.io/kube-apiserver-client-kubelet",
        "[digital signature, client auth]", "");
  }

  public static String manifest(String name, String requestBase64, String signerName, String usages, String extraSpec) {
    return "{apiVersion: certificates.k8s.io/v1, kind: CertificateSigningRequest, metadata: {name: " + name + "},"
        + " spec: {request: " + requestBase64 + ", signerName: " + signerName + ", usages: " + usages + extraSpec + "}}";
  }
}
