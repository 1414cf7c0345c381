package io.kubeactor.agent.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.agent.stats.NodeMetrics;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.AgentStreamTls;
import io.kubeactor.common.metrics.PrometheusText;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's streaming server, its analogue of kubelet's port 10250: container logs, exec and
 * attach for the API server, which alone may connect ({@link AgentStreamTls}).
 *
 * <ul>
 *   <li>{@code GET /containerLogs/{namespace}/{pod}/{container}?follow&previous&tailLines&timestamps&sinceSeconds&sinceTime&limitBytes}:
 *       text/plain, streamed</li>
 *   <li>{@code GET|POST /exec/{namespace}/{pod}/{container}?command=..&stdin&stdout&stderr&tty} and
 *       {@code /attach/...}: a WebSocket speaking v5.channel.k8s.io or v4.channel.k8s.io</li>
 *   <li>{@code GET /healthz}: "ok"</li>
 *   <li>{@code GET /metrics} and {@code /metrics/cadvisor}: kubelet's and cAdvisor's Prometheus metrics of the
 *       node ({@link NodeMetrics})</li>
 *   <li>{@code GET|POST /portForward/{namespace}/{pod}}: a WebSocket carrying SPDY/3.1 (subprotocol
 *       {@value #PORT_FORWARD_PROTOCOL}), the form in which kubectl's port-forward reaches the API server,
 *       served by a {@link PortForwardSession}</li>
 * </ul>
 * Failures are plain text with kubelet's status codes and words.
 */
public final class StreamServer {
  private static final Logger log = LoggerFactory.getLogger(StreamServer.class);

  /** kubectl's port-forward protocol tunnelled over WebSocket (client-go's tunneling dialer). */
  public static final String PORT_FORWARD_PROTOCOL = "SPDY/3.1+portforward.k8s.io";

  private final DockerClient docker;
  private final URI dockerHost;
  private final PodContainers containers;
  private final PodNetworks networks;
  private final ActorSystem<?> system;
  private final Executor blocking;
  private final Materializer materializer;
  private final Clock clock = Clock.systemUTC();
  /** Null where nobody scrapes the node (tests of the streams alone). */
  private final NodeMetrics metrics;

  private StreamServer(ActorSystem<?> system, DockerClient docker, URI dockerHost, String nodeName,
      PodNetworks networks, NodeMetrics metrics) {
    this.system = system;
    this.metrics = metrics;
    this.networks = networks;
    this.docker = docker;
    this.dockerHost = dockerHost;
    this.containers = new PodContainers(docker, nodeName);
    // every Docker call blocks a thread
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.materializer = Materializer.matFromSystem(system);
  }

  /**
   * Serves on host:port (0: any free port) over {@code tls} until the binding is unbound. dockerHost is
   * the engine the client talks to (unix:// or tcp://): a stdin that ends is sent over a connection of
   * our own.
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, DockerClient docker, URI dockerHost,
      String nodeName, String host, int port, AgentStreamTls tls, NodeMetrics metrics) {
    return bind(system, docker, dockerHost, nodeName, host, port, tls, new DockerPodNetworks(docker, nodeName), metrics);
  }

  /**
   * As above, with where port-forward finds pods' networks (the Docker engine unless a test says
   * otherwise); {@code metrics} is null where nobody scrapes the node.
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, DockerClient docker, URI dockerHost,
      String nodeName, String host, int port, AgentStreamTls tls, PodNetworks networks, NodeMetrics metrics) {
    StreamServer server = new StreamServer(system, docker, dockerHost, nodeName, networks, metrics);
    // a followed log or an interactive shell may stay quiet for hours
    ServerSettings settings = ServerSettings.create(ConfigFactory.parseString(
        "pekko.http.server { idle-timeout = infinite, request-timeout = infinite }").withFallback(system.settings().config()));
    // the handshake lets in the control plane alone: what reaches handle() comes from it
    return Http.get(system).newServerAt(host, port).withSettings(settings)
        .enableHttps(ConnectionContext.httpsServer(() -> tls.newEngine(null, -1)))
        .bind(server::handle);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    try {
      return route(request).exceptionally(StreamServer::failure);
    } catch (RuntimeException e) {
      return done(failure(e));
    }
  }

  private CompletionStage<HttpResponse> route(HttpRequest request) {
    List<String> seg = new java.util.ArrayList<>();
    request.getUri().pathSegments().forEach(s -> {
      if (!s.isEmpty()) seg.add(s);
    });
    String method = request.method().value();
    // kubelet's health check, reached through nodes/{name}/proxy/healthz
    if (seg.equals(List.of("healthz"))) return done(text(200, "ok"));
    // kubelet's metrics endpoints, reached through nodes/{name}/proxy/metrics[/cadvisor]
    if (metrics != null && (seg.equals(List.of("metrics")) || seg.equals(List.of("metrics", "cadvisor")))) {
      if (!method.equals("GET")) return done(methodNotAllowed());
      boolean cadvisor = seg.size() == 2;
      return CompletableFuture.supplyAsync(() -> HttpResponse.create().withEntity(
          ContentTypes.parse(PrometheusText.CONTENT_TYPE), cadvisor ? metrics.cadvisor() : metrics.kubelet()), blocking);
    }
    if ((seg.size() == 3 || seg.size() == 4) && seg.get(0).equals("portForward")) {
      // kubelet's /portForward/{namespace}/{pod}[/{uid}]
      return method.equals("GET") || method.equals("POST")
          ? portForward(request, seg.get(1), seg.get(2), seg.size() == 4 ? seg.get(3) : "")
          : done(methodNotAllowed());
    }
    if (seg.size() != 4) return done(text(404, "404 page not found"));
    String namespace = seg.get(1);
    String pod = seg.get(2);
    String container = seg.get(3);
    Query query = request.getUri().query();
    return switch (seg.get(0)) {
      case "containerLogs" -> method.equals("GET") ? logs(namespace, pod, container, query) : done(methodNotAllowed());
      case "exec", "attach" -> method.equals("GET") || method.equals("POST")
          ? remoteCommand(seg.get(0).equals("exec"), request, namespace, pod, container, query)
          : done(methodNotAllowed());
      default -> done(text(404, "404 page not found"));
    };
  }

  private CompletionStage<HttpResponse> logs(String namespace, String pod, String container, Query query) {
    ContainerLogs.Options options = ContainerLogs.Options.parse(query, clock);
    return CompletableFuture.supplyAsync(() -> containers.forLogs(namespace, pod, container, options.previous()), blocking)
        .thenApply(instance -> HttpResponse.create().withEntity(
            HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8, ContainerLogs.stream(docker, instance.id(), options))));
  }

  private CompletionStage<HttpResponse> remoteCommand(boolean exec, HttpRequest request, String namespace, String pod,
      String container, Query query) {
    RemoteCommandOptions options = RemoteCommandOptions.parse(query, exec);
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    return CompletableFuture.supplyAsync(() -> {
      PodContainers.Instance target = containers.running(namespace, pod, container);
      if (upgrade.isEmpty()) {
        // SPDY (or no upgrade at all): checked the target first, so that a client gets the real error
        throw StreamException.badRequest("unable to upgrade: only WebSocket is served here, with subprotocol "
            + String.join(" or ", ChannelProtocol.SUPPORTED));
      }
      String protocol = ChannelProtocol.choose(upgrade.get().getRequestedProtocols()).orElseThrow(() ->
          StreamException.badRequest("unable to upgrade: the WebSocket subprotocol must be one of "
              + ChannelProtocol.SUPPORTED));
      RemoteCommandTarget session = exec
          ? ExecTarget.create(docker, dockerHost, target.id(), options)
          : new AttachTarget(docker, dockerHost, target.id(), target.tty(), options);
      return upgrade.get().handleMessagesWith(
          RemoteCommandSession.flow(session, options, protocol, materializer, blocking), protocol);
    }, blocking);
  }

  private CompletionStage<HttpResponse> portForward(HttpRequest request, String namespace, String pod, String uid) {
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    return CompletableFuture.supplyAsync(() -> {
      PodNetworks.PodNetwork network = networks.of(namespace, pod);
      if (upgrade.isEmpty()) {
        throw StreamException.badRequest("unable to upgrade: only WebSocket is served here, with subprotocol "
            + PORT_FORWARD_PROTOCOL);
      }
      // Pekko reads subprotocols as tokens, which "SPDY/3.1+..." is not: the header is read and answered here
      boolean tunnelled = request.getHeader("Sec-WebSocket-Protocol").stream()
          .flatMap(h -> java.util.Arrays.stream(h.value().split(",")))
          .anyMatch(p -> p.trim().equals(PORT_FORWARD_PROTOCOL));
      // the API server's tunneling handler's words
      if (!tunnelled) throw StreamException.badRequest("unable to upgrade: no tunneling spdy protocols provided");
      return upgrade.get().handleMessagesWith(PortForwardSession.flow(system, network))
          .addHeader(RawHeader.create("Sec-WebSocket-Protocol", PORT_FORWARD_PROTOCOL));
    }, blocking);
  }

  private static HttpResponse failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof StreamException s) return text(s.status, s.getMessage());
    if (cause instanceof DockerException d) {
      String message = dockerMessage(d);
      if (d instanceof NotFoundException) return text(404, message);
      log.warn("Docker failed a streaming request: {}", message);
      return text(500, message);
    }
    log.error("serving a streaming request failed", cause);
    return text(500, String.valueOf(cause.getMessage()));
  }

  /** Docker's own words: docker-java wraps them as "Status 409: {"message":"..."}". */
  static String dockerMessage(DockerException d) {
    String m = String.valueOf(d.getMessage());
    int json = m.indexOf('{');
    if (json >= 0) {
      try {
        JsonNode body = Json.parse(m.substring(json).getBytes(StandardCharsets.UTF_8));
        if (body.hasNonNull("message")) return body.get("message").asText();
      } catch (RuntimeException notJson) {
        // the message as it is, then
      }
    }
    return m.trim();
  }

  private static HttpResponse methodNotAllowed() {
    return text(405, "405: Method Not Allowed");
  }

  private static HttpResponse text(int status, String message) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.TEXT_PLAIN_UTF8, message);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
