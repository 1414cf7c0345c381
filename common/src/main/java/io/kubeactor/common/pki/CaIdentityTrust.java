package io.kubeactor.common.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a TLS peer whose certificate chain leads to one CA and whose certificate names an identity
 * the caller accepts; a refusal is logged with the peer and why. Host names are not checked (peers
 * are known by identity, at whatever address), nor extended key usages: a node's certificate is a
 * client certificate (its signer, kubernetes.io/kube-apiserver-client-kubelet, allows no other usage)
 * that serves the cluster's connections too.
 */
public final class CaIdentityTrust extends X509ExtendedTrustManager {

  private static final Logger LOG = LoggerFactory.getLogger(CaIdentityTrust.class);

  private final X509Certificate ca;
  private final PKIXParameters parameters;
  private final Predicate<X509Certificate> accepted;
  private final String wanted;
  private final String connection;

  /**
   * @param accepted whether a certificate of the CA names an identity that may connect
   * @param wanted   whom {@code accepted} takes, for the refusal (e.g. "the control plane (system:kubeactor:control-plane)")
   * @param connection what is refused, for the log (e.g. "a cluster connection")
   */
  public CaIdentityTrust(X509Certificate ca, Predicate<X509Certificate> accepted, String wanted, String connection) {
    this.ca = ca;
    this.accepted = accepted;
    this.wanted = wanted;
    this.connection = connection;
    try {
      this.parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the cluster CA: " + e.getMessage(), e);
    }
    parameters.setRevocationEnabled(false);
  }

  private void check(X509Certificate[] chain, String peer) throws CertificateException {
    String refusal = refusal(chain);
    if (refusal != null) {
      LOG.warn("refused {} with {}: {}", connection, peer, refusal);
      throw new CertificateException(refusal);
    }
  }

  private String refusal(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) return "it showed no certificate";
    // the CA itself may be sent along; the path is validated without it
    List<X509Certificate> path = Arrays.stream(chain).filter(c -> !c.equals(ca)).toList();
    if (path.isEmpty()) return "it showed the CA's own certificate";
    try {
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (GeneralSecurityException e) {
      return "its certificate (" + chain[0].getSubjectX500Principal().getName() + ") is not one of the cluster CA: "
          + e.getMessage();
    }
    if (!accepted.test(chain[0])) {
      return "its certificate (" + chain[0].getSubjectX500Principal().getName() + ") does not name " + wanted;
    }
    return null;
  }

  // an engine that connected knows whom it dialled; one that accepted knows only its own address
  private static String peer(SSLEngine engine) {
    return engine == null || engine.getPeerHost() == null ? "a peer" : engine.getPeerHost() + ":" + engine.getPeerPort();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, "a process that connected");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, peer(engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, String.valueOf(socket == null ? null : socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, String.valueOf(socket == null ? null : socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "a peer");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "a peer");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {ca};
  }
}
