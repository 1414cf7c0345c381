package io.kubeactor.common.cluster;

import io.kubeactor.common.pki.CaIdentityTrust;
import io.kubeactor.common.pki.KeyMaterial;
import io.kubeactor.common.pki.PkiFiles;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.SSLEngineProviderSetup;
import scala.Option;

/**
 * The cluster transport's TLS (Pekko Artery's {@code tls-tcp}): every member shows a certificate of
 * the cluster CA and accepts a connection only from a peer that does and is a cluster member by its
 * identity, the control plane ({@value #CONTROL_PLANE}) or a node ({@code system:node:<name>} in
 * {@code system:nodes}, the identity kubelet's client certificate carries). Both directions are
 * mutually authenticated: members gossip with each other, so every member is a TLS server too.
 *
 * <p>Peers are checked by chain and subject ({@link CaIdentityTrust}), not by host name: agents come
 * and go at any address, and the same CA signs users' client certificates, which must not get into
 * the cluster.
 */
public final class ClusterTls implements SSLEngineProvider {

  /** The control plane's identity in the cluster. */
  public static final String CONTROL_PLANE = "system:kubeactor:control-plane";
  public static final String NODE_PREFIX = "system:node:";
  public static final String NODES_GROUP = "system:nodes";

  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private final SSLContext context;

  private ClusterTls(SSLContext context) {
    this.context = context;
  }

  /** From PEM files: the cluster CA's certificate, this member's certificate and its key. */
  public static ClusterTls fromFiles(Path caFile, Path certificateFile, Path keyFile) {
    return of(PkiFiles.readCertificate(caFile), PkiFiles.readCertificate(certificateFile),
        PkiFiles.readPrivateKey(keyFile));
  }

  public static ClusterTls of(X509Certificate ca, X509Certificate certificate, PrivateKey key) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(KeyMaterial.keyManagers(key, certificate, ca), new X509ExtendedTrustManager[] {new CaIdentityTrust(ca,
              c -> memberIdentity(c).isPresent(), "a cluster member (" + CONTROL_PLANE + ", or " + NODE_PREFIX + "<name> in "
              + NODES_GROUP + ")", "a cluster connection")},
          new SecureRandom());
      return new ClusterTls(context);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the cluster's TLS: " + e.getMessage(), e);
    }
  }

  /** What the actor system is created with (beside {@code pekko.remote.artery.transport = tls-tcp}). */
  public SSLEngineProviderSetup setup() {
    return SSLEngineProviderSetup.create(system -> this);
  }

  /** The identity a member's certificate carries, if it is one a member may have. */
  public static Optional<String> memberIdentity(X509Certificate certificate) {
    String commonName = null;
    boolean node = false;
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) commonName = rdn.getValue().toString();
        if (rdn.getType().equalsIgnoreCase("O") && NODES_GROUP.equals(rdn.getValue().toString())) node = true;
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    if (commonName == null) return Optional.empty();
    if (commonName.equals(CONTROL_PLANE)) return Optional.of(commonName);
    if (node && commonName.startsWith(NODE_PREFIX) && commonName.length() > NODE_PREFIX.length()) return Optional.of(commonName);
    return Optional.empty();
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  // CaIdentityTrust has judged the peer during the handshake
  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }
}
