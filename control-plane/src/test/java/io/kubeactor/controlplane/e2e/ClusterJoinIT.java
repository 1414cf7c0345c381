package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.ActorSystemTermination;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.cluster.NodeProof;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.common.pki.KeyMaterial;
import io.kubeactor.controlplane.security.ClusterCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.SSLEngineProviderSetup;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The cluster port as an intruder and a rogue node meet it: a process with a certificate of another
 * CA is refused at the TLS handshake and the refusal logged; a node's certificate of the cluster CA
 * registers only as that node; and what a node sends on its session is held to NodeRestriction (the
 * status of another node's pod is refused, its own pod's is written).
 */
class ClusterJoinIT {

  static TestCluster cluster;
  static Path dir;
  private final List<ActorSystem<?>> members = new ArrayList<>();
  private ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kubeactor-join");
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void leave() throws Exception {
    for (ActorSystem<?> s : members) {
      ActorSystemTermination.terminate(s, Duration.ofSeconds(30));
    }
    for (String name : List.of("io.kubeactor.common.pki.CaIdentityTrust", "io.kubeactor.controlplane.node.NodeGateway")) {
      ((Logger) LoggerFactory.getLogger(name)).detachAppender(logs);
    }
  }

  private void captureLogs() {
    logs = new ListAppender<>();
    logs.start();
    for (String name : List.of("io.kubeactor.common.pki.CaIdentityTrust", "io.kubeactor.controlplane.node.NodeGateway")) {
      ((Logger) LoggerFactory.getLogger(name)).addAppender(logs);
    }
  }

  private boolean logged(String text) {
    return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
  }

  @Test
  void aProcessWithACertificateOfAnotherCaIsRefusedAndLogged() throws Exception {
    captureLogs();
    var stranger = ClusterCertificates.loadOrCreate(dir.resolve("other-ca"), List.of(), List.of())
        .loadOrIssueClient("intruder", "system:node:intruder", List.of("system:nodes"));
    // an intruder trusts whatever it meets; the control plane must still turn it away
    ActorSystem<Void> intruder = member(SSLEngineProviderSetup.create(s -> new TrustingProvider(stranger)));
    Address address = Cluster.get(intruder).selfMember().address();
    Cluster.get(intruder).manager().tell(new JoinSeedNodes(List.of(controlPlaneAddress())));
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> logged(
        "refused a cluster connection with a process that connected: its certificate (CN=system:node:intruder,O=system:nodes)"
            + " is not one of the cluster CA"));
    assertThat(Cluster.get(cluster.controlPlane().system()).state().getMembers())
        .noneMatch(m -> m.address().equals(address));
  }

  @Test
  void aNodeRegistersAsItselfOnlyAndChangesOnlyItsOwnPods() throws Exception {
    captureLogs();
    cluster.kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: on-n1, namespace: default}
        spec: {nodeName: n1, containers: [{name: c, image: busybox}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: on-n2, namespace: default}
        spec: {nodeName: n2, containers: [{name: c, image: busybox}]}
        """, "apply", "-f", "-").outOrFail();
    ClusterCertificates certificates = cluster.controlPlane().certificates();
    var n1 = certificates.loadOrIssueClient("join-it-n1", "system:node:n1", List.of("system:nodes"));
    ActorSystem<Void> node = member(ClusterTls.of(certificates.ca(), n1.certificate(), n1.key()).setup());
    Cluster.get(node).manager().tell(new JoinSeedNodes(List.of(controlPlaneAddress())));

    TestProbe<Receptionist.Listing> listings = TestProbe.create(node);
    ActorRef<NodeProtocol.ToGateway> gateway = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      node.receptionist().tell(Receptionist.find(NodeProtocol.GATEWAY, listings.ref()));
      var found = listings.receiveMessage(Duration.ofSeconds(5)).getServiceInstances(NodeProtocol.GATEWAY);
      return found.isEmpty() ? null : found.iterator().next();
    }, g -> g != null);
    TestProbe<NodeProtocol.ToAgent> agent = TestProbe.create(node);
    String agentRef = ActorRefResolver.get(node).toSerializationFormat(agent.ref());
    byte[] certificate = n1.certificate().getEncoded();

    // n1's certificate claiming n2: refused, with the reason
    gateway.tell(new NodeProtocol.RegisterNode(nodeObject("n2"), new AgentEndpoint("127.0.0.1", 1), agent.ref(), "d",
        certificate, NodeProof.sign(n1.key(), "n2", agentRef)));
    NodeProtocol.Refused refused = agent.expectMessageClass(NodeProtocol.Refused.class, Duration.ofSeconds(30));
    assertThat(refused.reason()).isEqualTo("node n2 was refused: its certificate (CN=system:node:n1,O=system:nodes) is not node n2's");
    assertThat(cluster.kubectl("get", "node", "n2").exitCode()).isNotZero();

    // as itself: registered, on a session of its own
    gateway.tell(new NodeProtocol.RegisterNode(nodeObject("n1"), new AgentEndpoint("127.0.0.1", 1), agent.ref(), "d",
        certificate, NodeProof.sign(n1.key(), "n1", agentRef)));
    NodeProtocol.Registered registered = agent.expectMessageClass(NodeProtocol.Registered.class, Duration.ofSeconds(30));
    assertThat(registered.session()).isNotEqualTo(gateway);

    // another node's pod first, then its own: the first is refused, the second written
    registered.session().tell(new NodeProtocol.PodStatusReport("default", "on-n2", uid("on-n2"), running()));
    registered.session().tell(new NodeProtocol.PodStatusReport("default", "on-n1", uid("on-n1"), running()));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.kubectl("get", "pod", "on-n1", "-o", "jsonpath={.status.phase}").out().equals("Running"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> logged(
        "refused node n1: pods \"on-n2\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself"));
    assertThat(cluster.kubectl("get", "pod", "on-n2", "-o", "jsonpath={.status.phase}").out()).isNotEqualTo("Running");

    // the same message straight to the gateway, outside the session, counts for nothing
    gateway.tell(new NodeProtocol.PodStatusReport("default", "on-n1", uid("on-n1"), running()));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> logged("ignored a PodStatusReport sent outside a node's session"));
  }

  private static String uid(String pod) {
    return cluster.kubectl("get", "pod", pod, "-o", "jsonpath={.metadata.uid}").out();
  }

  private static ObjectNode running() {
    ObjectNode status = Json.object();
    status.put("phase", "Running");
    return status;
  }

  private static ObjectNode nodeObject(String name) {
    ObjectNode node = Json.object();
    node.put("apiVersion", "v1").put("kind", "Node");
    node.putObject("metadata").put("name", name);
    return node;
  }

  private static Address controlPlaneAddress() {
    return Cluster.get(cluster.controlPlane().system()).selfMember().address();
  }

  private ActorSystem<Void> member(SSLEngineProviderSetup tls) {
    Config config = ConfigFactory.parseMap(Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", 0,
        "pekko.cluster.roles", List.of("kubelet"))).withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kubeactor",
        ActorSystemSetup.create(BootstrapSetup.create(config), tls));
    members.add(system);
    return system;
  }

  /** An intruder's TLS: its own certificate, and trust in anything. */
  private static final class TrustingProvider implements SSLEngineProvider {
    private final SSLContext context;

    TrustingProvider(ClusterCertificates.ClientCredential credential) {
      try {
        context = SSLContext.getInstance("TLSv1.3");
        context.init(KeyMaterial.keyManagers(credential.key(), credential.certificate()),
            io.kubeactor.common.InsecureTls.trustManagers(), new SecureRandom());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
      SSLEngine engine = context.createSSLEngine(hostname, port);
      engine.setUseClientMode(false);
      engine.setWantClientAuth(true);
      return engine;
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
      SSLEngine engine = context.createSSLEngine(hostname, port);
      engine.setUseClientMode(true);
      return engine;
    }

    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
      return Option.empty();
    }

    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
      return Option.empty();
    }
  }
}
