package io.kubeactor.common.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * How an agent proves, when it registers, that it is the node it names: its client certificate of
 * the cluster CA ({@code system:node:<name>}) and its key's signature over the node's name and the
 * agent's actor (its full address, with the actor's uid). The cluster's TLS lets only members in,
 * but a member can claim any name in a message; this ties the registration to the certificate, and
 * the gateway then answers on a session only that agent learns (see the control plane's NodeSession).
 */
public final class NodeProof {

  private NodeProof() {}

  /** The signed text: what is registered, and by which actor. */
  private static byte[] payload(String node, String agent) {
    return ("kubeactor register-node\n" + node + "\n" + agent).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] sign(PrivateKey key, String node, String agent) {
    try {
      Signature signer = Signature.getInstance(algorithm(key.getAlgorithm()));
      signer.initSign(key);
      signer.update(payload(node, agent));
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the node's registration: " + e.getMessage(), e);
    }
  }

  /** Why the proof does not show that {@code agent} is node {@code node} of the cluster whose CA is {@code ca}; empty if it does. */
  public static Optional<String> refusal(X509Certificate ca, byte[] certificate, byte[] signature, String node, String agent,
      Instant now) {
    if (certificate == null || certificate.length == 0 || signature == null || signature.length == 0) {
      return Optional.of("it showed no client certificate of the cluster CA");
    }
    X509Certificate shown;
    try {
      shown = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
      shown.verify(ca.getPublicKey());
      shown.checkValidity(Date.from(now));
    } catch (GeneralSecurityException | ClassCastException e) {
      return Optional.of("its certificate is not a valid one of the cluster CA (" + e.getMessage() + ")");
    }
    if (!ClusterTls.memberIdentity(shown).equals(Optional.of(ClusterTls.NODE_PREFIX + node))) {
      return Optional.of("its certificate (" + shown.getSubjectX500Principal().getName() + ") is not node " + node + "'s");
    }
    try {
      PublicKey key = shown.getPublicKey();
      Signature verifier = Signature.getInstance(algorithm(key.getAlgorithm()));
      verifier.initVerify(key);
      verifier.update(payload(node, agent));
      if (verifier.verify(signature)) return Optional.empty();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // a malformed signature, or a key of a kind not signed with here, is no proof either
    }
    return Optional.of("its registration is not signed by the key of its certificate");
  }

  private static String algorithm(String keyAlgorithm) {
    // "ECDSA" where BouncyCastle's provider, once some library registers it, read the key
    return switch (keyAlgorithm) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("keys of type " + keyAlgorithm + " are not supported");
    };
  }
}
