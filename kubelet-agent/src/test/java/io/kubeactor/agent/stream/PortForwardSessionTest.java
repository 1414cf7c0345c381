package io.kubeactor.agent.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.kubeactor.agent.stream.spdy.SpdyCodec;
import io.kubeactor.agent.stream.spdy.SpdyFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's port-forward over the WebSocket tunnel, spoken to as kubectl speaks (SPDY/3.1 frames in
 * binary messages, an error and a data stream per connection) with a "pod" that is a socket server on
 * 127.0.0.1. No Docker: the pod's network is given.
 */
class PortForwardSessionTest {

  static final TestStreamTls tls = new TestStreamTls("node-1");
  static final String SANDBOX = "0123456789abcdef";
  /** With the agent's own configuration (its HTTP settings); the test's client reads the subprotocol as the API server does. */
  static final ActorTestKit testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
      "pekko.http.client.parsing.ignore-illegal-header-for = [\"sec-websocket-protocol\"]")
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  static final HttpClient http = tls.httpClient();

  static ServerBinding binding;
  static ServerSocket pod;
  /** What the pod's server saw: each connection's first line, and the connections it saw end. */
  static final List<String> lines = new CopyOnWriteArrayList<>();
  static final AtomicInteger podConnectionsEnded = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    pod = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      while (!pod.isClosed()) {
        try {
          Socket s = pod.accept();
          new Thread(() -> serve(s)).start();
        } catch (IOException closed) {
          return;
        }
      }
    });
    accept.setDaemon(true);
    accept.start();
    // never used: port-forward finds the pod's network through the PodNetworks given
    DockerClient docker = DockerClientImpl.getInstance(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///nonexistent.sock").build(),
        new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///nonexistent.sock")).build());
    PodNetworks networks = (namespace, name) -> {
      if (!name.equals("web")) throw new StreamException(404, "pod does not exist");
      return new PodNetworks.PodNetwork(SANDBOX, "127.0.0.1");
    };
    binding = StreamServer.bind(testKit.system(), docker, URI.create("unix:///nonexistent.sock"), "node-1",
        "127.0.0.1", 0, tls.server(), networks, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * A line-echoing server: "quit" ends the connection from its side, "wait" reads until the client
   * ends (half-close), anything else is answered and the connection stays open.
   */
  static void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      StringBuilder line = new StringBuilder();
      for (int c; (c = in.read()) != -1; ) {
        if (c != '\n') {
          line.append((char) c);
          continue;
        }
        String l = line.toString();
        line.setLength(0);
        lines.add(l);
        out.write(("echo: " + l + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (l.equals("quit")) return;
      }
      // the client's end of input: answered with what was read without a newline, then closed
      if (line.length() > 0) out.write(("rest: " + line + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the client went away
    } finally {
      podConnectionsEnded.incrementAndGet();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pod.close();
    testKit.shutdownTestKit();
  }

  /**
   * kubectl's end of a session: frames out through its own codec, frames in as they are decoded.
   * (Pekko's client: the JDK's refuses "SPDY/3.1+portforward.k8s.io", which is not a token.)
   */
  static final class Kubectl {
    final SpdyCodec codec = new SpdyCodec();
    final BlockingQueue<SpdyFrame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Done> closed = new CompletableFuture<>();
    SourceQueueWithComplete<Message> outgoing;
    UniqueKillSwitch kill;

    static Kubectl open(String pod) throws Exception {
      Kubectl k = new Kubectl();
      Materializer mat = Materializer.matFromSystem(testKit.system());
      Pair<SourceQueueWithComplete<Message>, Source<Message, NotUsed>> queue =
          Source.<Message>queue(64, OverflowStrategy.backpressure()).preMaterialize(mat);
      k.outgoing = queue.first();
      Pair<UniqueKillSwitch, Source<Message, NotUsed>> killable =
          queue.second().viaMat(KillSwitches.single(), Keep.right()).preMaterialize(mat);
      k.kill = killable.first();
      // a message may come in pieces: read whole without blocking the stream that brings the pieces
      Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
          .mapAsync(1, m -> m.asBinaryMessage().toStrict(10_000, mat))
          .toMat(Sink.foreach(m -> k.frames.addAll(k.codec.decode(m.getStrictData()))), Keep.right());
      Flow<Message, Message, CompletionStage<Done>> flow = Flow.fromSinkAndSourceMat(in, killable.second(), Keep.left());
      Pair<CompletionStage<WebSocketUpgradeResponse>, CompletionStage<Done>> r = Http.get(testKit.system())
          .singleWebSocketRequest(WebSocketRequest.create("wss://127.0.0.1:" + binding.localAddress().getPort()
              + "/portForward/default/" + pod)
              // as the API server asks: Pekko's own subprotocol header would have to be a token
              .addHeader(RawHeader.create("Sec-WebSocket-Protocol", StreamServer.PORT_FORWARD_PROTOCOL)), flow,
              tls.pekkoClient(), java.util.Optional.empty(),
              org.apache.pekko.http.javadsl.settings.ClientConnectionSettings.create(testKit.system().settings().config()),
              testKit.system().classicSystem().log(), mat);
      WebSocketUpgradeResponse upgrade = r.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(upgrade.isValid()).as("upgraded").isTrue();
      assertThat(upgrade.response().getHeader("Sec-WebSocket-Protocol").map(h -> h.value()))
          .contains(StreamServer.PORT_FORWARD_PROTOCOL);
      r.second().whenComplete((d, e) -> k.closed.complete(Done.getInstance()));
      return k;
    }

    synchronized void send(SpdyFrame f) {
      outgoing.offer(BinaryMessage.create(codec.encode(f))).toCompletableFuture().join();
    }

    /** As a killed kubectl: the connection is cut, no goodbye. */
    void abort() {
      kill.abort(new RuntimeException("killed"));
    }

    void openPair(int errorStream, int port, String requestId) {
      send(new SpdyFrame.SynStream(errorStream, 0, 0, false, false, headers("error", port, requestId)));
      send(new SpdyFrame.SynStream(errorStream + 2, 0, 0, false, false, headers("data", port, requestId)));
    }

    SpdyFrame next() throws InterruptedException {
      SpdyFrame f = frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 10 s").isNotNull();
      return f;
    }

    /** Frames until both streams of a connection have ended: what each stream carried, by stream id. */
    Map<Integer, String> untilEnded(int errorStream, int dataStream) throws InterruptedException {
      Map<Integer, StringBuilder> data = new LinkedHashMap<>();
      data.put(errorStream, new StringBuilder());
      data.put(dataStream, new StringBuilder());
      List<Integer> ended = new ArrayList<>();
      while (ended.size() < 2) {
        SpdyFrame f = next();
        if (f instanceof SpdyFrame.Data d && data.containsKey(d.streamId())) {
          data.get(d.streamId()).append(d.data().utf8String());
          if (d.last()) ended.add(d.streamId());
        }
      }
      Map<Integer, String> result = new LinkedHashMap<>();
      data.forEach((k, v) -> result.put(k, v.toString()));
      return result;
    }
  }

  static SpdyFrame.HeaderBlock headers(String type, int port, String requestId) {
    return new SpdyFrame.HeaderBlock(Map.of("streamtype", List.of(type), "port", List.of(Integer.toString(port)),
        "requestid", List.of(requestId)), false);
  }

  static SpdyFrame.Data data(int stream, String text) {
    return new SpdyFrame.Data(stream, false, ByteString.fromString(text));
  }

  @Test
  void forwardsAConnectionBothWaysAndEndsItWhenThePodDoes() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.openPair(1, pod.getLocalPort(), "0");
    assertThat(k.next()).isEqualTo(new SpdyFrame.SynReply(1, false, SpdyFrame.HeaderBlock.EMPTY));
    assertThat(k.next()).isEqualTo(new SpdyFrame.SynReply(3, false, SpdyFrame.HeaderBlock.EMPTY));
    k.send(data(3, "hello\nquit\n"));
    Map<Integer, String> got = k.untilEnded(1, 3);
    assertThat(got.get(3)).isEqualTo("echo: hello\necho: quit\n");
    assertThat(got.get(1)).as("no error").isEmpty();
    k.abort();
  }

  @Test
  void theClientsEndOfInputReachesThePodWhichAnswersWithinTheGrace() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.openPair(1, pod.getLocalPort(), "0");
    k.send(new SpdyFrame.Data(3, true, ByteString.fromString("no newline")));
    Map<Integer, String> got = k.untilEnded(1, 3);
    assertThat(got.get(3)).isEqualTo("rest: no newline\n");
    assertThat(got.get(1)).isEmpty();
    k.abort();
  }

  @Test
  void aPortWithNothingListeningGivesKubeletsErrorAndTheSessionGoesOn() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Kubectl k = Kubectl.open("web");
    k.openPair(1, closedPort, "0");
    Map<Integer, String> got = k.untilEnded(1, 3);
    assertThat(got.get(1)).isEqualTo("error forwarding port " + closedPort + " to pod " + SANDBOX + ", uid : "
        + "failed to connect to 127.0.0.1:" + closedPort + " in the pod's network: dial tcp4 127.0.0.1:" + closedPort
        + ": connect: connection refused");
    assertThat(got.get(3)).isEmpty();
    // the next connection of the same session works
    k.openPair(5, pod.getLocalPort(), "1");
    k.send(data(7, "again\nquit\n"));
    assertThat(k.untilEnded(5, 7).get(7)).isEqualTo("echo: again\necho: quit\n");
    k.abort();
  }

  @Test
  void megabytesBothWaysAtOnceArriveWhole() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.openPair(1, pod.getLocalPort(), "0");
    StringBuilder expected = new StringBuilder();
    StringBuilder chunk = new StringBuilder();
    String padding = "x".repeat(200);
    for (int i = 0; i < 20_000; i++) {
      String line = i + padding;
      expected.append("echo: ").append(line).append("\n");
      chunk.append(line).append("\n");
      if (chunk.length() > 60_000) {
        k.send(data(3, chunk.toString()));
        chunk.setLength(0);
      }
    }
    k.send(data(3, chunk + "quit\n"));
    expected.append("echo: quit\n");
    assertThat(k.untilEnded(1, 3).get(3)).isEqualTo(expected.toString());
    k.abort();
  }

  @Test
  void severalConnectionsAtOnceStayApart() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.openPair(1, pod.getLocalPort(), "0");
    k.openPair(5, pod.getLocalPort(), "1");
    k.openPair(9, pod.getLocalPort(), "2");
    k.send(data(11, "third\n"));
    k.send(data(3, "first\n"));
    k.send(data(7, "second\n"));
    k.send(data(3, "quit\n"));
    k.send(data(7, "quit\n"));
    k.send(data(11, "quit\n"));
    Map<Integer, StringBuilder> byStream = new LinkedHashMap<>(Map.of(3, new StringBuilder(), 7, new StringBuilder(),
        11, new StringBuilder()));
    int fins = 0;
    while (fins < 6) {
      SpdyFrame f = k.next();
      if (f instanceof SpdyFrame.Data d) {
        if (byStream.containsKey(d.streamId())) byStream.get(d.streamId()).append(d.data().utf8String());
        if (d.last()) fins++;
      }
    }
    assertThat(byStream.get(3).toString()).isEqualTo("echo: first\necho: quit\n");
    assertThat(byStream.get(7).toString()).isEqualTo("echo: second\necho: quit\n");
    assertThat(byStream.get(11).toString()).isEqualTo("echo: third\necho: quit\n");
    k.abort();
  }

  @Test
  void aResetOfTheDataStreamClosesThePodsConnectionAndEndsTheErrorStream() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.openPair(1, pod.getLocalPort(), "0");
    k.send(data(3, "stay\n"));
    StringBuilder echoed = new StringBuilder();
    while (!echoed.toString().equals("echo: stay\n")) {
      if (k.next() instanceof SpdyFrame.Data d && d.streamId() == 3) echoed.append(d.data().utf8String());
    }
    int endedBefore = podConnectionsEnded.get();
    k.send(new SpdyFrame.RstStream(3, SpdyFrame.CANCEL));
    SpdyFrame f;
    do {
      f = k.next();
    } while (!(f instanceof SpdyFrame.Data d && d.streamId() == 1 && d.last()));
    await().atMost(Duration.ofSeconds(10)).until(() -> podConnectionsEnded.get() > endedBefore);
    k.abort();
  }

  @Test
  void whenKubectlGoesAwayThePodsConnectionsAreClosed() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.openPair(1, pod.getLocalPort(), "0");
    k.openPair(5, pod.getLocalPort(), "1");
    k.send(data(3, "a\n"));
    k.send(data(7, "b\n"));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("a") && lines.contains("b"));
    int endedBefore = podConnectionsEnded.get();
    k.abort(); // as a killed kubectl: no goodbye
    await().atMost(Duration.ofSeconds(10)).until(() -> podConnectionsEnded.get() >= endedBefore + 2);
  }

  @Test
  void pingsAreAnsweredAndBadStreamsRefused() throws Exception {
    Kubectl k = Kubectl.open("web");
    k.send(new SpdyFrame.Ping(1));
    assertThat(k.next()).isEqualTo(new SpdyFrame.Ping(1));
    k.send(new SpdyFrame.SynStream(1, 0, 0, false, false, new SpdyFrame.HeaderBlock(
        Map.of("streamtype", List.of("data")), false)));
    assertThat(k.next()).isEqualTo(new SpdyFrame.RstStream(1, SpdyFrame.CANCEL));
    k.send(new SpdyFrame.SynStream(3, 0, 0, false, false, headers("stdin", 80, "0")));
    assertThat(k.next()).isEqualTo(new SpdyFrame.RstStream(3, SpdyFrame.CANCEL));
    // a stream id that goes backwards is a protocol error
    k.send(new SpdyFrame.SynStream(1, 0, 0, false, false, headers("error", 80, "0")));
    assertThat(k.next()).isEqualTo(new SpdyFrame.RstStream(1, SpdyFrame.PROTOCOL_ERROR));
    k.send(new SpdyFrame.GoAway(0, SpdyFrame.GOAWAY_OK));
    k.closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void kubeletsRefusalsOfStreamHeaders() {
    assertThat(PortForwardSession.refusal(new SpdyFrame.HeaderBlock(Map.of(), false))).contains("\"port\" header is required");
    assertThat(PortForwardSession.refusal(headers("data", 0, "1"))).contains("port \"0\" must be > 0");
    assertThat(PortForwardSession.refusal(new SpdyFrame.HeaderBlock(Map.of("port", List.of("x")), false)))
        .contains("unable to parse \"x\" as a port: strconv.ParseUint: parsing \"x\": invalid syntax");
    assertThat(PortForwardSession.refusal(headers("data", 70000, "1")))
        .contains("unable to parse \"70000\" as a port: strconv.ParseUint: parsing \"70000\": value out of range");
    assertThat(PortForwardSession.refusal(headers("data", 80, "1"))).isEmpty();
  }

  @Test
  void anUnknownPodIsRefusedBeforeTheUpgradeAsKubeletDoes() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + binding.localAddress().getPort()
        + "/portForward/default/nope")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("pod does not exist");
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + binding.localAddress().getPort() + "/portForward/default/web")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(400);
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + binding.localAddress().getPort() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).isEqualTo("ok");
  }
}
