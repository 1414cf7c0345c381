package io.kubeactor.agent.stream;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.kubeactor.agent.stream.ChannelProtocol.TerminalSize;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach over a WebSocket speaking v4/v5.channel.k8s.io: the client's stdin and terminal
 * sizes go to Docker; Docker's stdout and stderr come back on their channels, then the command's
 * Status on the error channel, then the WebSocket closes.
 */
final class RemoteCommandSession {
  private static final Logger log = LoggerFactory.getLogger(RemoteCommandSession.class);

  /** stdin may stay quiet for as long as an interactive shell is left open. */
  private static final Duration STDIN_READ_TIMEOUT = Duration.ofDays(3650);
  private static final long STRICT_TIMEOUT_MILLIS = 10_000;

  private RemoteCommandSession() {}

  /** The WebSocket's message flow: the Docker stream starts when the WebSocket runs. */
  static Flow<Message, Message, NotUsed> flow(RemoteCommandTarget target, RemoteCommandOptions options, String protocol,
      Materializer mat, Executor blocking) {
    SourceQueueWithComplete<ByteString> stdinQueue;
    InputStream stdin;
    if (options.stdin()) {
      Pair<SourceQueueWithComplete<ByteString>, InputStream> pipe = Source.<ByteString>queue(8, OverflowStrategy.backpressure())
          .toMat(StreamConverters.asInputStream(STDIN_READ_TIMEOUT), Keep.both()).run(mat);
      stdinQueue = pipe.first();
      stdin = pipe.second();
    } else {
      stdinQueue = null;
      stdin = null;
    }
    boolean closeSignal = protocol.equals(ChannelProtocol.V5);

    Sink<Message, NotUsed> in = Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? CompletableFuture.completedFuture(ByteString.emptyByteString())
            : m.asBinaryMessage().toStrict(STRICT_TIMEOUT_MILLIS, mat).thenApply(BinaryMessage::getStrictData))
        .mapAsync(1, bytes -> received(bytes, target, stdinQueue, closeSignal, blocking))
        .toMat(Sink.ignore(), Keep.right())
        .mapMaterializedValue(done -> {
          // the client closed or went away: the command's stdin ends with it
          done.whenComplete((d, e) -> {
            if (stdinQueue != null) stdinQueue.complete();
          });
          return NotUsed.getInstance();
        });

    // kubelet's first message, empty, on the lowest channel written: the session is open
    byte firstChannel = options.stdout() ? ChannelProtocol.STDOUT : options.stderr() ? ChannelProtocol.STDERR : ChannelProtocol.ERROR;
    Source<Message, NotUsed> out = Source.single(ChannelProtocol.frame(firstChannel, new byte[0]))
        .concat(DockerFrames.source(
            callback -> blocking.execute(() -> {
              try {
                target.start(stdin, callback);
              } catch (RuntimeException e) {
                callback.onError(e);
              }
            }),
            RemoteCommandSession::outputFrame,
            failure -> {
              if (stdinQueue != null) stdinQueue.complete();
              byte[] status = failure == null ? target.status() : ChannelProtocol.internalError(String.valueOf(failure.getMessage()));
              return List.of(ChannelProtocol.frame(ChannelProtocol.ERROR, status));
            }))
        .map(BinaryMessage::create);
    return Flow.fromSinkAndSourceCoupled(in, out);
  }

  private static ByteString outputFrame(Frame frame) {
    StreamType type = frame.getStreamType();
    if (type == StreamType.STDIN) return null;
    return ChannelProtocol.frame(type == StreamType.STDERR ? ChannelProtocol.STDERR : ChannelProtocol.STDOUT, frame.getPayload());
  }

  private static CompletionStage<Done> received(ByteString bytes, RemoteCommandTarget target,
      SourceQueueWithComplete<ByteString> stdinQueue, boolean closeSignal, Executor blocking) {
    if (bytes.isEmpty()) return done();
    byte channel = bytes.apply(0);
    ByteString data = bytes.drop(1);
    if (channel == ChannelProtocol.STDIN) {
      if (stdinQueue == null || data.isEmpty()) return done();
      // waits while the command does not read: the client's data stays in the WebSocket
      return stdinQueue.offer(data).handle((r, e) -> Done.getInstance());
    }
    if (channel == ChannelProtocol.RESIZE) {
      // in order, and never failing the session: a terminal of the wrong size is no reason to end it
      return TerminalSize.parse(data.toArray())
          .map(size -> CompletableFuture.runAsync(() -> target.resize(size), blocking).handle((v, e) -> {
            if (e != null) log.debug("resizing the terminal to {} failed: {}", size, e.toString());
            return Done.getInstance();
          }))
          .orElseGet(() -> CompletableFuture.completedFuture(Done.getInstance()));
    }
    if (closeSignal && channel == ChannelProtocol.CLOSE && data.size() == 1 && data.apply(0) == ChannelProtocol.STDIN) {
      if (stdinQueue != null) stdinQueue.complete();
      return done();
    }
    return done();
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
