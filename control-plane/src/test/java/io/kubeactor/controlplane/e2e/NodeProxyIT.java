package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.ControlPlane;
import io.kubeactor.controlplane.apiserver.ApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl's logs, exec and attach through the API server to a node agent: a stand-in agent
 * speaking the agent's HTTP and WebSocket channel protocol (the real one, on Docker, is tested in the
 * kubelet-agent module), so that what is checked here is the API server's part: its checks, the
 * options it passes on, the streams it joins, and how the agent's refusals reach kubectl.
 */
class NodeProxyIT {

  static TestCluster cluster;
  static ServerBinding agent;
  static ServerBinding proxied;
  static Path kubeconfig;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kubeactor-proxy");
    cluster = TestCluster.start(dir, java.util.Map.of());
    ControlPlane cp = cluster.controlPlane();
    Materializer mat = Materializer.matFromSystem(cp.system());
    agent = Http.get(cp.system()).newServerAt("127.0.0.1", 0)
        .enableHttps(TestAgentTls.agentServer(cp.certificates(), "node-1")).bind((org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>) r -> FakeAgent.handle(r, mat))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    AgentEndpoint endpoint = new AgentEndpoint("127.0.0.1", agent.localAddress().getPort());
    // an API server of the same store whose only node agent is the stand-in
    ApiServer api = new ApiServer(cp.registry(), cp.access(), cp.system(), "127.0.0.1:0", Duration.ofSeconds(30),
        Duration.ofSeconds(60), node -> node.equals("node-1") ? Optional.of(endpoint) : Optional.empty(),
        cp.agentConnections(), java.time.Clock.systemUTC(), new io.kubeactor.controlplane.node.MetricsServer());
    proxied = api.bind(cp.system(), "127.0.0.1", 0, cp.certificates().serverContext()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    kubeconfig = dir.resolve("proxied-kubeconfig");
    Files.writeString(kubeconfig, TestCluster.kubeconfig(cp, proxied.localAddress().getPort(), "streams"));
    kubectl("create", "namespace", "streams").outOrFail();
    kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeName: node-1
          containers: [{name: main, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: multi}
        spec:
          nodeName: node-1
          containers: [{name: a, image: busybox}, {name: b, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: stopped}
        spec:
          nodeName: node-1
          containers: [{name: main, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: orphan}
        spec:
          nodeName: node-9
          containers: [{name: main, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: pending}
        spec:
          schedulerName: nobody
          containers: [{name: main, image: busybox}]
        """, "apply", "-f", "-").outOrFail();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static TestCluster.Result kubectlWithInput(String stdin, String... args) {
    return TestCluster.kubectl(kubeconfig, dir, stdin, args);
  }

  static TestCluster.Result kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  @Test
  void logsPassTheOptionsOnAndStream() {
    assertThat(kubectl("logs", "web").outOrFail()).isEqualTo("query=\nhello from main\n");
    assertThat(kubectl("logs", "web", "--tail=2", "--timestamps", "--since=1h", "--limit-bytes=100").outOrFail())
        .startsWith("query=timestamps=true&sinceSeconds=3600&tailLines=2&limitBytes=100\n");
    assertThat(kubectl("logs", "-f", "web", "-c", "main").outOrFail()).isEqualTo("query=follow=true\ntick 1\ntick 2\ntick 3\n");
  }

  @Test
  void logErrorsAreStatuses() {
    TestCluster.Result previous = kubectl("logs", "stopped", "--previous");
    assertThat(previous.exitCode()).isEqualTo(1);
    assertThat(previous.err()).isEqualTo(
        "Error from server (BadRequest): previous terminated container \"main\" in pod \"stopped\" not found\n");
    assertThat(kubectl("logs", "nosuch").err())
        .isEqualTo("error: error from server (NotFound): pods \"nosuch\" not found in namespace \"streams\"\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/streams/pods/nosuch/log").err())
        .isEqualTo("Error from server (NotFound): pods \"nosuch\" not found\n");
    // kubectl checks the container itself, in the API server's words
    assertThat(kubectl("logs", "web", "-c", "nope").err()).isEqualTo("error: container nope is not valid for pod web\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/streams/pods/web/log?container=nope").err())
        .isEqualTo("Error from server (BadRequest): container nope is not valid for pod web\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/streams/pods/multi/log").err())
        .isEqualTo("Error from server (BadRequest): a container name must be specified for pod multi, choose one of: [a b]\n");
    assertThat(kubectl("logs", "orphan").err())
        .isEqualTo("Error from server (ServiceUnavailable): no node agent is connected for node \"node-9\"\n");
    // as upstream: a pod on no node has an empty log
    assertThat(kubectl("logs", "pending").outOrFail()).isEmpty();
  }

  @Test
  void execJoinsTheStreamsAndExitsWithTheCommandsCode() {
    TestCluster.Result failed = kubectl("exec", "web", "--", "fail");
    assertThat(failed.out()).isEqualTo("about to fail\n");
    assertThat(failed.err()).isEqualTo("oops\ncommand terminated with exit code 3\n");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(kubectlWithInput("hello\nworld\n", "exec", "-i", "web", "--", "echo-stdin").outOrFail()).isEqualTo("hello\nworld\n");
    assertThat(kubectl("exec", "web", "--", "echo", "a b", "c").outOrFail()).isEqualTo("ran [echo, a b, c]\n");
  }

  @Test
  void execRefusalsReachKubectl() {
    TestCluster.Result stopped = kubectl("exec", "stopped", "--", "ls");
    assertThat(stopped.exitCode()).isEqualTo(1);
    assertThat(stopped.err()).isEqualTo("error: unable to upgrade connection: container not found (\"main\")\n");
    assertThat(kubectl("exec", "pending", "--", "ls").err())
        .isEqualTo("Error from server (BadRequest): pod pending does not have a host assigned\n");
    assertThat(kubectl("exec", "orphan", "--", "ls").err())
        .isEqualTo("Error from server (ServiceUnavailable): no node agent is connected for node \"node-9\"\n");
  }

  @Test
  void attachJoinsTheMainProcess() {
    assertThat(kubectl("attach", "web").outOrFail()).isEqualTo("attached\n");
  }

  /** A node agent's streaming server in miniature: fixed answers, and the channel protocol. */
  static final class FakeAgent {
    static CompletionStage<HttpResponse> handle(HttpRequest r, Materializer mat) {
      List<String> seg = new ArrayList<>();
      r.getUri().pathSegments().forEach(s -> { if (!s.isEmpty()) seg.add(s); });
      String pod = seg.get(2);
      String query = r.getUri().rawQueryString().orElse("");
      if (seg.get(0).equals("containerLogs")) {
        if (query.contains("previous=true")) {
          return done(text(400, "previous terminated container \"main\" in pod \"" + pod + "\" not found"));
        }
        Source<ByteString, NotUsed> body = Source.single(ByteString.fromString("query=" + query + "\n"));
        body = query.contains("follow=true")
            ? body.concat(Source.range(1, 3).throttle(1, Duration.ofMillis(200)).map(i -> ByteString.fromString("tick " + i + "\n")))
            : body.concat(Source.single(ByteString.fromString("hello from " + seg.get(3) + "\n")));
        return done(HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8, body)));
      }
      if (pod.equals("stopped")) return done(text(404, "container not found (\"main\")"));
      Optional<WebSocketUpgrade> upgrade = r.getAttribute(AttributeKeys.webSocketUpgrade);
      if (upgrade.isEmpty()) return done(text(400, "unable to upgrade: only WebSocket is served here"));
      List<String> command = r.getUri().query().toList().stream().filter(p -> p.first().equals("command"))
          .map(Pair::second).toList();
      String protocol = upgrade.get().getRequestedProtocols().iterator().next();
      return done(upgrade.get().handleMessagesWith(session(seg.get(0), command, mat), protocol));
    }

    static Flow<Message, Message, NotUsed> session(String kind, List<String> command, Materializer mat) {
      Pair<SourceQueueWithComplete<Message>, Source<Message, NotUsed>> out =
          Source.<Message>queue(64, OverflowStrategy.backpressure()).preMaterialize(mat);
      SourceQueueWithComplete<Message> q = out.first();
      String success = "{\"metadata\":{},\"status\":\"Success\"}";
      if (kind.equals("attach")) {
        q.offer(frame(1, "attached\n"));
        finish(q, success);
      } else if (command.equals(List.of("fail"))) {
        q.offer(frame(1, "about to fail\n"));
        q.offer(frame(2, "oops\n"));
        finish(q, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code\","
            + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
      } else if (!command.equals(List.of("echo-stdin"))) {
        q.offer(frame(1, "ran " + command + "\n"));
        finish(q, success);
      }
      Sink<Message, ?> in = Sink.foreach(m -> {
        ByteString bytes = m.asBinaryMessage().getStrictData();
        if (bytes.isEmpty()) return;
        if (bytes.apply(0) == 0) q.offer(frame(1, bytes.drop(1).utf8String()));
        if (bytes.apply(0) == (byte) 255 && bytes.size() == 2 && bytes.apply(1) == 0) finish(q, success);
      });
      return Flow.fromSinkAndSourceCoupled(in, out.second());
    }

    static void finish(SourceQueueWithComplete<Message> q, String status) {
      q.offer(frame(3, status));
      q.complete();
    }

    static Message frame(int channel, String data) {
      return BinaryMessage.create(ByteString.fromArray(new byte[] {(byte) channel}).concat(ByteString.fromString(data)));
    }

    static HttpResponse text(int status, String message) {
      return HttpResponse.create().withStatus(status).withEntity(ContentTypes.TEXT_PLAIN_UTF8, message);
    }

    static CompletionStage<HttpResponse> done(HttpResponse r) {
      return CompletableFuture.completedFuture(r);
    }
  }
}
