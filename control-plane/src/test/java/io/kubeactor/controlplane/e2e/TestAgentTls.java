package io.kubeactor.controlplane.e2e;

import io.kubeactor.common.cluster.AgentStreamTls;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.controlplane.apiserver.AgentConnections;
import io.kubeactor.controlplane.security.ClusterCertificates;
import java.util.List;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/** The TLS of a node's streaming server for a test's stand-in agent, with certificates of the test cluster's CA. */
public final class TestAgentTls {
  private TestAgentTls() {}

  /** The agent's end for {@code node}: its node certificate (issued into the cluster's pki directory). */
  public static AgentStreamTls agent(ClusterCertificates certificates, String node) {
    ClusterCertificates.ClientCredential credential = certificates.loadOrIssueClient("test-node-" + node,
        ClusterTls.NODE_PREFIX + node, List.of(ClusterTls.NODES_GROUP));
    return AgentStreamTls.server(certificates.ca(), credential.certificate(), credential.key());
  }

  /** As {@link #agent}, for a Pekko HTTP server's {@code enableHttps}. */
  public static HttpsConnectionContext agentServer(ClusterCertificates certificates, String node) {
    AgentStreamTls tls = agent(certificates, node);
    return ConnectionContext.httpsServer(() -> tls.newEngine(null, -1));
  }

  /** The API server's end, for an API server without a control plane around it. */
  public static AgentConnections apiServer(ClusterCertificates certificates) {
    ClusterCertificates.ClientCredential member = certificates.controlPlane();
    return new AgentConnections(certificates.ca(), member.certificate(), member.key());
  }
}
