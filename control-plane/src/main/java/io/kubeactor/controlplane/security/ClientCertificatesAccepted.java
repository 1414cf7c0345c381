package io.kubeactor.controlplane.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The API server's trust manager: it names the cluster CA as the issuer clients should pick a
 * certificate from, and accepts whatever certificate a client presents, leaving the verdict to
 * {@link io.kubeactor.controlplane.security.authentication.X509Authenticator} (Go's
 * tls.RequestClientCert, which kube-apiserver serves with). It is never used to trust a server.
 */
final class ClientCertificatesAccepted extends X509ExtendedTrustManager {

  private final X509Certificate[] issuers;

  ClientCertificatesAccepted(X509Certificate ca) {
    this.issuers = new X509Certificate[] {ca};
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the API server's trust manager does not trust servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return issuers.clone();
  }
}
