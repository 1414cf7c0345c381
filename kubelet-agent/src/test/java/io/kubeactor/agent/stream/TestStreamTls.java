package io.kubeactor.agent.stream;

import io.kubeactor.common.cluster.AgentStreamTls;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.pki.CaIdentityTrust;
import io.kubeactor.common.pki.KeyMaterial;
import io.kubeactor.common.pki.TestPki;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/** The two ends of a node's streaming server's TLS, with certificates of a test CA: the node's and the control plane's. */
final class TestStreamTls {

  final TestPki pki = TestPki.create("test-cluster-ca");
  final String node;
  final TestPki.Credential controlPlane = pki.issue(ClusterTls.CONTROL_PLANE);
  private final TestPki.Credential nodeCredential;

  TestStreamTls(String node) {
    this.node = node;
    this.nodeCredential = pki.issue(ClusterTls.NODE_PREFIX + node, ClusterTls.NODES_GROUP);
  }

  /** The agent's end. */
  AgentStreamTls server() {
    return AgentStreamTls.server(pki.ca(), nodeCredential.certificate(), nodeCredential.key());
  }

  /** The control plane's end, dialling this node. */
  AgentStreamTls controlPlane() {
    return AgentStreamTls.clientTo(node, pki.ca(), controlPlane.certificate(), controlPlane.key());
  }

  /** A JDK client as the control plane. */
  HttpClient httpClient() {
    return HttpClient.newBuilder().sslContext(controlPlane().sslContext()).build();
  }

  /**
   * A JDK client that trusts any server of the test CA and shows {@code shown} (none when null),
   * with the CA it was issued by.
   */
  static HttpClient clientShowing(X509Certificate ca, TestPki.Credential shown) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(shown == null ? null : KeyMaterial.keyManagers(shown.key(), shown.certificate()),
          new TrustManager[] {new CaIdentityTrust(ca, c -> true, "any member", "a test's connection")}, null);
      return HttpClient.newBuilder().sslContext(context).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Pekko's client TLS as the control plane. */
  HttpsConnectionContext pekkoClient() {
    AgentStreamTls tls = controlPlane();
    return ConnectionContext.httpsClient(tls::newEngine);
  }
}
