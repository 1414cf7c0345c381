package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.InsecureTls;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.apiserver.ProxyLocations.SchemeNamePort;
import io.kubeactor.controlplane.apiserver.ProxyLocations.Target;
import io.kubeactor.controlplane.node.AgentDirectory;
import io.kubeactor.controlplane.registry.Registry;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * pods/{name}/proxy, services/{name}/proxy and nodes/{name}/proxy: the request goes on to the pod's
 * IP, a ready endpoint of the Service, or the node's agent, as kube-apiserver's UpgradeAwareHandler
 * with its proxy transport sends it. Every method, the rest of the path, the query, the headers (less
 * hop-by-hop ones and the client's credentials) and the body streamed both ways; X-Forwarded-*
 * headers; a redirect's Location rewritten to come back through the proxy; a WebSocket joined end to
 * end. The API server reaches the addresses itself (agents on this host; see the report for others).
 */
final class ResourceProxy {

  /** Go's ReverseProxy drops these in both directions; Pekko keeps the entity's own. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "authorization", "content-length", "content-type", "timeout-access", "remote-address", "raw-request-uri");
  /** kube-apiserver's corsRemovingTransport: the backend's CORS headers are not the API server's. */
  private static final Set<String> CORS = Set.of("access-control-allow-credentials", "access-control-allow-headers",
      "access-control-allow-methods", "access-control-allow-origin");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  private final Registry registry;
  private final AgentDirectory agents;
  private final AgentConnections agentTls;
  private final NodeProxy nodes;
  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final ClientConnectionSettings connectionSettings;
  private final HttpsConnectionContext insecureTls;
  private final boolean allowLoopback;

  ResourceProxy(Registry registry, AgentDirectory agents, AgentConnections agentTls, NodeProxy nodes, ActorSystem<?> system,
      boolean allowLoopback) {
    this.registry = registry;
    this.agents = agents;
    this.agentTls = agentTls;
    this.nodes = nodes;
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.allowLoopback = allowLoopback;
    // a proxied response may stream for as long as the backend sends
    this.connectionSettings = ClientConnectionSettings.create(ConfigFactory.parseString(
        "pekko.http.client.idle-timeout = infinite\npekko.http.client.parsing.max-content-length = infinite")
        .withFallback(system.settings().config()));
    // kube-apiserver's proxy transport does not verify pods' and services' certificates
    this.insecureTls = ConnectionContext.httpsClient((host, port) -> {
      var engine = InsecureTls.context().createSSLEngine(host, port);
      engine.setUseClientMode(true);
      return engine;
    });
  }

  /**
   * One proxied request. {@code prefix} is the request's path up to and including "/proxy";
   * {@code rest} the path after it.
   */
  CompletionStage<HttpResponse> handle(HttpRequest request, ResourceType type, String namespace, String id,
      String prefix, String rest) {
    String method = request.method().value();
    if (!METHODS.contains(method)) throw ApiException.methodNotAllowed(type.group(), type.plural(), id);
    SchemeNamePort p = SchemeNamePort.parse(id).orElseThrow(() -> ApiException.badRequest(
        "invalid " + switch (type.plural()) {
          case "pods" -> "pod";
          case "nodes" -> "node";
          default -> "service";
        } + " request \"" + id + "\""));
    Target target = switch (type.plural()) {
      case "pods" -> ProxyLocations.pod(registry.get(type, namespace, p.name()), p, allowLoopback);
      case "services" -> ProxyLocations.service(registry.get(type, namespace, p.name()),
          endpointSlices(namespace, p.name()), id, p, ThreadLocalRandom.current());
      default -> {
        registry.get(type, null, p.name());
        yield ProxyLocations.node(p.name(), PodStreamLocations.agent(agents, p.name()), p, allowLoopback);
      }
    };
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) return webSocket(request, upgrade.get(), target, rest);
    if (rest.isEmpty() && (method.equals("GET") || method.equals("HEAD"))) {
      // kube-apiserver's hack for issue 4958: the root of a proxy ends with a slash
      String query = request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(301)
          .addHeader(RawHeader.create("Location", request.getUri().path() + "/" + query)));
    }
    return forward(request, target, prefix, rest);
  }

  private List<JsonNode> endpointSlices(String namespace, String service) {
    ResourceType slices = registry.types().find("/apis/discovery.k8s.io/v1", "endpointslices").orElseThrow();
    List<JsonNode> found = new ArrayList<>();
    for (ObjectNode s : registry.list(slices, namespace, LabelSelector.parse("kubernetes.io/service-name=" + service),
        null, 0, null).items()) {
      found.add(s);
    }
    return found;
  }

  private CompletionStage<HttpResponse> forward(HttpRequest request, Target target, String prefix, String rest) {
    String path = backendPath(rest);
    Uri uri = Uri.create(target.scheme() + "://" + target.authority()).path(path);
    Optional<String> query = request.getUri().rawQueryString();
    if (query.isPresent()) uri = uri.rawQueryString(query.get());
    HttpRequest out = HttpRequest.create().withMethod(request.method()).withUri(uri.toRelative())
        .withEntity((org.apache.pekko.http.javadsl.model.RequestEntity) request.entity().withoutSizeLimit());
    for (HttpHeader h : request.getHeaders()) {
      if (!HOP_BY_HOP.contains(h.lowercaseName()) && !h.lowercaseName().startsWith("x-forwarded-")) out = out.addHeader(h);
    }
    // the client's Host goes on (Go's ReverseProxy keeps it), then kube-apiserver's X-Forwarded-* headers
    out = out.addHeader(RawHeader.create("Host", request.getHeader("Host").map(HttpHeader::value).orElse(target.authority())));
    out = withForwardedFor(out, request);
    out = out.addHeader(RawHeader.create("X-Forwarded-Uri", prefix + path));
    var connection = Http.get(system).connectionTo(target.host())
        .toPort(target.port() < 0 ? (target.scheme().equals("https") ? 443 : 80) : target.port())
        .withClientConnectionSettings(connectionSettings);
    var flow = target.scheme().equals("https") ? connection.withCustomHttpsConnectionContext(tls(target)).https()
        : connection.http();
    HttpRequest sent = out;
    // one connection per request: a streaming response must not hold a pooled one
    return Source.single(sent).via(flow).runWith(Sink.head(), materializer)
        .handle((response, failure) -> {
          if (failure != null) throw unreachable(target, failure);
          return response;
        })
        .thenCompose(response -> response(response, request, target, prefix));
  }

  /**
   * The backend's answer as it is, less hop-by-hop and CORS headers, a redirect coming back through the
   * proxy, and an HTML page's links too (read whole for that, as upstream reads it).
   */
  private CompletionStage<HttpResponse> response(HttpResponse backend, HttpRequest request, Target target, String prefix) {
    HttpResponse r = HttpResponse.create().withStatus(backend.status()).withEntity(backend.entity());
    String encoding = backend.getHeader("Content-Encoding").map(h -> h.value().trim().toLowerCase(Locale.ROOT)).orElse("");
    var media = backend.entity().getContentType().mediaType();
    boolean page = media.mainType().equals("text") && media.subType().equals("html")
        && backend.getHeader("Location").isEmpty() && Set.of("", "gzip", "deflate").contains(encoding);
    for (HttpHeader h : backend.getHeaders()) {
      String n = h.lowercaseName();
      if (HOP_BY_HOP.contains(n) || CORS.contains(n)) continue;
      if (n.equals("location")) {
        r = r.addHeader(RawHeader.create("Location", rewriteLocation(h.value(), request, target, prefix)));
      } else {
        r = r.addHeader(h);
      }
    }
    if (!page) return CompletableFuture.completedFuture(r);
    HttpResponse headers = r;
    return backend.entity().withSizeLimit(MAX_PAGE_BYTES).toStrict(PAGE_READ_MILLIS, materializer).thenApply(strict -> {
      byte[] body = Pages.decode(strict.getData().toArray(), encoding);
      String rewritten = HtmlLinks.rewrite(new String(body, StandardCharsets.ISO_8859_1),
          url -> rewriteLocation(url, request, target, prefix));
      return headers.withEntity(HttpEntities.create(strict.getContentType(),
          Pages.encode(rewritten.getBytes(StandardCharsets.ISO_8859_1), encoding)));
    });
  }

  private static final long MAX_PAGE_BYTES = 64L * 1024 * 1024;
  private static final long PAGE_READ_MILLIS = 60_000;

  /** A page's bytes as sent, in and out of its content coding (Go's proxy reads "deflate" as raw DEFLATE). */
  static final class Pages {
    private Pages() {}

    static byte[] decode(byte[] body, String encoding) {
      try {
        return switch (encoding) {
          case "gzip" -> new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
          case "deflate" -> new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(body),
              new java.util.zip.Inflater(true)).readAllBytes();
          default -> body;
        };
      } catch (java.io.IOException e) {
        throw new ApiException(500, "InternalError", "Internal error occurred: the backend's page cannot be decoded",
            null, null, null, null);
      }
    }

    static byte[] encode(byte[] body, String encoding) {
      try {
        var bytes = new java.io.ByteArrayOutputStream();
        switch (encoding) {
          case "gzip" -> {
            try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
              gz.write(body);
            }
          }
          case "deflate" -> {
            try (var df = new java.util.zip.DeflaterOutputStream(bytes,
                new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true))) {
              df.write(body);
            }
          }
          default -> {
            return body;
          }
        }
        return bytes.toByteArray();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * proxy.Transport.rewriteURL: a redirect to an absolute path on the backend's host (or the client's)
   * gets the proxy's prefix, so that following it comes back through the proxy.
   */
  static String rewriteLocation(String location, HttpRequest request, Target target, String prefix) {
    Uri u;
    try {
      u = Uri.create(location);
    } catch (RuntimeException e) {
      return location;
    }
    String host = u.host().address();
    String authority = host.isEmpty() ? "" : host + (u.getPort() > 0 ? ":" + u.getPort() : "");
    String clientHost = request.getHeader("Host").map(HttpHeader::value).orElse("");
    boolean otherHost = !authority.isEmpty() && !authority.equals(target.authority()) && !authority.equals(clientHost);
    String path = u.path();
    if (!path.startsWith("/") || otherHost) return location;
    // the client's own address stays; the backend's gives way to a path on the API server
    String origin = !authority.isEmpty() && authority.equals(clientHost) ? u.scheme() + "://" + authority : "";
    String query = u.rawQueryString().map(q -> "?" + q).orElse("");
    String fragment = u.fragment().map(f -> "#" + f).orElse("");
    return origin + (path.startsWith(prefix) ? path : cleanJoin(prefix, path)) + query + fragment;
  }

  /** The path on the backend: the rest of the request's path, cleaned as Go's path.Join cleans it, its final slash kept. */
  static String backendPath(String rest) {
    return cleanJoin("", rest);
  }

  private static String cleanJoin(String prefix, String rest) {
    List<String> parts = new ArrayList<>();
    for (String s : (prefix + "/" + rest).split("/")) {
      if (s.isEmpty() || s.equals(".")) continue;
      if (s.equals("..")) {
        if (!parts.isEmpty()) parts.remove(parts.size() - 1);
        continue;
      }
      parts.add(s);
    }
    String joined = "/" + String.join("/", parts);
    if (rest.endsWith("/") && !joined.endsWith("/")) joined += "/";
    if (prefix.isEmpty() && rest.isEmpty()) return "";
    return joined;
  }

  private HttpRequest withForwardedFor(HttpRequest out, HttpRequest request) {
    Optional<String> client = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(a -> a.getHostAddress());
    if (client.isEmpty()) return out;
    String prior = request.getHeader("X-Forwarded-For").map(HttpHeader::value).orElse("");
    return out.addHeader(RawHeader.create("X-Forwarded-For", prior.isEmpty() ? client.get() : prior + ", " + client.get()));
  }

  /** A WebSocket passed through: opened to the backend with the client's subprotocols, then joined. */
  private CompletionStage<HttpResponse> webSocket(HttpRequest request, WebSocketUpgrade upgrade, Target target, String rest) {
    String scheme = target.scheme().equals("https") ? "wss" : "ws";
    Uri uri = Uri.create(scheme + "://" + target.authority()).path(backendPath(rest).isEmpty() ? "/" : backendPath(rest));
    Optional<String> query = request.getUri().rawQueryString();
    if (query.isPresent()) uri = uri.rawQueryString(query.get());
    List<HttpHeader> headers = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) {
      String n = h.lowercaseName();
      if (n.equals("sec-websocket-protocol") || n.equals("origin") || n.equals("cookie") || n.startsWith("x-")) {
        headers.add(RawHeader.create(h.name(), h.value()));
      }
    }
    ConnectionContext tls = scheme.equals("wss") ? tls(target) : ConnectionContext.noEncryption();
    return nodes.join(upgrade, uri.toString(), headers, Optional.empty(), tls, e -> unreachable(target, e),
        refused -> CompletableFuture.completedFuture(HttpResponse.create().withStatus(refused.status())
            .withEntity(refused.entity())));
  }

  /** An agent's TLS for an agent; else, as kube-apiserver's proxy transport, none of the backend's certificate checked. */
  private HttpsConnectionContext tls(Target target) {
    return target.agentOf().map(agentTls::to).orElse(insecureTls);
  }

  /** proxy.Transport's words for a backend that cannot be reached: 503, with Go's dial error. */
  private static RuntimeException unreachable(Target target, Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c.getCause() != null && !(c instanceof ApiException)) && c.getCause() != null
        && c.getCause() != c) {
      c = c.getCause();
    }
    if (c instanceof ApiException api) return api;
    String all = e + " " + c;
    String why;
    if (c instanceof ConnectException || all.contains("Connection refused")) why = "connect: connection refused";
    else if (c instanceof NoRouteToHostException || all.contains("No route to host")) why = "connect: no route to host";
    else if (all.contains("timed out") || all.contains("timeout")) why = "i/o timeout";
    else why = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
    String address = target.port() < 0 ? target.authority() + (target.scheme().equals("https") ? ":443" : ":80")
        : target.authority();
    return new ApiException(503, "ServiceUnavailable", "error trying to reach service: dial tcp " + address + ": " + why,
        null, null, null, null);
  }
}
