package io.kubeactor.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.cluster.ActorSystemTermination;
import io.kubeactor.common.cluster.ClusterTls;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.pattern.Patterns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster transport's TLS: members of the cluster CA talk; another CA's certificate, or a user's, is refused. */
class ClusterTlsTest {

  @TempDir
  Path cluster;
  @TempDir
  Path elsewhere;

  private ClusterCertificates certificates;
  private ClusterTls controlPlane;
  private ClusterTls node;
  private final java.util.List<ActorSystem> systems = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() {
    certificates = ClusterCertificates.loadOrCreate(cluster, List.of(), List.of());
    controlPlane = tls(certificates, "cp", ClusterTls.CONTROL_PLANE, List.of());
    node = tls(certificates, "n1", "system:node:n1", List.of("system:nodes"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ActorSystem s : systems) {
      ActorSystemTermination.terminate(org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(s), java.time.Duration.ofSeconds(20));
    }
  }

  private static ClusterTls tls(ClusterCertificates ca, String file, String commonName, List<String> groups) {
    var credential = ca.loadOrIssueClient(file, commonName, groups);
    return ClusterTls.of(ca.ca(), credential.certificate(), credential.key());
  }

  @Test
  void membersOfTheClusterCaAcceptEachOtherBothWays() throws Exception {
    handshake(node.createClientSSLEngine("cp", 1), controlPlane.createServerSSLEngine("cp", 1));
    handshake(controlPlane.createClientSSLEngine("n1", 1), node.createServerSSLEngine("n1", 1));
    // nodes gossip with each other too
    ClusterTls other = tls(certificates, "n2", "system:node:n2", List.of("system:nodes"));
    handshake(other.createClientSSLEngine("n1", 1), node.createServerSSLEngine("n1", 1));
  }

  @Test
  void aNodeCertificateOfAnotherCaIsRefused() {
    ClusterTls stranger = tls(ClusterCertificates.loadOrCreate(elsewhere, List.of(), List.of()), "n1", "system:node:n1",
        List.of("system:nodes"));
    assertThatThrownBy(() -> handshake(stranger.createClientSSLEngine("cp", 1), controlPlane.createServerSSLEngine("cp", 1)))
        .isInstanceOf(SSLException.class).hasStackTraceContaining("is not one of the cluster CA");
    // nor does a member connect to a process of another CA
    assertThatThrownBy(() -> handshake(node.createClientSSLEngine("x", 1), stranger.createServerSSLEngine("x", 1)))
        .isInstanceOf(SSLException.class).hasStackTraceContaining("is not one of the cluster CA");
  }

  @Test
  void aUserCertificateOfTheClusterCaIsNoMember() {
    ClusterTls admin = tls(certificates, "admin", "kubernetes-admin", List.of("system:masters"));
    assertThatThrownBy(() -> handshake(admin.createClientSSLEngine("cp", 1), controlPlane.createServerSSLEngine("cp", 1)))
        .isInstanceOf(SSLException.class).hasStackTraceContaining("CN=kubernetes-admin").hasStackTraceContaining("does not name a cluster member");
    // a node's name without the group is no node either
    ClusterTls groupless = tls(certificates, "n3", "system:node:n3", List.of());
    assertThatThrownBy(() -> handshake(groupless.createClientSSLEngine("cp", 1), controlPlane.createServerSSLEngine("cp", 1)))
        .isInstanceOf(SSLException.class).hasStackTraceContaining("does not name a cluster member");
  }

  @Test
  void aClientWithoutCertificateIsRefused() {
    // one that trusts anything but shows nothing: the cluster asks every peer for its certificate
    SSLEngine anonymous = io.kubeactor.common.InsecureTls.context().createSSLEngine("cp", 1);
    anonymous.setUseClientMode(true);
    assertThatThrownBy(() -> handshake(anonymous, controlPlane.createServerSSLEngine("cp", 1)))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void actorSystemsTalkOverArteryTls() throws Exception {
    ActorSystem server = system(controlPlane);
    server.actorOf(Props.create(Echo.class), "echo");
    ActorSystem client = system(node);
    int port = server.provider().getDefaultAddress().getPort().get();
    Object reply = Patterns.ask(client.actorSelection("pekko://kubeactor@127.0.0.1:" + port + "/user/echo"), "hello",
        Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(reply).isEqualTo("hello");
  }

  private ActorSystem system(ClusterTls tls) {
    Config config = ConfigFactory.parseMap(Map.of(
        "pekko.actor.provider", "remote",
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", 0,
        "pekko.actor.allow-java-serialization", "on",
        "pekko.actor.warn-about-java-serializer-usage", "off")).withFallback(ConfigFactory.load());
    ActorSystem s = ActorSystem.create("kubeactor", ActorSystemSetup.create(BootstrapSetup.create(config), tls.setup()));
    systems.add(s);
    return s;
  }

  /** Replies with what it got. */
  public static final class Echo extends AbstractActor {
    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
    }
  }

  /** Runs a TLS handshake between two engines in memory; throws the SSLException either side raises. */
  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 200; round++) {
      if (done(client) && done(server)) return;
      step(client, empty, toServer, toClient, sink);
      step(server, empty, toClient, toServer, sink);
    }
    throw new AssertionError("the handshake did not finish");
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus s = engine.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
      throws SSLException {
    HandshakeStatus status = engine.getHandshakeStatus();
    while (status == HandshakeStatus.NEED_TASK) {
      Runnable task;
      while ((task = engine.getDelegatedTask()) != null) task.run();
      status = engine.getHandshakeStatus();
    }
    if (status == HandshakeStatus.NEED_WRAP) {
      engine.wrap(empty, out);
    } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
      in.flip();
      engine.unwrap(in, sink);
      in.compact();
      sink.clear();
    }
  }
}
