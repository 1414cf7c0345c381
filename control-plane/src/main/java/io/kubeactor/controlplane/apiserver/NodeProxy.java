package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.apiserver.PodStreamLocations.Location;
import io.kubeactor.controlplane.node.AgentDirectory;
import io.kubeactor.controlplane.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * pods/{name}/log, pods/{name}/exec and pods/{name}/attach: checked here as kube-apiserver checks
 * them ({@link PodStreamLocations}), then served by the agent of the pod's node. A log streams
 * through (followed too); exec and attach are WebSockets joined end to end, with the channel
 * protocol (v5.channel.k8s.io, v4.channel.k8s.io) the agent chose. As upstream, the agent's log
 * errors come back as a Status with the agent's words, and its exec and attach errors as they are
 * (kubectl prints "unable to upgrade connection: ..." for them).
 */
public final class NodeProxy {

  /** The protocols the agents speak, most preferred first. */
  static final List<String> CHANNEL_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");

  /**
   * kubectl's port-forward over WebSocket: SPDY/3.1 in binary messages (client-go's tunneling dialer),
   * passed to the agent as it comes. Not a token, so Pekko's typed subprotocol headers cannot carry it.
   */
  static final String PORT_FORWARD_TUNNEL = "SPDY/3.1+portforward.k8s.io";

  private static final int MAX_ERROR_BYTES = 64 * 1024;
  private static final long STRICT_TIMEOUT_MILLIS = 10_000;

  private final Registry registry;
  private final AgentDirectory agents;
  private final AgentConnections agentTls;
  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final ClientConnectionSettings connectionSettings;

  public NodeProxy(Registry registry, AgentDirectory agents, AgentConnections agentTls, ActorSystem<?> system) {
    this.registry = registry;
    this.agents = agents;
    this.agentTls = agentTls;
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    // a followed log or an idle shell may stay quiet for hours
    this.connectionSettings = ClientConnectionSettings.create(ConfigFactory.parseString(
        "pekko.http.client.idle-timeout = infinite").withFallback(system.settings().config()));
  }

  /** GET pods/{name}/log. */
  CompletionStage<HttpResponse> log(ApiRequest r) {
    if (!r.method().equals("GET")) throw ApiException.methodNotAllowed("", "pods", r.name());
    PodStreamLocations.LogOptions options = PodStreamLocations.LogOptions.parse(r.http().getUri().query());
    Optional<Location> location = PodStreamLocations.log(pod(r), options, agents);
    if (location.isEmpty()) {
      // as kube-apiserver: no node, no stream, 204 (kubectl prints nothing)
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(204));
    }
    Location at = location.get();
    return send(HttpRequest.GET(at.uri().toString()), at)
        .thenCompose(response -> {
          if (response.status().intValue() == 200) {
            return CompletableFuture.completedFuture(HttpResponse.create().withEntity(
                HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8, response.entity().getDataBytes())));
          }
          return text(response.entity()).thenApply(message -> {
            throw agentLogError(response.status().intValue(), message);
          });
        });
  }

  /** GET or POST pods/{name}/exec. */
  CompletionStage<HttpResponse> exec(ApiRequest r) {
    checkConnectMethod(r);
    Location at = PodStreamLocations.exec(pod(r), PodStreamLocations.StreamOptions.parse(r.http().getUri().query()), agents);
    return connect(r, at);
  }

  /** GET or POST pods/{name}/attach. */
  CompletionStage<HttpResponse> attach(ApiRequest r) {
    checkConnectMethod(r);
    Location at = PodStreamLocations.attach(pod(r), PodStreamLocations.StreamOptions.parse(r.http().getUri().query()), agents);
    return connect(r, at);
  }

  /**
   * GET or POST pods/{name}/portforward: kubectl 1.32's WebSocket tunnel of SPDY/3.1 goes to the pod's
   * agent, which serves the SPDY session (as kubelet does behind kube-apiserver's tunneling handler).
   */
  CompletionStage<HttpResponse> portForward(ApiRequest r) {
    checkConnectMethod(r);
    Location at = PodStreamLocations.portForward(pod(r), agents);
    Optional<WebSocketUpgrade> upgrade = r.http().getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isEmpty()) {
      if (r.header("Upgrade").toLowerCase(java.util.Locale.ROOT).contains("spdy/3.1")) return spdyUpgrade(r, at);
      throw ApiException.badRequest("Upgrade request required");
    }
    List<String> offered = rawProtocols(r.http());
    // kube-apiserver's tunneling handler takes the SPDY protocols offered behind the prefix
    if (offered.stream().noneMatch(p -> p.startsWith("SPDY/3.1+") && p.endsWith(".k8s.io"))) {
      throw ApiException.badRequest("unable to upgrade: no tunneling spdy protocols provided");
    }
    if (!offered.contains(PORT_FORWARD_TUNNEL)) {
      throw ApiException.badRequest("unable to upgrade: unable to negotiate protocol: client supports "
          + offered.stream().map(p -> p.substring("SPDY/3.1+".length())).toList() + ", server accepts [portforward.k8s.io]");
    }
    return connect(upgrade.get(), at, PORT_FORWARD_TUNNEL, true);
  }

  /**
   * kubectl's plain SPDY/3.1 upgrade (what it falls back to when the WebSocket is refused, and older
   * kubectls' only way): the same session goes to the agent in a WebSocket, its bytes in binary messages.
   * Pekko HTTP has no public way to take over a connection for a protocol other than WebSocket; its
   * internal upgrade header (the one its WebSocket support uses) does it.
   */
  private CompletionStage<HttpResponse> spdyUpgrade(ApiRequest r, Location at) {
    List<String> offered = new java.util.ArrayList<>();
    for (var h : r.http().getHeaders()) {
      if (h.lowercaseName().equals("x-stream-protocol-version")) {
        for (String p : h.value().split(",")) if (!p.isBlank()) offered.add(p.trim());
      }
    }
    if (!offered.contains("portforward.k8s.io")) {
      // httpstream.Handshake's refusal
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(403).withEntity(
          ContentTypes.TEXT_PLAIN_UTF8, "unable to upgrade: unable to negotiate protocol: client supports " + offered
              + ", server accepts [portforward.k8s.io]"));
    }
    Pair<Subscriber<Message>, Source<Message, NotUsed>> toAgent = Source.<Message>asSubscriber().preMaterialize(materializer);
    Pair<Publisher<Message>, Sink<Message, NotUsed>> fromAgent =
        Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT).preMaterialize(materializer);
    WebSocketRequest request = WebSocketRequest.create(at.uri().toString().replaceFirst("^https", "wss"))
        .addHeader(RawHeader.create("Sec-WebSocket-Protocol", PORT_FORWARD_TUNNEL));
    CompletionStage<WebSocketUpgradeResponse> agentUpgrade;
    try {
      agentUpgrade = Http.get(system).singleWebSocketRequest(request,
          Flow.fromSinkAndSourceCoupled(strict().to(fromAgent.second()), toAgent.second()), agentTls.to(at.node()),
          Optional.empty(), connectionSettings, system.classicSystem().log(), materializer).first();
    } catch (RuntimeException e) {
      throw unreachable(at, e);
    }
    return agentUpgrade.exceptionally(failure -> {
      abandon(toAgent.first(), fromAgent.first());
      throw unreachable(at, failure);
    }).thenCompose(answer -> {
      if (!answer.isValid()) {
        abandon(toAgent.first(), fromAgent.first());
        return passedOn(answer.response());
      }
      Flow<ByteString, ByteString, NotUsed> raw = Flow.fromSinkAndSourceCoupled(
          Flow.<ByteString>create().map(b -> (Message) BinaryMessage.create(b)).to(Sink.fromSubscriber(toAgent.first())),
          Source.fromPublisher(fromAgent.first()).map(m -> m.isText() ? ByteString.emptyByteString()
              : m.asBinaryMessage().getStrictData()).filter(b -> !b.isEmpty()));
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(101)
          .addHeader(org.apache.pekko.http.javadsl.model.headers.Connection.create("Upgrade"))
          .addHeader(RawHeader.create("Upgrade", "SPDY/3.1"))
          .addHeader(RawHeader.create("X-Stream-Protocol-Version", "portforward.k8s.io"))
          .addHeader(new org.apache.pekko.http.impl.engine.server.UpgradeToOtherProtocolResponseHeader(scalaFlow(raw))));
    });
  }

  @SuppressWarnings("unchecked")
  private static org.apache.pekko.stream.scaladsl.Flow<ByteString, ByteString, Object> scalaFlow(
      Flow<ByteString, ByteString, NotUsed> flow) {
    return (org.apache.pekko.stream.scaladsl.Flow<ByteString, ByteString, Object>) (Object) flow.asScala();
  }

  /** The subprotocols a WebSocket request offers, read from the header itself (Pekko's model wants tokens). */
  static List<String> rawProtocols(HttpRequest request) {
    List<String> protocols = new java.util.ArrayList<>();
    for (var h : request.getHeaders()) {
      if (h.lowercaseName().equals("sec-websocket-protocol")) {
        for (String p : h.value().split(",")) {
          if (!p.isBlank()) protocols.add(p.trim());
        }
      }
    }
    return protocols;
  }

  private static void checkConnectMethod(ApiRequest r) {
    if (!r.method().equals("GET") && !r.method().equals("POST")) {
      throw ApiException.methodNotAllowed("", "pods", r.name());
    }
  }

  private ObjectNode pod(ApiRequest r) {
    return registry.get(r.type(), r.namespace(), r.name());
  }

  /**
   * A WebSocket is joined to one opened to the agent. Any other request (kubectl's SPDY fallback,
   * which it tries when the WebSocket was refused) goes to the agent as a plain GET, whose refusal
   * explains itself: the agent's error for its container, or that it speaks WebSocket only.
   */
  private CompletionStage<HttpResponse> connect(ApiRequest r, Location at) {
    Optional<WebSocketUpgrade> upgrade = r.http().getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isEmpty()) {
      return send(HttpRequest.GET(at.uri().toString()), at).thenCompose(this::passedOn);
    }
    String protocol = chooseProtocol(upgrade.get().getRequestedProtocols()).orElseThrow(() ->
        ApiException.badRequest("unable to upgrade: the WebSocket subprotocol must be one of " + CHANNEL_PROTOCOLS));
    return connect(upgrade.get(), at, protocol, false);
  }

  private CompletionStage<HttpResponse> connect(WebSocketUpgrade upgrade, Location at, String protocol, boolean raw) {
    String uri = at.uri().toString().replaceFirst("^https", "wss");
    List<HttpHeader> headers = raw ? List.of(RawHeader.create("Sec-WebSocket-Protocol", protocol)) : List.of();
    return join(upgrade, uri, headers, raw ? Optional.empty() : Optional.of(protocol), agentTls.to(at.node()),
        e -> unreachable(at, e), this::passedOn);
  }

  /**
   * The client's WebSocket joined to one opened to {@code uri} once that side has accepted: with the
   * typed subprotocol given, or else with the headers as they are (a subprotocol that is no token, as
   * SPDY/3.1+portforward.k8s.io, travels as a raw header both ways). A refusal is answered by
   * {@code refused}; an unreachable side by the failure {@code unreachable} makes.
   */
  CompletionStage<HttpResponse> join(WebSocketUpgrade upgrade, String uri, List<HttpHeader> headers,
      Optional<String> protocol, ConnectionContext tls, java.util.function.Function<Throwable, RuntimeException> unreachable,
      java.util.function.Function<HttpResponse, CompletionStage<HttpResponse>> refused) {
    // the two halves of the other side's connection, joined to the client's once it has accepted
    Pair<Subscriber<Message>, Source<Message, NotUsed>> toOther = Source.<Message>asSubscriber().preMaterialize(materializer);
    Pair<Publisher<Message>, Sink<Message, NotUsed>> fromOther =
        Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT).preMaterialize(materializer);
    Flow<Message, Message, NotUsed> otherSide = Flow.fromSinkAndSourceCoupled(
        strict().to(fromOther.second()), toOther.second());
    WebSocketRequest request = WebSocketRequest.create(uri);
    for (HttpHeader h : headers) request = request.addHeader(h);
    if (protocol.isPresent()) request = request.requestSubprotocol(protocol.get());
    CompletionStage<WebSocketUpgradeResponse> otherUpgrade;
    try {
      otherUpgrade = Http.get(system).singleWebSocketRequest(request, otherSide, tls,
          Optional.empty(), connectionSettings, system.classicSystem().log(), materializer).first();
    } catch (RuntimeException e) {
      throw unreachable.apply(e);
    }
    return otherUpgrade.exceptionally(failure -> {
      abandon(toOther.first(), fromOther.first());
      throw unreachable.apply(failure);
    }).thenCompose(answer -> {
      if (!answer.isValid()) {
        abandon(toOther.first(), fromOther.first());
        return refused.apply(answer.response());
      }
      Sink<Message, NotUsed> in = strict().to(Sink.fromSubscriber(toOther.first()));
      Source<Message, NotUsed> out = Source.fromPublisher(fromOther.first());
      if (protocol.isPresent()) {
        return CompletableFuture.completedFuture(upgrade.handleMessagesWith(in, out,
            answer.chosenSubprotocol().orElse(protocol.get())));
      }
      HttpResponse accepted = upgrade.handleMessagesWith(in, out);
      for (HttpHeader h : answer.response().getHeaders()) {
        if (h.lowercaseName().equals("sec-websocket-protocol")) {
          accepted = accepted.addHeader(RawHeader.create("Sec-WebSocket-Protocol", h.value()));
        }
      }
      return CompletableFuture.completedFuture(accepted);
    });
  }

  /** The agent refused: the halves prepared for its connection are ended. */
  private void abandon(Subscriber<Message> toAgent, Publisher<Message> fromAgent) {
    Source.<Message>empty().runWith(Sink.fromSubscriber(toAgent), materializer);
    Source.fromPublisher(fromAgent).runWith(Sink.cancelled(), materializer);
  }

  static Optional<String> chooseProtocol(Iterable<String> requested) {
    for (String p : requested) {
      if (CHANNEL_PROTOCOLS.contains(p.trim())) return Optional.of(p.trim());
    }
    return Optional.empty();
  }

  /** Every message read whole: a message in pieces must not hold up the other connection's reads. */
  private Flow<Message, Message, NotUsed> strict() {
    return Flow.<Message>create().mapAsync(1, m -> m.isText()
        ? m.asTextMessage().toStrict(STRICT_TIMEOUT_MILLIS, materializer).thenApply(t -> (Message) t)
        : m.asBinaryMessage().toStrict(STRICT_TIMEOUT_MILLIS, materializer).thenApply(b -> (Message) b));
  }

  /** One connection per request: a followed log may last for hours and must not take a pooled one. */
  private CompletionStage<HttpResponse> send(HttpRequest request, Location at) {
    return Source.single(request)
        .via(Http.get(system).connectionTo(at.agent().host()).toPort(at.agent().port())
            .withCustomHttpsConnectionContext(agentTls.to(at.node())).withClientConnectionSettings(connectionSettings).https())
        .runWith(Sink.head(), materializer)
        .exceptionally(e -> {
          throw unreachable(at, e);
        });
  }

  /** The agent's refusal of an exec or attach, as it is (upstream's proxy passes kubelet's answer on). */
  private CompletionStage<HttpResponse> passedOn(HttpResponse agentAnswer) {
    return agentAnswer.entity().withSizeLimit(MAX_ERROR_BYTES).toStrict(STRICT_TIMEOUT_MILLIS, materializer)
        .thenApply(strict -> HttpResponse.create().withStatus(agentAnswer.status()).withEntity(strict));
  }

  private CompletionStage<String> text(HttpEntity entity) {
    return entity.withSizeLimit(MAX_ERROR_BYTES).toStrict(STRICT_TIMEOUT_MILLIS, materializer)
        .thenApply(strict -> strict.getData().decodeString(StandardCharsets.UTF_8).trim());
  }

  /** kube-apiserver's GenericHttpResponseChecker: the agent's words, with its kind of failure. */
  static ApiException agentLogError(int status, String message) {
    return switch (status) {
      case 400 -> ApiException.badRequest(message);
      case 404 -> new ApiException(404, "NotFound", message, null, "pods/log", null, null);
      default -> new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null, null);
    };
  }

  /** The agent cannot be reached: as upstream, the transport's error as an unnamed failure. */
  static ApiException unreachable(Location at, Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ApiException api) return api;
    return new ApiException(500, null, "Get \"" + at.uri() + "\": " + cause.getMessage(), null, null, null, null);
  }
}
