package io.kubeactor.agent.stream;

import io.kubeactor.agent.stream.PodNetworks.PodNetwork;
import io.kubeactor.agent.stream.spdy.SpdyCodec;
import io.kubeactor.agent.stream.spdy.SpdyFrame;
import io.kubeactor.agent.stream.spdy.SpdyProtocolError;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.apache.pekko.util.ByteString;

/**
 * One {@code kubectl port-forward} session: kubelet's port-forward server for SPDY/3.1 streams
 * (pkg/kubelet/cri/streaming/portforward/httpstream.go). kubectl opens an error stream and a data
 * stream per forwarded connection (headers streamType, port, requestID); once both are open the pod's
 * port is dialled at the pod's IP and bytes flow both ways. A failure is written on the error stream
 * as kubelet words it. Closing either side closes the other: when one direction ends, the other gets
 * a second to finish (as containerd's port-forward), then both streams and the socket are closed.
 *
 * <p>Flow control is the transport's, as with Go's spdystream (it sends no WINDOW_UPDATE and ignores
 * those it gets): the client's bytes are read only while the connection they are for takes them, and
 * a pod's bytes only while the client takes them.
 */
public final class PortForwardSession extends AbstractBehavior<PortForwardSession.Command> {

  /** kubelet's default stream creation timeout: both streams of a request must be open by then. */
  static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);
  /** After one direction of a connection ends, the other's time to finish (containerd: 1 s). */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Bytes held for one side before the other side is read no more. */
  private static final long MAX_PENDING_BYTES = 1024 * 1024;
  private static final long STRICT_TIMEOUT_MILLIS = 10_000;
  private static final AtomicLong SESSIONS = new AtomicLong();

  public sealed interface Command {}

  /** The client's side of the WebSocket: SPDY bytes in, acknowledged one message at a time. */
  private record ClientStarted(ActorRef<Ack> ackTo) implements Command {}

  private record ClientBytes(ActorRef<Ack> ackTo, ByteString bytes) implements Command {}

  private enum ClientEnded implements Command { INSTANCE }

  private record ClientFailed(Throwable cause) implements Command {}

  /** The way back to the client: SPDY bytes out, one at a time as they are taken. */
  private record OutboundStarted(ActorRef<Out> out) implements Command {}

  private enum OutboundReady implements Command { INSTANCE }

  /** A forwarded connection's socket, by the id of its data stream. */
  private record Connected(int id) implements Command {}

  private record ConnectFailed(int id, Throwable cause) implements Command {}

  private record PodStarted(int id, ActorRef<Ack> ackTo) implements Command {}

  private record PodBytes(int id, ActorRef<Ack> ackTo, ByteString bytes) implements Command {}

  private record PodEnded(int id) implements Command {}

  private record PodFailed(int id, Throwable cause) implements Command {}

  private record PodWriteReady(int id) implements Command {}

  private record GraceOver(int id) implements Command {}

  private record PairTimedOut(String requestId) implements Command {}

  private enum CloseTimeout implements Command { INSTANCE }

  private enum Stop implements Command { INSTANCE }

  /** What the streams' sinks wait for before they send the next element. */
  enum Ack { INSTANCE }

  /** Elements of the actor-fed sources: bytes, or the end. */
  sealed interface Out {}

  private record Chunk(ByteString bytes) implements Out {}

  private enum End implements Out { INSTANCE }

  /**
   * The WebSocket message flow of one session with a pod: SPDY framed data in binary messages (the
   * messages' bounds mean nothing). The session's actor starts with it.
   */
  public static Flow<Message, Message, NotUsed> flow(ActorSystem<?> system, PodNetwork pod) {
    ActorRef<Command> session = system.systemActorOf(
        Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> new PortForwardSession(ctx, timers, pod))),
        "port-forward-" + SESSIONS.incrementAndGet(), Props.empty());
    Materializer mat = Materializer.matFromSystem(system);
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? CompletableFuture.completedFuture(ByteString.emptyByteString())
            : m.asBinaryMessage().toStrict(STRICT_TIMEOUT_MILLIS, mat).thenApply(BinaryMessage::getStrictData))
        .to(ActorSink.<ByteString, Command, Ack>actorRefWithBackpressure(session, ClientBytes::new, ClientStarted::new,
            Ack.INSTANCE, ClientEnded.INSTANCE, ClientFailed::new));
    Source<Message, NotUsed> out = actorSource(session, OutboundReady.INSTANCE)
        .map(bytes -> (Message) BinaryMessage.create(bytes))
        .mapMaterializedValue(ref -> {
          session.tell(new OutboundStarted(ref));
          return NotUsed.getInstance();
        });
    return Flow.fromSinkAndSourceCoupled(in, out);
  }

  private static Source<ByteString, ActorRef<Out>> actorSource(ActorRef<Command> ackTo, Command ack) {
    return ActorSource.<Out, Command>actorRefWithBackpressure(ackTo, ack,
            o -> o == End.INSTANCE ? Optional.of(CompletionStrategy.draining()) : Optional.empty(),
            o -> Optional.empty())
        .map(o -> ((Chunk) o).bytes());
  }

  /** An error stream and a data stream that kubectl opened for one connection (its requestID). */
  private static final class StreamPair {
    final String requestId;
    Integer errorStream;
    Integer dataStream;
    int port;

    StreamPair(String requestId) {
      this.requestId = requestId;
    }
  }

  /** One forwarded connection: its socket to the pod and the bytes on their way to it. */
  private static final class Forward {
    final int dataStream;
    final int errorStream;
    final int port;
    ActorRef<Out> toPod;
    UniqueKillSwitch socket;
    boolean connected;
    final Deque<ByteString> toPodPending = new ArrayDeque<>();
    long toPodPendingBytes;
    boolean toPodReady = true;
    /** The client sent FIN on the data stream: the socket's sending side ends once all is written. */
    boolean clientDone;
    boolean toPodEnded;
    boolean podDone;
    Throwable podFailure;
    boolean dataFinSent;

    Forward(int dataStream, int errorStream, int port) {
      this.dataStream = dataStream;
      this.errorStream = errorStream;
      this.port = port;
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final PodNetwork pod;
  private final SpdyCodec codec = new SpdyCodec();
  private final Materializer mat;
  private final String name;

  private final Map<String, StreamPair> pairs = new HashMap<>();
  private final Map<Integer, Forward> forwards = new HashMap<>();
  private int lastStreamId;

  private ActorRef<Out> out;
  private boolean outReady = true;
  private final Deque<ByteString> outPending = new ArrayDeque<>();
  private long outPendingBytes;
  /** The pods' reads waiting for the client to take what is pending. */
  private final List<ActorRef<Ack>> heldPodAcks = new ArrayList<>();
  /** The client's read, waiting for a connection to take what is pending for it. */
  private ActorRef<Ack> heldClientAck;
  private boolean closing;

  private PortForwardSession(ActorContext<Command> ctx, TimerScheduler<Command> timers, PodNetwork pod) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.pod = pod;
    this.mat = Materializer.matFromSystem(ctx.getSystem());
    this.name = ctx.getSelf().path().name();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClientStarted.class, m -> {
          m.ackTo().tell(Ack.INSTANCE);
          return this;
        })
        .onMessage(ClientBytes.class, this::onClientBytes)
        .onMessage(ClientEnded.class, m -> shutdown(true))
        .onMessage(ClientFailed.class, m -> {
          ctx.getLog().debug("port-forward {}: client connection failed: {}", name, m.cause().toString());
          return shutdown(true);
        })
        .onMessage(OutboundStarted.class, this::onOutboundStarted)
        .onMessage(OutboundReady.class, m -> onOutboundReady())
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectFailed.class, this::onConnectFailed)
        .onMessage(PodStarted.class, m -> {
          m.ackTo().tell(Ack.INSTANCE);
          return this;
        })
        .onMessage(PodBytes.class, this::onPodBytes)
        .onMessage(PodEnded.class, this::onPodEnded)
        .onMessage(PodFailed.class, this::onPodFailed)
        .onMessage(PodWriteReady.class, this::onPodWriteReady)
        .onMessage(GraceOver.class, m -> {
          Forward f = forwards.get(m.id());
          if (f != null) finish(f, null);
          return this;
        })
        .onMessage(PairTimedOut.class, this::onPairTimedOut)
        .onMessage(CloseTimeout.class, m -> {
          outPending.clear();
          outReady = true;
          if (out != null) return endOutbound();
          return closed();
        })
        .build();
  }

  // ---- the client's frames

  private Behavior<Command> onClientBytes(ClientBytes m) {
    List<SpdyFrame> frames;
    try {
      frames = codec.decode(m.bytes());
    } catch (SpdyProtocolError e) {
      // spdystream ends the connection on a frame it cannot read
      ctx.getLog().debug("port-forward {}: {}", name, e.getMessage());
      send(new SpdyFrame.GoAway(lastStreamId, SpdyFrame.GOAWAY_PROTOCOL_ERROR));
      return shutdown(false);
    }
    for (SpdyFrame frame : frames) {
      if (frame instanceof SpdyFrame.SynStream s) {
        onSynStream(s);
      } else if (frame instanceof SpdyFrame.Data d) {
        onData(d);
      } else if (frame instanceof SpdyFrame.RstStream r) {
        onReset(r);
      } else if (frame instanceof SpdyFrame.Ping p) {
        // the client's pings (odd ids) come back; ours would be even, and there are none
        if ((p.id() & 1) == 1) send(p);
      } else if (frame instanceof SpdyFrame.GoAway) {
        return shutdown(false);
      }
      // SETTINGS, WINDOW_UPDATE, HEADERS and SYN_REPLY change nothing here (no flow control, no server streams)
    }
    if (pendingForPods() > MAX_PENDING_BYTES) {
      heldClientAck = m.ackTo();
    } else {
      m.ackTo().tell(Ack.INSTANCE);
    }
    return this;
  }

  private void onSynStream(SpdyFrame.SynStream s) {
    int id = s.streamId();
    // spdystream's rule: the client's streams are odd and each newer than the last
    if ((id & 1) == 0 || id <= lastStreamId) {
      send(new SpdyFrame.RstStream(id, SpdyFrame.PROTOCOL_ERROR));
      return;
    }
    lastStreamId = id;
    if (s.headers().malformed()) {
      send(new SpdyFrame.RstStream(id, SpdyFrame.PROTOCOL_ERROR));
      return;
    }
    Optional<String> refused = refusal(s.headers());
    if (refused.isPresent()) {
      // kubelet refuses the stream (apimachinery resets it: the reason stays in kubelet's log)
      ctx.getLog().debug("port-forward {}: stream {} rejected: {}", name, id, refused.get());
      send(new SpdyFrame.RstStream(id, SpdyFrame.CANCEL));
      return;
    }
    send(new SpdyFrame.SynReply(id, false, SpdyFrame.HeaderBlock.EMPTY));

    String type = s.headers().first("streamtype");
    String requestId = s.headers().first("requestid");
    if (requestId.isEmpty()) {
      // clients older than request ids: kubelet pairs consecutive streams
      requestId = Integer.toString(type.equals("error") ? id : id - 2);
    }
    StreamPair pair = pairs.get(requestId);
    if (pair == null) {
      pair = new StreamPair(requestId);
      pairs.put(requestId, pair);
      timers.startSingleTimer(pair, new PairTimedOut(requestId), STREAM_CREATION_TIMEOUT);
    }
    boolean error = type.equals("error");
    if ((error ? pair.errorStream : pair.dataStream) != null) {
      printError(pair, "error processing stream for request " + requestId + ": " + type + " stream already assigned");
      return;
    }
    if (error) {
      pair.errorStream = id;
    } else {
      pair.dataStream = id;
      pair.port = Integer.parseInt(s.headers().first("port"));
    }
    if (pair.errorStream != null && pair.dataStream != null) {
      timers.cancel(pair);
      pairs.remove(requestId);
      startForward(pair);
    }
  }

  /** kubelet's checks of a new stream's headers (httpStreamReceived), with its words. */
  static Optional<String> refusal(SpdyFrame.HeaderBlock headers) {
    String port = headers.first("port");
    if (port.isEmpty()) return Optional.of("\"port\" header is required");
    long value;
    try {
      value = Long.parseLong(port);
    } catch (NumberFormatException e) {
      return Optional.of("unable to parse \"" + port + "\" as a port: strconv.ParseUint: parsing \"" + port
          + "\": invalid syntax");
    }
    if (value < 0 || value > 65535) {
      return Optional.of("unable to parse \"" + port + "\" as a port: strconv.ParseUint: parsing \"" + port
          + "\": value out of range");
    }
    if (value < 1) return Optional.of("port \"" + port + "\" must be > 0");
    String type = headers.first("streamtype");
    if (type.isEmpty()) return Optional.of("\"streamType\" header is required");
    if (!type.equals("error") && !type.equals("data")) return Optional.of("invalid stream type \"" + type + "\"");
    return Optional.empty();
  }

  private void onData(SpdyFrame.Data d) {
    Forward f = forwards.get(d.streamId());
    if (f == null) return; // error streams carry nothing from the client; unknown streams are ignored
    if (!d.data().isEmpty() && !f.clientDone) {
      f.toPodPending.add(d.data());
      f.toPodPendingBytes += d.data().size();
      writeToPod(f);
    }
    if (d.last() && !f.clientDone) {
      f.clientDone = true;
      writeToPod(f);
      if (f.podDone) {
        finish(f, null);
      } else {
        timers.startSingleTimer(graceKey(f), new GraceOver(f.dataStream), CLOSE_GRACE);
      }
    }
  }

  private void onReset(SpdyFrame.RstStream r) {
    // kubectl resets the data stream once it has read the pod's side to the end (or gave up on it)
    Forward f = forwards.get(r.streamId());
    if (f != null) {
      f.dataFinSent = true;
      finish(f, null);
    }
  }

  // ---- forwarded connections

  private void startForward(StreamPair pair) {
    Forward f = new Forward(pair.dataStream, pair.errorStream, pair.port);
    forwards.put(f.dataStream, f);
    int id = f.dataStream;
    Pair<Pair<ActorRef<Out>, java.util.concurrent.CompletionStage<Tcp.OutgoingConnection>>, UniqueKillSwitch> run =
        actorSource(ctx.getSelf(), new PodWriteReady(id))
            .viaMat(Tcp.get(ctx.getSystem()).outgoingConnection(new InetSocketAddress(pod.ip(), f.port), Optional.empty(),
                List.of(), true, Optional.of(CONNECT_TIMEOUT), Optional.empty()), Keep.both())
            .viaMat(KillSwitches.single(), Keep.both())
            .to(ActorSink.<ByteString, Command, Ack>actorRefWithBackpressure(ctx.getSelf(),
                (ackTo, bytes) -> new PodBytes(id, ackTo, bytes), ackTo -> new PodStarted(id, ackTo), Ack.INSTANCE,
                new PodEnded(id), e -> new PodFailed(id, e)))
            .run(mat);
    f.toPod = run.first().first();
    f.socket = run.second();
    ctx.pipeToSelf(run.first().second(), (c, e) -> e == null ? new Connected(id) : new ConnectFailed(id, e));
  }

  private Behavior<Command> onConnected(Connected m) {
    Forward f = forwards.get(m.id());
    if (f == null) return this;
    f.connected = true;
    if (f.podDone) podSideOver(f);
    return this;
  }

  private Behavior<Command> onConnectFailed(ConnectFailed m) {
    Forward f = forwards.get(m.id());
    if (f != null) finish(f, "failed to connect to " + address(f) + " in the pod's network: " + dialError(f, m.cause()));
    return this;
  }

  private Behavior<Command> onPodBytes(PodBytes m) {
    Forward f = forwards.get(m.id());
    if (f == null || f.dataFinSent) {
      m.ackTo().tell(Ack.INSTANCE);
      return this;
    }
    send(new SpdyFrame.Data(f.dataStream, false, m.bytes()));
    if (outPendingBytes > MAX_PENDING_BYTES) {
      heldPodAcks.add(m.ackTo());
    } else {
      m.ackTo().tell(Ack.INSTANCE);
    }
    return this;
  }

  /** The socket's reading side ended (or failed); acted on once the connection is known to have been made. */
  private Behavior<Command> onPodEnded(PodEnded m) {
    Forward f = forwards.get(m.id());
    if (f == null || f.podDone) return this;
    f.podDone = true;
    if (f.connected) podSideOver(f);
    return this;
  }

  private Behavior<Command> onPodFailed(PodFailed m) {
    Forward f = forwards.get(m.id());
    if (f == null || f.podDone) return this;
    f.podDone = true;
    f.podFailure = m.cause();
    if (f.connected) podSideOver(f);
    return this;
  }

  /** The pod has nothing more to say: the data stream ends, and the client gets its grace to finish too. */
  private void podSideOver(Forward f) {
    if (f.podFailure != null) {
      finish(f, "read tcp " + address(f) + ": " + goError(f.podFailure));
      return;
    }
    if (!f.dataFinSent) {
      f.dataFinSent = true;
      send(new SpdyFrame.Data(f.dataStream, true, ByteString.emptyByteString()));
    }
    if (f.clientDone) {
      finish(f, null);
    } else {
      timers.startSingleTimer(graceKey(f), new GraceOver(f.dataStream), CLOSE_GRACE);
    }
  }

  private Behavior<Command> onPodWriteReady(PodWriteReady m) {
    Forward f = forwards.get(m.id());
    if (f == null) return this;
    f.toPodReady = true;
    writeToPod(f);
    return this;
  }

  /** The next pending bytes to the pod's socket, or its end once the client is done. */
  private void writeToPod(Forward f) {
    if (!f.toPodReady || f.toPodEnded) return;
    ByteString next = f.toPodPending.poll();
    if (next != null) {
      f.toPodPendingBytes -= next.size();
      f.toPodReady = false;
      f.toPod.tell(new Chunk(next));
      releaseClient();
    } else if (f.clientDone) {
      // the socket's sending side ends (half-close): the pod reads its end of input
      f.toPodEnded = true;
      f.toPod.tell(End.INSTANCE);
    }
  }

  /**
   * The connection is over: its socket closed, the error (if any) written on the error stream, and
   * both streams ended, error stream first (kubelet's order).
   */
  private void finish(Forward f, String error) {
    forwards.remove(f.dataStream);
    timers.cancel(graceKey(f));
    if (error != null) {
      String message = "error forwarding port " + f.port + " to pod " + pod.sandboxId() + ", uid : " + error;
      ctx.getLog().debug("port-forward {}: {}", name, message);
      send(new SpdyFrame.Data(f.errorStream, false, ByteString.fromString(message, StandardCharsets.UTF_8)));
    }
    send(new SpdyFrame.Data(f.errorStream, true, ByteString.emptyByteString()));
    if (!f.dataFinSent) {
      f.dataFinSent = true;
      send(new SpdyFrame.Data(f.dataStream, true, ByteString.emptyByteString()));
    }
    closeSocket(f);
    releaseClient();
  }

  private void closeSocket(Forward f) {
    f.toPodPending.clear();
    f.toPodPendingBytes = 0;
    // the socket is half-closing: its sending side ends with the source feeding it, its reading side here
    if (!f.toPodEnded && f.toPod != null) {
      f.toPodEnded = true;
      f.toPod.tell(End.INSTANCE);
    }
    if (f.socket != null) f.socket.shutdown();
  }

  private Behavior<Command> onPairTimedOut(PairTimedOut m) {
    StreamPair pair = pairs.remove(m.requestId());
    if (pair == null) return this;
    printError(pair, "(conn=" + name + ", request=" + pair.requestId + ") timed out waiting for streams");
    for (Integer id : new Integer[] {pair.errorStream, pair.dataStream}) {
      if (id != null) {
        send(new SpdyFrame.Data(id, true, ByteString.emptyByteString()));
      }
    }
    return this;
  }

  private void printError(StreamPair pair, String message) {
    ctx.getLog().debug("port-forward {}: {}", name, message);
    if (pair.errorStream != null) {
      send(new SpdyFrame.Data(pair.errorStream, false, ByteString.fromString(message, StandardCharsets.UTF_8)));
    }
  }

  // ---- the way back to the client

  private void send(SpdyFrame frame) {
    ByteString bytes = codec.encode(frame);
    if (outReady && out != null) {
      outReady = false;
      out.tell(new Chunk(bytes));
    } else {
      outPending.add(bytes);
      outPendingBytes += bytes.size();
    }
  }

  private Behavior<Command> onOutboundStarted(OutboundStarted m) {
    out = m.out();
    return onOutboundReady();
  }

  private Behavior<Command> onOutboundReady() {
    outReady = true;
    if (out == null) return this;
    if (closing) return endOutbound();
    ByteString next = outPending.poll();
    if (next != null) {
      outPendingBytes -= next.size();
      outReady = false;
      out.tell(new Chunk(next));
    }
    if (outPendingBytes <= MAX_PENDING_BYTES && !heldPodAcks.isEmpty()) {
      heldPodAcks.forEach(a -> a.tell(Ack.INSTANCE));
      heldPodAcks.clear();
    }
    return this;
  }

  private long pendingForPods() {
    return forwards.values().stream().mapToLong(f -> f.toPodPendingBytes).max().orElse(0);
  }

  private void releaseClient() {
    if (heldClientAck != null && pendingForPods() <= MAX_PENDING_BYTES) {
      heldClientAck.tell(Ack.INSTANCE);
      heldClientAck = null;
    }
  }

  /**
   * The client is gone or said goodbye: every connection is closed, then the WebSocket ends, after
   * what is pending for the client when it is still there.
   */
  private Behavior<Command> shutdown(boolean clientGone) {
    closing = true;
    for (Forward f : List.copyOf(forwards.values())) closeSocket(f);
    forwards.clear();
    pairs.keySet().forEach(timers::cancel);
    pairs.clear();
    heldPodAcks.forEach(a -> a.tell(Ack.INSTANCE));
    heldPodAcks.clear();
    if (clientGone) {
      // its WebSocket is gone with it, and the way out too (the flow is coupled)
      return closed();
    } else {
      // a client that said goodbye and then takes nothing more is not waited for long
      timers.startSingleTimer(CloseTimeout.INSTANCE, CloseTimeout.INSTANCE, CLOSE_GRACE.multipliedBy(5));
    }
    // the outbound side ends once it has started and taken what it was given
    return out != null && outReady ? endOutbound() : this;
  }

  /** What is pending goes out as one last element (the source drains it), then the source completes. */
  private Behavior<Command> endOutbound() {
    if (!outPending.isEmpty()) {
      out.tell(new Chunk(outPending.stream().reduce(ByteString.emptyByteString(), ByteString::concat)));
      outPending.clear();
    }
    out.tell(End.INSTANCE);
    return closed();
  }

  /**
   * Over: what the streams still report (their ends, late acknowledgements) is taken in silence for a
   * moment, rather than left as dead letters, then the actor stops.
   */
  private Behavior<Command> closed() {
    codec.close();
    timers.startSingleTimer(Stop.INSTANCE, Stop.INSTANCE, CLOSE_GRACE);
    return Behaviors.receive(Command.class)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private String address(Forward f) {
    return (pod.ip().contains(":") ? "[" + pod.ip() + "]" : pod.ip()) + ":" + f.port;
  }

  private static String graceKey(Forward f) {
    return "grace-" + f.dataStream;
  }

  /** A failed dial in Go's words ("dial tcp4 10.244.0.5:80: connect: connection refused"). */
  private String dialError(Forward f, Throwable e) {
    return "dial tcp4 " + address(f) + ": " + goError(e);
  }

  /** The cause of a socket failure as Go's net package words it. */
  static String goError(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    String all = String.valueOf(e.getMessage()) + " " + c.getMessage();
    if (c instanceof ConnectException || all.contains("Connection refused")) return "connect: connection refused";
    if (c instanceof NoRouteToHostException || all.contains("No route to host")) return "connect: no route to host";
    if (c instanceof SocketTimeoutException || all.contains("timed out") || all.contains("timeout")) return "i/o timeout";
    if (all.contains("Connection reset")) return "read: connection reset by peer";
    return String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
  }
}
