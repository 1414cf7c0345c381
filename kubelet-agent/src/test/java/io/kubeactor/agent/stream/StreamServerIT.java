package io.kubeactor.agent.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.AgentStreamTls;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.pki.TestPki;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's streaming server against the real Docker engine: containers labelled as the pod worker
 * labels them, logs over HTTP and exec over a WebSocket speaking v5.channel.k8s.io, as the API server
 * calls them.
 */
class StreamServerIT {

  static final String IMAGE = "kubeactor-test/busybox:stream";
  static final String NODE = "stream-it-" + UUID.randomUUID().toString().substring(0, 8);
  static final ActorTestKit testKit = ActorTestKit.create();
  // the cluster's certificates: the node's, which the agent serves with, and the control plane's
  static final TestStreamTls tls = new TestStreamTls(NODE);
  static final TestPki pki = tls.pki;
  static final TestPki.Credential controlPlane = tls.controlPlane;
  static final HttpClient http = tls.httpClient();

  static DockerClient docker;
  static ServerBinding binding;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    // the test image is built from Debian's busybox-static when missing (no registry needed)
    Process build = new ProcessBuilder("sh", "src/test/scripts/build-busybox-image.sh", IMAGE).inheritIO().start();
    assertThat(build.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(build.exitValue()).as("building " + IMAGE).isZero();
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    docker = DockerClientImpl.getInstance(config,
        new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    binding = StreamServer.bind(testKit.system(), docker, config.getDockerHost(), NODE, "127.0.0.1", 0,
            tls.server(), new DockerPodNetworks(docker, NODE), null)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (docker != null) {
      for (Container c : docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(ContainerLabels.NODE, NODE)).exec()) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
      docker.close();
    }
    testKit.shutdownTestKit();
  }

  /** A container of the pod as the pod worker would create it, started. */
  static String run(String pod, String container, String... command) {
    String id = docker.createContainerCmd(IMAGE)
        .withLabels(Map.of(ContainerLabels.NODE, NODE, ContainerLabels.POD_NAMESPACE, "default",
            ContainerLabels.POD_NAME, pod, ContainerLabels.POD_UID, "uid-" + pod,
            ContainerLabels.CONTAINER_NAME, container, ContainerLabels.TYPE, ContainerLabels.TYPE_CONTAINER))
        .withCmd(command)
        .exec().getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  static void awaitExited(String id) {
    await().atMost(Duration.ofSeconds(20))
        .until(() -> !Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning()));
  }

  static HttpResponse<String> get(String path) throws Exception {
    return get(http, path);
  }

  static HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://" + base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void logsInterleaveStdoutAndStderrAndHonourTail() throws Exception {
    // stdout and stderr are two pipes: Docker orders what it reads from them by time
    String id = run("logs-pod", "main", "sh", "-c", "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three");
    awaitExited(id);
    HttpResponse<String> all = get("/containerLogs/default/logs-pod/main");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(all.body()).isEqualTo("one\ntwo\nthree\n");
    assertThat(get("/containerLogs/default/logs-pod/main?tailLines=1").body()).isEqualTo("three\n");
    assertThat(get("/containerLogs/default/logs-pod/main?tailLines=0").body()).isEmpty();
    assertThat(get("/containerLogs/default/logs-pod/main?limitBytes=6").body()).isEqualTo("one\ntw");
  }

  @Test
  void timestampsPrefixEveryLine() throws Exception {
    String id = run("stamped-pod", "main", "sh", "-c", "echo alpha; echo beta");
    awaitExited(id);
    String body = get("/containerLogs/default/stamped-pod/main?timestamps=true").body();
    assertThat(body.lines().toList()).hasSize(2).allSatisfy(line ->
        assertThat(line).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d+Z (alpha|beta)"));
  }

  @Test
  void followReceivesLinesWrittenLaterAndEndsWhenTheContainerExits() throws Exception {
    String id = run("follow-pod", "main", "sh", "-c", "echo first; exec sleep 3600");
    await().untilAsserted(() -> assertThat(get("/containerLogs/default/follow-pod/main").body()).isEqualTo("first\n"));
    HttpResponse<InputStream> followed = http.send(HttpRequest.newBuilder(
            URI.create("https://" + base + "/containerLogs/default/follow-pod/main?follow=true")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(followed.statusCode()).isEqualTo(200);
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(followed.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.add(line);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().untilAsserted(() -> assertThat(lines).containsExactly("first"));
    // written to the main process's stdout from outside, after the follow began
    String exec = docker.execCreateCmd(id).withCmd("sh", "-c", "echo later > /proc/1/fd/1").exec().getId();
    docker.execStartCmd(exec).start().awaitCompletion(10, TimeUnit.SECONDS);
    await().untilAsserted(() -> assertThat(lines).containsExactly("first", "later"));
    docker.killContainerCmd(id).exec();
    reading.get(20, TimeUnit.SECONDS);
    assertThat(lines).containsExactly("first", "later");
  }

  @Test
  void previousIsTheInstanceBeforeTheCurrentOne() throws Exception {
    String old = run("restarted-pod", "main", "sh", "-c", "echo old instance");
    awaitExited(old);
    assertThat(get("/containerLogs/default/restarted-pod/main?previous=true")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("previous terminated container \"main\" in pod \"restarted-pod\" not found");
    });
    run("restarted-pod", "main", "sh", "-c", "echo new instance; exec sleep 3600");
    await().untilAsserted(() -> assertThat(get("/containerLogs/default/restarted-pod/main").body()).isEqualTo("new instance\n"));
    assertThat(get("/containerLogs/default/restarted-pod/main?previous=true").body()).isEqualTo("old instance\n");
  }

  @Test
  void aContainerNotCreatedYetIsWaitingToStart() throws Exception {
    HttpResponse<String> r = get("/containerLogs/default/pending-pod/main");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("container \"main\" in pod \"pending-pod\" is waiting to start: ContainerCreating");
  }

  @Test
  void theControlPlaneAloneGetsInAndKnowsItReachedItsNode() throws Exception {
    run("secret-pod", "main", "sh", "-c", "echo hidden");
    assertThat(get("/containerLogs/default/secret-pod/main").body()).isEqualTo("hidden\n");
    // trusting the node's certificate, as the control plane does, but showing another or none
    TestPki.Credential otherNode = pki.issue(ClusterTls.NODE_PREFIX + "other", ClusterTls.NODES_GROUP);
    TestPki.Credential admin = pki.issue("kubernetes-admin", "system:masters");
    TestPki.Credential foreignControlPlane = TestPki.create("another-ca").issue(ClusterTls.CONTROL_PLANE);
    Map<String, HttpClient> strangers = Map.of(
        "no certificate", TestStreamTls.clientShowing(pki.ca(), null),
        "another node's", TestStreamTls.clientShowing(pki.ca(), otherNode),
        "a user's of the cluster CA", TestStreamTls.clientShowing(pki.ca(), admin),
        "the control plane's name from another CA", TestStreamTls.clientShowing(pki.ca(), foreignControlPlane));
    strangers.forEach((who, client) -> {
      assertThatThrownBy(() -> get(client, "/containerLogs/default/secret-pod/main")).as(who)
          .isInstanceOf(java.io.IOException.class);
      CompletionStage<WebSocket> ws = client.newWebSocketBuilder().subprotocols(ChannelProtocol.V5)
          .buildAsync(URI.create("wss://" + base + "/exec/default/secret-pod/main?command=ls&stdout=1"), new Channels());
      assertThat(ws).as(who).failsWithin(Duration.ofSeconds(10));
    });
    // the control plane dialling node "elsewhere" finds this node's certificate and hangs up
    HttpClient misdialled = HttpClient.newBuilder().sslContext(AgentStreamTls.clientTo("elsewhere", pki.ca(),
        controlPlane.certificate(), controlPlane.key()).sslContext()).build();
    assertThatThrownBy(() -> get(misdialled, "/containerLogs/default/secret-pod/main"))
        .isInstanceOf(java.io.IOException.class)
        .hasStackTraceContaining("does not name node elsewhere (system:node:elsewhere in system:nodes)");
  }

  @Test
  void execSeparatesStdoutAndStderrAndReportsTheExitCode() throws Exception {
    run("exec-pod", "main", "sleep", "3600");
    Channels session = exec("exec-pod", "main", ChannelProtocol.V5,
        "command=sh&command=-c&command=echo+out%3B+echo+err+%3E%262%3B+exit+3&stdout=1&stderr=1");
    session.awaitClosed();
    assertThat(session.text(ChannelProtocol.STDOUT)).isEqualTo("out\n");
    assertThat(session.text(ChannelProtocol.STDERR)).isEqualTo("err\n");
    JsonNode status = session.status();
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
    assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("ExitCode");
    assertThat(status.at("/details/causes/0/message").asText()).isEqualTo("3");
    assertThat(session.closeCode).isEqualTo(WebSocket.NORMAL_CLOSURE);
  }

  @Test
  void execFeedsStdinUntilTheClientClosesIt() throws Exception {
    run("stdin-pod", "main", "sleep", "3600");
    Channels session = exec("stdin-pod", "main", ChannelProtocol.V5, "command=cat&stdin=1&stdout=1");
    session.send(ChannelProtocol.STDIN, "hello\n".getBytes(StandardCharsets.UTF_8));
    await().untilAsserted(() -> assertThat(session.text(ChannelProtocol.STDOUT)).isEqualTo("hello\n"));
    session.send(ChannelProtocol.STDIN, "again".getBytes(StandardCharsets.UTF_8));
    // v5's close signal: stdin ends, so cat ends
    session.send(ChannelProtocol.CLOSE, new byte[] {ChannelProtocol.STDIN});
    session.awaitClosed();
    assertThat(session.text(ChannelProtocol.STDOUT)).isEqualTo("hello\nagain");
    assertThat(session.status().path("status").asText()).isEqualTo("Success");
  }

  @Test
  void execWithATerminalTakesTheClientsSize() throws Exception {
    run("tty-pod", "main", "sleep", "3600");
    Channels session = exec("tty-pod", "main", ChannelProtocol.V5, "command=sh&stdin=1&stdout=1&tty=1");
    session.send(ChannelProtocol.RESIZE, "{\"Width\":123,\"Height\":45}".getBytes(StandardCharsets.UTF_8));
    session.send(ChannelProtocol.STDIN, "stty size; exit 7\n".getBytes(StandardCharsets.UTF_8));
    session.awaitClosed();
    assertThat(session.text(ChannelProtocol.STDOUT)).contains("45 123");
    assertThat(session.text(ChannelProtocol.STDERR)).isEmpty();
    assertThat(session.status().at("/details/causes/0/message").asText()).isEqualTo("7");
  }

  @Test
  void attachJoinsTheMainProcess() throws Exception {
    String id = docker.createContainerCmd(IMAGE)
        .withLabels(Map.of(ContainerLabels.NODE, NODE, ContainerLabels.POD_NAMESPACE, "default",
            ContainerLabels.POD_NAME, "attach-pod", ContainerLabels.POD_UID, "uid-attach-pod",
            ContainerLabels.CONTAINER_NAME, "main", ContainerLabels.TYPE, ContainerLabels.TYPE_CONTAINER))
        .withStdinOpen(true).withStdInOnce(true).withAttachStdin(true)
        .withCmd("sh", "-c", "read line; echo got $line; echo bye >&2")
        .exec().getId();
    docker.startContainerCmd(id).exec();
    Channels session = new Channels();
    http.newWebSocketBuilder().subprotocols(ChannelProtocol.V5)
        .buildAsync(URI.create("wss://" + base + "/attach/default/attach-pod/main?stdin=1&stdout=1&stderr=1"), session)
        .get(20, TimeUnit.SECONDS);
    session.send(ChannelProtocol.STDIN, "hello\n".getBytes(StandardCharsets.UTF_8));
    session.awaitClosed();
    assertThat(session.text(ChannelProtocol.STDOUT)).isEqualTo("got hello\n");
    assertThat(session.text(ChannelProtocol.STDERR)).isEqualTo("bye\n");
    assertThat(session.status().path("status").asText()).isEqualTo("Success");
  }

  @Test
  void execSpeaksV4ToOlderClients() throws Exception {
    run("v4-pod", "main", "sleep", "3600");
    Channels session = exec("v4-pod", "main", ChannelProtocol.V4, "command=echo&command=hi&stdout=1");
    session.awaitClosed();
    assertThat(session.protocol).isEqualTo(ChannelProtocol.V4);
    assertThat(session.text(ChannelProtocol.STDOUT)).isEqualTo("hi\n");
    assertThat(session.status().path("status").asText()).isEqualTo("Success");
  }

  @Test
  void execErrorsAreKubeletsWords() throws Exception {
    HttpResponse<String> missing = get("/exec/default/nowhere-pod/main?command=ls&stdout=1");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("container not found (\"main\")");
    String id = run("stopped-pod", "main", "true");
    awaitExited(id);
    assertThat(get("/exec/default/stopped-pod/main?command=ls&stdout=1").body()).isEqualTo("container not found (\"main\")");
    run("running-pod", "main", "sleep", "3600");
    HttpResponse<String> noStreams = get("/exec/default/running-pod/main?command=ls");
    assertThat(noStreams.statusCode()).isEqualTo(400);
    assertThat(noStreams.body()).isEqualTo("you must specify at least 1 of stdin, stdout, stderr");
    // a client that does not upgrade to WebSocket (SPDY) learns what is spoken here
    HttpResponse<String> spdy = http.send(HttpRequest.newBuilder(URI.create("https://" + base
            + "/exec/default/running-pod/main?command=ls&stdout=1"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(spdy.statusCode()).isEqualTo(400);
    assertThat(spdy.body()).contains("v5.channel.k8s.io");
  }

  static Channels exec(String pod, String container, String protocol, String query) throws Exception {
    Channels channels = new Channels();
    WebSocket ws = http.newWebSocketBuilder().subprotocols(protocol)
        .buildAsync(URI.create("wss://" + base + "/exec/default/" + pod + "/" + container + "?" + query), channels)
        .get(20, TimeUnit.SECONDS);
    channels.protocol = ws.getSubprotocol();
    return channels;
  }

  /** A client of the channel protocol: the messages received per channel, and the close. */
  static final class Channels implements WebSocket.Listener {
    final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile WebSocket ws;
    volatile String protocol;
    volatile int closeCode = -1;
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      ws = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        messages.add(partial.toByteArray());
        partial.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode = statusCode;
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    void send(byte channel, byte[] data) {
      byte[] message = new byte[data.length + 1];
      message[0] = channel;
      System.arraycopy(data, 0, message, 1, data.length);
      ws.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    void awaitClosed() throws Exception {
      closed.get(30, TimeUnit.SECONDS);
    }

    String text(byte channel) {
      StringBuilder s = new StringBuilder();
      synchronized (messages) {
        for (byte[] m : messages) {
          if (m.length > 0 && m[0] == channel) s.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
        }
      }
      return s.toString();
    }

    JsonNode status() {
      return Json.parse(text(ChannelProtocol.ERROR).getBytes(StandardCharsets.UTF_8));
    }
  }
}
