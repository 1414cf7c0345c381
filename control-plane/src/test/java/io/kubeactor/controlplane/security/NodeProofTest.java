package io.kubeactor.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.common.cluster.NodeProof;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's registration is taken only when signed by the key of that node's certificate of the cluster CA. */
class NodeProofTest {

  private static final String AGENT = "pekko://kubeactor@127.0.0.1:40001/user/node/inbox-0f1e#123";

  @TempDir
  Path cluster;
  @TempDir
  Path elsewhere;

  @Test
  void theNodesOwnSignedRegistrationIsTaken() throws Exception {
    var ca = ClusterCertificates.loadOrCreate(cluster, List.of(), List.of());
    var n1 = ca.loadOrIssueClient("n1", "system:node:n1", List.of("system:nodes"));
    byte[] signature = NodeProof.sign(n1.key(), "n1", AGENT);
    assertThat(NodeProof.refusal(ca.ca(), n1.certificate().getEncoded(), signature, "n1", AGENT, Instant.now())).isEmpty();
  }

  @Test
  void anotherNodesNameAnotherAgentAnotherCaOrNoProofAreRefused() throws Exception {
    var ca = ClusterCertificates.loadOrCreate(cluster, List.of(), List.of());
    var n1 = ca.loadOrIssueClient("n1", "system:node:n1", List.of("system:nodes"));
    byte[] cert = n1.certificate().getEncoded();
    Instant now = Instant.now();
    // n1's certificate cannot register n2, even with n2's name signed
    assertThat(NodeProof.refusal(ca.ca(), cert, NodeProof.sign(n1.key(), "n2", AGENT), "n2", AGENT, now))
        .hasValueSatisfying(r -> assertThat(r).contains("is not node n2's"));
    // a signature for another actor is no proof for this one
    assertThat(NodeProof.refusal(ca.ca(), cert, NodeProof.sign(n1.key(), "n1", AGENT), "n1", AGENT + "0", now))
        .contains("its registration is not signed by the key of its certificate");
    // the certificate of another CA
    var stranger = ClusterCertificates.loadOrCreate(elsewhere, List.of(), List.of()).loadOrIssueClient("n1", "system:node:n1",
        List.of("system:nodes"));
    assertThat(NodeProof.refusal(ca.ca(), stranger.certificate().getEncoded(), NodeProof.sign(stranger.key(), "n1", AGENT),
        "n1", AGENT, now)).hasValueSatisfying(r -> assertThat(r).startsWith("its certificate is not a valid one of the cluster CA"));
    // a user's certificate of the cluster CA
    var admin = ca.loadOrIssueClient("admin", "kubernetes-admin", List.of("system:masters"));
    assertThat(NodeProof.refusal(ca.ca(), admin.certificate().getEncoded(), NodeProof.sign(admin.key(), "n1", AGENT), "n1",
        AGENT, now)).hasValueSatisfying(r -> assertThat(r).contains("is not node n1's"));
    // an agent from before node certificates: no proof
    assertThat(NodeProof.refusal(ca.ca(), null, null, "n1", AGENT, now)).contains("it showed no client certificate of the cluster CA");
    // an expired certificate
    assertThat(NodeProof.refusal(ca.ca(), cert, NodeProof.sign(n1.key(), "n1", AGENT), "n1", AGENT, now.plusSeconds(400L * 86400)))
        .hasValueSatisfying(r -> assertThat(r).startsWith("its certificate is not a valid one of the cluster CA"));
    // garbage
    assertThat(NodeProof.refusal(ca.ca(), new byte[] {1, 2, 3}, new byte[] {4}, "n1", AGENT, now)).isPresent();
  }
}
