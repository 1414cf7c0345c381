package io.kubeactor.controlplane.security.certificates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The Kubernetes signers kube-controller-manager's csrsigning controller serves, and what each
 * accepts (pkg/controller/certificates/signer/signer.go with pkg/apis/certificates/helpers.go's
 * ValidateKubeletClientCSR and ValidateKubeletServingCSR): an error names why a request is not for
 * the signer, as the Failed condition's message.
 */
public final class Signers {
  private Signers() {}

  public static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
  public static final String KUBE_APISERVER_CLIENT_KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
  public static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";

  public static final String NODES_GROUP = "system:nodes";
  public static final String NODE_USER_PREFIX = "system:node:";

  /** The signers served, in the controller's order. */
  public static final List<String> SERVED = List.of(KUBE_APISERVER_CLIENT_KUBELET, KUBE_APISERVER_CLIENT, KUBELET_SERVING);

  private static final Set<String> KUBELET_CLIENT_USAGES = Set.of("digital signature", "key encipherment", "client auth");
  private static final Set<String> KUBELET_CLIENT_USAGES_NO_RSA = Set.of("digital signature", "client auth");
  private static final Set<String> KUBELET_SERVING_USAGES = Set.of("digital signature", "key encipherment", "server auth");
  private static final Set<String> KUBELET_SERVING_USAGES_NO_RSA = Set.of("digital signature", "server auth");

  /** Why a request is not one the signer issues: the Failed condition's message. */
  public static final class NotForSigner extends Exception {
    public NotForSigner(String message) {
      super(message);
    }
  }

  /** Whether {@code signerName} is served here; when it is, throws if the request does not fit it. */
  public static boolean check(String signerName, CertificateRequests.Parsed request, List<String> usages)
      throws NotForSigner {
    switch (signerName) {
      case KUBE_APISERVER_CLIENT_KUBELET -> kubeletClient(request, usages);
      case KUBE_APISERVER_CLIENT -> {
        for (String u : usages) {
          if (!Set.of("digital signature", "key encipherment", "client auth").contains(u)) {
            throw new NotForSigner("invalid usage for client certificate: " + u);
          }
        }
      }
      case KUBELET_SERVING -> kubeletServing(request, usages);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** ValidateKubeletClientCSR. */
  public static void kubeletClient(CertificateRequests.Parsed request, List<String> usages) throws NotForSigner {
    if (!request.organizations().equals(List.of(NODES_GROUP))) throw new NotForSigner("subject organization is not system:nodes");
    if (!request.dnsNames().isEmpty()) throw new NotForSigner("DNS subjectAltNames are not allowed");
    if (!request.emailAddresses().isEmpty()) throw new NotForSigner("Email subjectAltNames are not allowed");
    if (!request.ipAddresses().isEmpty()) throw new NotForSigner("IP subjectAltNames are not allowed");
    if (!request.uris().isEmpty()) throw new NotForSigner("URI subjectAltNames are not allowed");
    if (!request.commonName().startsWith(NODE_USER_PREFIX)) {
      throw new NotForSigner("subject common name does not begin with system:node:");
    }
    Set<String> asked = Set.copyOf(usages);
    if (!asked.equals(KUBELET_CLIENT_USAGES) && !asked.equals(KUBELET_CLIENT_USAGES_NO_RSA)) {
      throw new NotForSigner("usages did not match " + goList(KUBELET_CLIENT_USAGES));
    }
  }

  /** ValidateKubeletServingCSR. */
  public static void kubeletServing(CertificateRequests.Parsed request, List<String> usages) throws NotForSigner {
    if (!request.organizations().equals(List.of(NODES_GROUP))) throw new NotForSigner("subject organization is not system:nodes");
    if (request.dnsNames().isEmpty() && request.ipAddresses().isEmpty()) {
      throw new NotForSigner("DNS or IP subjectAltName is required");
    }
    if (!request.emailAddresses().isEmpty()) throw new NotForSigner("Email subjectAltNames are not allowed");
    if (!request.uris().isEmpty()) throw new NotForSigner("URI subjectAltNames are not allowed");
    Set<String> asked = Set.copyOf(usages);
    if (!asked.equals(KUBELET_SERVING_USAGES) && !asked.equals(KUBELET_SERVING_USAGES_NO_RSA)) {
      throw new NotForSigner("usages did not match " + goList(KUBELET_SERVING_USAGES));
    }
    if (!request.commonName().startsWith(NODE_USER_PREFIX)) {
      throw new NotForSigner("subject common name does not begin with system:node:");
    }
  }

  /** Go's %v of a sorted string list: [a b c]. */
  private static String goList(Set<String> values) {
    return "[" + String.join(" ", new TreeSet<>(values)) + "]";
  }

  private static final Map<String, Integer> KEY_USAGES = Map.of(
      "signing", KeyUsage.digitalSignature,
      "digital signature", KeyUsage.digitalSignature,
      "content commitment", KeyUsage.nonRepudiation,
      "key encipherment", KeyUsage.keyEncipherment,
      "key agreement", KeyUsage.keyAgreement,
      "data encipherment", KeyUsage.dataEncipherment,
      "cert sign", KeyUsage.keyCertSign,
      "crl sign", KeyUsage.cRLSign,
      "encipher only", KeyUsage.encipherOnly,
      "decipher only", KeyUsage.decipherOnly);

  private static final Map<String, KeyPurposeId> EXTENDED_KEY_USAGES = Map.ofEntries(
      Map.entry("any", KeyPurposeId.anyExtendedKeyUsage),
      Map.entry("server auth", KeyPurposeId.id_kp_serverAuth),
      Map.entry("client auth", KeyPurposeId.id_kp_clientAuth),
      Map.entry("code signing", KeyPurposeId.id_kp_codeSigning),
      Map.entry("email protection", KeyPurposeId.id_kp_emailProtection),
      Map.entry("s/mime", KeyPurposeId.id_kp_emailProtection),
      Map.entry("ipsec end system", KeyPurposeId.id_kp_ipsecEndSystem),
      Map.entry("ipsec tunnel", KeyPurposeId.id_kp_ipsecTunnel),
      Map.entry("ipsec user", KeyPurposeId.id_kp_ipsecUser),
      Map.entry("timestamping", KeyPurposeId.id_kp_timeStamping),
      Map.entry("ocsp signing", KeyPurposeId.id_kp_OCSPSigning),
      Map.entry("microsoft sgc", KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.311.10.3.3"))),
      Map.entry("netscape sgc", KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier("2.16.840.1.113730.4.1"))));

  /** keyUsagesFromStrings: the key usage bits of the usages. */
  public static int keyUsageBits(List<String> usages) {
    int bits = 0;
    for (String u : usages) bits |= KEY_USAGES.getOrDefault(u, 0);
    return bits;
  }

  /** keyUsagesFromStrings: the extended key usages, in the order asked, each once. */
  public static List<KeyPurposeId> extendedKeyUsages(List<String> usages) {
    List<KeyPurposeId> out = new ArrayList<>();
    for (String u : usages) {
      KeyPurposeId id = EXTENDED_KEY_USAGES.get(u);
      if (id != null && !out.contains(id)) out.add(id);
    }
    return out;
  }
}
