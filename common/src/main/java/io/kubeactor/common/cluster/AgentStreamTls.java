package io.kubeactor.common.cluster;

import io.kubeactor.common.pki.CaIdentityTrust;
import io.kubeactor.common.pki.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS between the API server and a node agent's streaming server (kubelet's port 10250: logs,
 * exec, attach, port-forward, metrics), mutually authenticated with the certificates the two join the
 * cluster with: the agent serves with its node's certificate and lets in the control plane alone; the
 * control plane shows its own and checks that the agent it dialled is the node it meant. kube-apiserver
 * has the same two ends (--kubelet-client-certificate, --kubelet-certificate-authority), but kubeadm
 * leaves the second unset and kubelet serves with a self-signed certificate; here both are checked.
 */
public final class AgentStreamTls {

  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private final SSLContext context;
  private final boolean server;

  private AgentStreamTls(SSLContext context, boolean server) {
    this.context = context;
    this.server = server;
  }

  /** The agent's end: its node's certificate and key; only the control plane may connect. */
  public static AgentStreamTls server(X509Certificate ca, X509Certificate nodeCertificate, PrivateKey nodeKey) {
    return new AgentStreamTls(context(nodeCertificate, nodeKey, ca, new CaIdentityTrust(ca,
        c -> ClusterTls.memberIdentity(c).equals(Optional.of(ClusterTls.CONTROL_PLANE)),
        "the control plane (" + ClusterTls.CONTROL_PLANE + ")", "a connection to the node's streaming server")), true);
  }

  /** The control plane's end, for the agent of {@code node}: the control plane's certificate and key. */
  public static AgentStreamTls clientTo(String node, X509Certificate ca, X509Certificate controlPlaneCertificate,
      PrivateKey controlPlaneKey) {
    String identity = ClusterTls.NODE_PREFIX + node;
    return new AgentStreamTls(context(controlPlaneCertificate, controlPlaneKey, ca, new CaIdentityTrust(ca,
        c -> ClusterTls.memberIdentity(c).equals(Optional.of(identity)),
        "node " + node + " (" + identity + " in " + ClusterTls.NODES_GROUP + ")", "node " + node + "'s streaming server")),
        false);
  }

  private static SSLContext context(X509Certificate certificate, PrivateKey key, X509Certificate ca,
      X509ExtendedTrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(KeyMaterial.keyManagers(key, certificate, ca), new X509ExtendedTrustManager[] {trust}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the TLS of a node's streaming server: " + e.getMessage(), e);
    }
  }

  /** The context, for a client that makes its own engines (a server's engines must come from {@link #newEngine}). */
  public SSLContext sslContext() {
    return context;
  }

  /** An engine for one connection: a server's asks for the client's certificate. */
  public SSLEngine newEngine(String host, int port) {
    SSLEngine engine = host == null ? context.createSSLEngine() : context.createSSLEngine(host, port);
    engine.setUseClientMode(!server);
    if (server) engine.setNeedClientAuth(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }
}
