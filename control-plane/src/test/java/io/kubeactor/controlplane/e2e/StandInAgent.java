package io.kubeactor.controlplane.e2e;

import io.kubeactor.controlplane.ControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
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

/**
 * A node agent's streaming server in miniature, with fixed answers: it speaks the agent's HTTP (logs)
 * and WebSocket channel protocol (exec, attach), so that tests reach a pod's streams through the API
 * server without Docker. A log is "query=&lt;the agent's query&gt;" then "hello from &lt;container&gt;"
 * (or, followed, three ticks); exec runs "fail" (exit code 3, with stdout and stderr), "echo-stdin"
 * (stdin back on stdout) and answers any other command with "ran [command]"; pod "stopped" has no
 * container.
 */
public final class StandInAgent {
  private StandInAgent() {}

  /** The stand-in for {@code node}, with that node's certificate, on a free loopback port. */
  public static ServerBinding start(ControlPlane cp, String node) throws Exception {
    Materializer mat = Materializer.matFromSystem(cp.system());
    return Http.get(cp.system()).newServerAt("127.0.0.1", 0)
        .enableHttps(TestAgentTls.agentServer(cp.certificates(), node))
        .bind((org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>) r -> handle(r, mat))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

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
