package io.kubeactor.agent.bootstrap;

import io.kubeactor.common.cluster.AgentStreamTls;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.pki.PkiFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A node's client certificate ({@code system:node:<name>} in {@code system:nodes}, issued by the
 * cluster CA through a CertificateSigningRequest) and its key, kept in the node's data directory
 * under {@code pki/} as kubelet keeps {@code /var/lib/kubelet/pki}. The agent joins the cluster with
 * it (Pekko's TLS transport) and shows it to the API server.
 */
public record NodeCredentials(X509Certificate ca, X509Certificate certificate, PrivateKey key) {

  /** The node's certificate is renewed once this share of its life has passed (kubelet: 70 to 90%). */
  private static final double RENEW_AT = 0.8;

  static Path pki(Path dataDir) {
    return dataDir.resolve("pki");
  }

  static Path caFile(Path dataDir) {
    return pki(dataDir).resolve("ca.crt");
  }

  private static Path certificateFile(Path dataDir) {
    return pki(dataDir).resolve("kubelet-client.crt");
  }

  private static Path keyFile(Path dataDir) {
    return pki(dataDir).resolve("kubelet-client.key");
  }

  /** The certificate for {@code node} kept in the data directory, if it is there, of this CA, and not expired. */
  static Optional<NodeCredentials> load(Path dataDir, X509Certificate ca, String node, Instant now) {
    if (!Files.exists(certificateFile(dataDir)) || !Files.exists(keyFile(dataDir))) return Optional.empty();
    X509Certificate certificate;
    PrivateKey key;
    try {
      certificate = PkiFiles.readCertificate(certificateFile(dataDir));
      key = PkiFiles.readPrivateKey(keyFile(dataDir));
      certificate.verify(ca.getPublicKey());
    } catch (RuntimeException | GeneralSecurityException e) {
      return Optional.empty();
    }
    if (!ClusterTls.memberIdentity(certificate).equals(Optional.of(ClusterTls.NODE_PREFIX + node))
        || !certificate.getNotAfter().toInstant().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(new NodeCredentials(ca, certificate, key));
  }

  /** Writes the CA, then the key, then the certificate: a crash in between leaves no pair that looks complete. */
  NodeCredentials save(Path dataDir) {
    try {
      Files.createDirectories(pki(dataDir));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + pki(dataDir), e);
    }
    PkiFiles.writePublic(caFile(dataDir), PkiFiles.toPem(ca));
    PkiFiles.writePrivate(keyFile(dataDir), PkiFiles.toPem(key));
    PkiFiles.writePublic(certificateFile(dataDir), PkiFiles.toPem(certificate));
    return this;
  }

  boolean renewalDue(Instant now) {
    Instant from = certificate.getNotBefore().toInstant();
    Duration life = Duration.between(from, certificate.getNotAfter().toInstant());
    return !now.isBefore(from.plusMillis((long) (life.toMillis() * RENEW_AT)));
  }

  public ClusterTls clusterTls() {
    return ClusterTls.of(ca, certificate, key);
  }

  /** The streaming server's TLS: served with this node's certificate, to the control plane alone. */
  public AgentStreamTls streamTls() {
    return AgentStreamTls.server(ca, certificate, key);
  }
}
