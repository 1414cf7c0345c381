package io.kubeactor.controlplane.apiserver;

import io.kubeactor.common.cluster.AgentStreamTls;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * How the API server connects to node agents' streaming servers (kube-apiserver's kubelet client
 * config): TLS with the control plane's cluster certificate, trusting only the certificate of the node
 * the request is for.
 */
public final class AgentConnections {

  private final X509Certificate ca;
  private final X509Certificate certificate;
  private final PrivateKey key;
  /** One context per node name ever dialled: as many as the cluster has had nodes. */
  private final Map<String, HttpsConnectionContext> byNode = new ConcurrentHashMap<>();

  /** {@code certificate} and {@code key}: the control plane's, of the cluster CA {@code ca}. */
  public AgentConnections(X509Certificate ca, X509Certificate certificate, PrivateKey key) {
    this.ca = ca;
    this.certificate = certificate;
    this.key = key;
  }

  /** The TLS for a connection to the agent of {@code node}. */
  public HttpsConnectionContext to(String node) {
    return byNode.computeIfAbsent(node, n -> {
      AgentStreamTls tls = AgentStreamTls.clientTo(n, ca, certificate, key);
      return ConnectionContext.httpsClient(tls::newEngine);
    });
  }
}
