package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Continuations;
import io.kubeactor.common.Json;
import io.kubeactor.common.metrics.PrometheusText;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.apiserver.openapi.GzipResponses;
import io.kubeactor.controlplane.apiserver.openapi.OpenApi;
import io.kubeactor.controlplane.client.MetricsClient;
import io.kubeactor.controlplane.node.AgentDirectory;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.security.AccessControl;
import io.kubeactor.controlplane.security.authentication.Authentication;
import io.kubeactor.controlplane.security.authentication.Impersonation;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RequestAttributes;
import io.kubeactor.controlplane.security.serviceaccount.OpenIdMetadata;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.SslSessionInfo;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes REST API over HTTPS: authentication, discovery, OpenAPI, and the resource tree
 * (/api/v1/..., /apis/{group}/{version}/...) handed to the {@link ResourceHandler}. Every failure
 * leaves as a metav1.Status; nothing a client sends can produce a 500 with a stack trace.
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** Kubernetes' limit on a request body (3 MiB). */
  public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;

  /**
   * Bodies up to this size are read to the end even when refused, so that the client reads the 413
   * instead of a connection reset in the middle of its upload.
   */
  private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;

  private final ResourceRegistry types;
  private final Registry registry;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final ResourceHandler resources;
  private final AccessControl access;
  private final Clock clock;
  private final Materializer materializer;
  /** Where what follows reading a body runs: the actor system's threads (see {@link Continuations}). */
  private final java.util.concurrent.Executor continuations;
  private final Duration requestTimeout;
  private final MetricsApi metrics;
  private final ReviewApi reviews;
  private final Map<String, CompletableFuture<?>> startupHooks = new java.util.concurrent.ConcurrentSkipListMap<>();
  /** The ServiceAccount issuer's discovery documents; null when there is none (kube-apiserver then serves none). */
  private final OpenIdMetadata openIdMetadata;
  private final ResourceProxy proxy;

  public ApiServer(Registry registry, AccessControl access, ActorSystem<?> system, String advertisedAddress,
      Duration requestTimeout, Duration bookmarkEvery, AgentDirectory agents, AgentConnections agentTls, Clock clock,
      MetricsClient usage) {
    this(registry, access, system, advertisedAddress, requestTimeout, bookmarkEvery, agents, agentTls, clock, usage, false);
  }

  /**
   * As above; {@code proxyToLoopback} lets pods/proxy and nodes/proxy reach loopback addresses, which
   * kube-apiserver refuses ("address not allowed"): for tests whose pods are servers on 127.0.0.1.
   */
  public ApiServer(Registry registry, AccessControl access, ActorSystem<?> system, String advertisedAddress,
      Duration requestTimeout, Duration bookmarkEvery, AgentDirectory agents, AgentConnections agentTls, Clock clock,
      MetricsClient usage, boolean proxyToLoopback) {
    this.metrics = new MetricsApi(registry, usage);
    this.types = registry.types();
    this.registry = registry;
    this.discovery = new Discovery(types, advertisedAddress,
        java.util.stream.Stream.concat(ReviewApi.RESOURCES.stream(), MetricsApi.RESOURCES.stream()).toList());
    this.openApi = new OpenApi(types);
    this.materializer = Materializer.matFromSystem(system);
    this.continuations = system.executionContext();
    NodeProxy nodes = new NodeProxy(registry, agents, agentTls, system);
    this.resources = new ResourceHandler(registry, new WatchStream(registry, materializer, clock, bookmarkEvery),
        nodes, clock, access.serviceAccountTokens() == null ? null : access.serviceAccountTokens().tokenRequests());
    this.proxy = new ResourceProxy(registry, agents, agentTls, nodes, system, proxyToLoopback);
    this.access = access;
    this.clock = clock;
    this.reviews = new ReviewApi(access);
    this.openIdMetadata = openIdMetadata(access, advertisedAddress);
    this.requestTimeout = requestTimeout;
  }

  public CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port, SSLContext tls) {
    return Http.get(system).newServerAt(host, port)
        .enableHttps(ConnectionContext.httpsServer(() -> {
          SSLEngine engine = tls.createSSLEngine();
          engine.setUseClientMode(false);
          // asked for, not required: a client may authenticate with a token instead
          engine.setWantClientAuth(true);
          return engine;
        }))
        .bind(this::handle);
  }

  /** Every request: authenticate, route, and turn any failure into a Status. */
  public CompletionStage<HttpResponse> handle(HttpRequest request) {
    RequestAudit audit = access.audit().enabled() ? new RequestAudit(access.audit(), request, clock.instant()) : null;
    CompletionStage<HttpResponse> response;
    try {
      response = route(request, audit).exceptionally(ApiServer::toResponse);
    } catch (RuntimeException | StackOverflowError e) {
      response = CompletableFuture.completedFuture(toResponse(e));
    }
    return audit == null ? response : response.thenApply(audit::completed);
  }

  private CompletionStage<HttpResponse> route(HttpRequest request, RequestAudit audit) {
    String path = decodedPath(request);
    List<String> seg = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String method = request.method().value();

    X509Certificate[] certificates = peerCertificates(request);
    String authorization = request.getHeader("Authorization").map(h -> h.value()).orElse(null);
    Authentication authentication = access.authenticator().authenticate(certificates, authorization, path);
    String watch = request.getUri().query().get("watch").orElse(null);
    String fieldSelector = request.getUri().query().get("fieldSelector").orElse(null);
    if (authentication.user().isEmpty()) {
      log.debug("unauthorized request to {}: {}", path, authentication.failure());
      if (audit != null) {
        audit.unauthenticated(RequestAttributes.of(null, method, path, watch, fieldSelector), authorization != null,
            certificates != null);
      }
      return done(Responses.error(new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, null)));
    }
    UserInfo authenticated = authentication.user().get();
    if (audit != null) audit.received(RequestAttributes.of(authenticated, method, path, watch, fieldSelector), authenticated);
    UserInfo user = Impersonation.apply(authenticated, impersonationHeaders(request), access.authorizer());
    if (audit != null && user != authenticated) audit.handle().impersonated(user);
    Attributes attributes = RequestAttributes.of(user, method, path, watch, fieldSelector);
    Authorizer.Decision decision = access.authorizer().authorize(attributes);
    if (audit != null) audit.handle().authorized(decision);
    if (!decision.allowed()) throw RequestAttributes.forbidden(attributes, decision.reason());

    if (seg.size() == 1 && List.of("healthz", "livez", "readyz").contains(seg.get(0))) {
      String failing = !registry.cache().ready() ? "store recovering"
          : seg.get(0).equals("readyz") ? unfinishedStartupHook() : null;
      return done(HttpResponse.create().withStatus(failing == null ? 200 : 503)
          .withEntity(ContentTypes.TEXT_PLAIN_UTF8, failing == null ? "ok" : failing));
    }
    if (seg.size() == 1 && seg.get(0).equals("version")) return done(Responses.json(discovery.version()));
    if (openIdMetadata != null && (path.equals(OpenIdMetadata.CONFIGURATION_PATH) || path.equals(OpenIdMetadata.JWKS_PATH))) {
      boolean configuration = path.equals(OpenIdMetadata.CONFIGURATION_PATH);
      return done(HttpResponse.create()
          .withEntity(ContentTypes.parse(configuration ? OpenIdMetadata.CONFIGURATION_CONTENT_TYPE : OpenIdMetadata.JWKS_CONTENT_TYPE),
              (configuration ? openIdMetadata.configurationJson() : openIdMetadata.keySetJson())
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .addHeader(HttpHeader.parse("Cache-Control", OpenIdMetadata.CACHE_CONTROL)));
    }
    // the process's metrics, served while the store recovers too (upstream's /metrics is a non-resource path)
    if (seg.size() == 1 && seg.get(0).equals("metrics")) return done(prometheusMetrics(method));
    if (!registry.cache().ready()) {
      throw new ApiException(503, "ServiceUnavailable", "the store is still recovering; try again shortly", null, null, null, null);
    }

    if (seg.isEmpty()) return done(Responses.json(rootPaths()));
    switch (seg.get(0)) {
      case "api" -> {
        if (seg.size() == 1) return done(discovery.api(request));
        if (seg.size() == 2) return done(found(discovery.resourceList("", seg.get(1)), path));
        return resource(request, user, audit, method, "/api/" + seg.get(1), seg.subList(2, seg.size()));
      }
      case "apis" -> {
        if (seg.size() == 1) return done(discovery.apis(request));
        if (seg.size() == 2) return done(found(discovery.apiGroup(seg.get(1)), path));
        if (seg.size() == 3) return done(found(discovery.resourceList(seg.get(1), seg.get(2)), path));
        if (seg.get(1).equals(MetricsApi.GROUP)) return done(metrics(request, method, seg, path));
        if (ReviewApi.serves(seg.get(1))) return reviews(request, user, method, seg, path);
        return resource(request, user, audit, method, "/apis/" + seg.get(1) + "/" + seg.get(2), seg.subList(3, seg.size()));
      }
      case "openapi" -> {
        if (seg.size() == 2 && seg.get(1).equals("v2")) return done(GzipResponses.encodeIfAccepted(request, openApiV2(request)));
        return done(GzipResponses.encodeIfAccepted(request, openApi(seg, path)));
      }
      default -> throw pathNotFound(path);
    }
  }

  /** metrics.k8s.io below its group/version: served from the nodes' usage reports, read-only. */
  private HttpResponse metrics(HttpRequest request, String method, List<String> seg, String path) {
    if (!seg.get(2).equals(MetricsApi.VERSION)) throw pathNotFound(path);
    if (!method.equals("GET")) throw ApiException.methodNotAllowed(MetricsApi.GROUP, seg.get(seg.size() - 1), "");
    return Responses.json(metrics.get(seg.subList(3, seg.size()), request.getUri().query().get("labelSelector")));
  }

  /** authentication.k8s.io and authorization.k8s.io below their group/version: reviews, answered and never stored. */
  private CompletionStage<HttpResponse> reviews(HttpRequest request, UserInfo user, String method, List<String> seg,
      String path) {
    String group = seg.get(1);
    if (!seg.get(2).equals(ReviewApi.VERSION)) throw pathNotFound(path);
    return readBody(request).thenApply(body ->
        reviews.handle(new ApiRequest(request, method, null, null, null, null, body, user), group, seg.subList(3, seg.size())));
  }

  private HttpResponse openApi(List<String> seg, String path) {
    if (seg.size() == 2 && seg.get(1).equals("v3")) return Responses.json(openApi.index());
    if (seg.size() > 2 && seg.get(1).equals("v3")) {
      List<String> gv = seg.subList(2, seg.size());
      String groupVersion = gv.get(0).equals("api") && gv.size() == 2 ? gv.get(1)
          : gv.get(0).equals("apis") && gv.size() == 3 ? gv.get(1) + "/" + gv.get(2) : null;
      Optional<byte[]> doc = groupVersion == null ? Optional.empty() : openApi.document(groupVersion);
      if (doc.isPresent()) {
        return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, doc.get());
      }
    }
    throw pathNotFound(path);
  }

  /** gnostic's protobuf media type, as client-go asks for it and as kube-apiserver answers with it. */
  private static final String OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  private static final String OPENAPI_V2_PROTOBUF_ANSWERED = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
  /** Compressible: kube-apiserver gzips the protobuf as it does the JSON. */
  private static final org.apache.pekko.http.javadsl.model.ContentType OPENAPI_V2_PROTOBUF_TYPE = ContentTypes.create(
      org.apache.pekko.http.javadsl.model.MediaTypes.applicationBinary("com.github.proto-openapi.spec.v2.v1.0+protobuf", true));

  /**
   * GET /openapi/v2 as kube-apiserver serves it: protobuf to whoever asks for it (client-go asks for
   * nothing else), JSON to JSON, any type or no Accept header, 406 otherwise; the ETag answers a
   * matching If-None-Match with 304. The Accept header is read as text: Pekko's parser refuses the
   * "@" of the protobuf type.
   */
  private HttpResponse openApiV2(HttpRequest request) {
    OpenApi.Swagger doc = openApi.v2();
    String etag = "\"" + doc.hash() + "\"";
    String accept = request.getHeader("Accept").map(h -> h.value()).orElse("");
    boolean protobuf = accept.contains(OPENAPI_V2_PROTOBUF) || accept.contains(OPENAPI_V2_PROTOBUF_ANSWERED);
    boolean json = accept.isBlank() || accept.contains("application/json") || accept.contains("*/*");
    if (!protobuf && !json) return HttpResponse.create().withStatus(StatusCodes.NOT_ACCEPTABLE);
    List<HttpHeader> headers = List.of(RawHeader.create("ETag", etag), RawHeader.create("Vary", "Accept"),
        RawHeader.create("Cache-Control", "no-cache, private"));
    if (request.getHeader("If-None-Match").map(h -> h.value().equals(etag)).orElse(false)) {
      return HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).withHeaders(headers);
    }
    HttpEntity.Strict entity = protobuf
        ? HttpEntities.create(OPENAPI_V2_PROTOBUF_TYPE, doc.protobuf())
        : HttpEntities.create(ContentTypes.APPLICATION_JSON, doc.json());
    return HttpResponse.create().withHeaders(headers).withEntity(entity);
  }

  /** /api/v1/... or /apis/g/v/...: parse namespace, resource, name and subresource, read the body, dispatch. */
  private CompletionStage<HttpResponse> resource(HttpRequest request, UserInfo user, RequestAudit audit, String method,
      String base, List<String> rest) {
    String namespace = null;
    List<String> r = rest;
    if (r.size() >= 3 && r.get(0).equals("namespaces")) {
      namespace = r.get(1);
      r = r.subList(2, r.size());
    }
    if (r.size() >= 3 && r.get(2).equals("proxy")) return proxy(request, base, namespace, r);
    if (r.isEmpty() || r.size() > 3) throw pathNotFound(request.getUri().path());
    String plural = r.get(0);
    Optional<ResourceType> type = types.find(base, plural);
    if (type.isEmpty()) throw pathNotFound(request.getUri().path());
    ResourceType t = type.get();
    if (namespace != null && !t.namespaced()) throw pathNotFound(request.getUri().path());
    String name = r.size() >= 2 ? r.get(1) : null;
    String sub = r.size() == 3 ? r.get(2) : null;
    if (t.namespaced() && namespace == null && name != null) throw pathNotFound(request.getUri().path());
    String ns = namespace;
    if (sub != null && !t.hasSubresource(sub)) {
      // no such route upstream, so not counted: the handler answers the 404
      return readBody(request).thenCompose(body -> resources.handle(new ApiRequest(request, method, t, ns, name, sub, body, user)));
    }
    // the query is parsed for the labels only when it names watch or dryRun
    String query = request.getUri().rawQueryString().orElse("");
    RequestMetrics.Verb verb = RequestMetrics.verb(method, name, sub, query.contains("watch") && watchRequested(request),
        method.equals("PATCH") && applyPatch(request));
    RequestMetrics.Series series = RequestMetrics.series(t, verb, RequestMetrics.scope(ns, name, verb), sub,
        query.contains("dryRun") && dryRunRequested(request));
    // counted and timed by the status it is answered with, a failure's too
    long started = series.started();
    CompletionStage<HttpResponse> stage;
    try {
      stage = readBody(request).thenCompose(body -> {
        if (audit != null) audit.handle().requestBody(body);
        return resources.handle(new ApiRequest(request, method, t, ns, name, sub, body, user));
      });
    } catch (RuntimeException | StackOverflowError e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return series.measure(started, stage, ApiServer::toResponse);
  }

  /** A server-side apply, which upstream counts as APPLY: its patch type as the client sent it. */
  private static boolean applyPatch(HttpRequest request) {
    String type = request.getHeader("Content-Type").map(h -> h.value())
        .orElseGet(() -> request.entity().getContentType().mediaType().toString());
    return type.startsWith("application/apply-patch");
  }

  /** upstream's cleanVerb: a list is a watch when its first watch parameter is neither "0" nor "false". */
  private static boolean watchRequested(HttpRequest request) {
    return request.getUri().query().get("watch")
        .map(v -> !v.equalsIgnoreCase("0") && !v.equalsIgnoreCase("false")).orElse(false);
  }

  /** The dry_run label: "All" for a dry run (the only value there is), else "". */
  private static boolean dryRunRequested(HttpRequest request) {
    return request.getUri().query().getAll("dryRun").contains("All");
  }

  private static HttpResponse prometheusMetrics(String method) {
    if (!method.equals("GET")) {
      return HttpResponse.create().withStatus(405).withEntity(ContentTypes.TEXT_PLAIN_UTF8, "405: Method Not Allowed");
    }
    return HttpResponse.create().withEntity(ContentTypes.parse(PrometheusText.CONTENT_TYPE), PrometheusText.scrape());
  }

  /** pods|services|nodes/{name}/proxy/...: the body is not read here but streamed on. */
  private CompletionStage<HttpResponse> proxy(HttpRequest request, String base, String namespace, List<String> r) {
    String path = request.getUri().path();
    ResourceType t = types.find(base, r.get(0)).filter(x -> x.hasSubresource("proxy")).orElseThrow(() -> pathNotFound(path));
    if (t.namespaced() != (namespace != null)) throw pathNotFound(path);
    String prefix = base + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + r.get(0) + "/" + r.get(1) + "/proxy";
    if (!path.startsWith(prefix)) throw pathNotFound(path);
    RequestMetrics.Series series = RequestMetrics.series(t, RequestMetrics.Verb.CONNECT, RequestMetrics.Scope.RESOURCE,
        "proxy", false);
    long started = series.started();
    CompletionStage<HttpResponse> stage;
    try {
      stage = proxy.handle(request, t, namespace, r.get(1), prefix, path.substring(prefix.length()));
    } catch (RuntimeException | StackOverflowError e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return series.measure(started, stage, ApiServer::toResponse);
  }

  private static OpenIdMetadata openIdMetadata(AccessControl access, String advertisedAddress) {
    if (access.serviceAccountTokens() == null) return null;
    try {
      return access.serviceAccountTokens().openIdMetadata(advertisedAddress);
    } catch (IllegalArgumentException e) {
      log.warn("no OIDC discovery documents are served: {}", e.getMessage());
      return null;
    }
  }

  /**
   * Work the API server serves beside while it finishes (kube-apiserver's post-start hooks): /readyz
   * answers 503 naming the first unfinished one, as {@code [-]poststarthook/NAME failed: not finished}.
   */
  public void readyAfter(String name, CompletionStage<?> hook) {
    startupHooks.put(name, hook.toCompletableFuture());
    hook.whenComplete((x, e) -> {
      if (e != null) log.error("{} failed; /readyz reports it: {}", name, ApiException.unwrap(e).getMessage());
    });
  }

  private String unfinishedStartupHook() {
    for (Map.Entry<String, CompletableFuture<?>> hook : startupHooks.entrySet()) {
      CompletableFuture<?> f = hook.getValue();
      if (!f.isDone()) return "[-]" + hook.getKey() + " failed: not finished";
      if (f.isCompletedExceptionally()) return "[-]" + hook.getKey() + " failed: reason withheld";
    }
    return null;
  }

  /**
   * The request's path with its percent-escapes decoded, as Go's URL.Path is what kube-apiserver
   * routes and authorizes by: a name such as {@code \u202Eabc} (which RBAC's path-segment names allow)
   * is found by the URL a client escapes it into. A malformed escape is a 400.
   */
  private static String decodedPath(HttpRequest request) {
    String raw = request.getUri().path();
    if (raw.indexOf('%') < 0) return raw;
    try {
      // '+' is a plus in a path, not the space it is in a form
      return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the request path is not validly escaped");
    }
  }

  /** The request's Impersonate-* headers (an empty list, as almost always, when it has none). */
  private static List<Map.Entry<String, String>> impersonationHeaders(HttpRequest request) {
    List<Map.Entry<String, String>> out = List.of();
    for (HttpHeader h : request.getHeaders()) {
      if (!h.lowercaseName().startsWith("impersonate-")) continue;
      if (out.isEmpty()) out = new ArrayList<>();
      out.add(Map.entry(h.lowercaseName(), h.value()));
    }
    return out;
  }

  /** The certificates the client presented in the TLS handshake, null when none. */
  private static X509Certificate[] peerCertificates(HttpRequest request) {
    Optional<SslSessionInfo> tls = request.getAttribute(AttributeKeys.sslSession);
    if (tls.isEmpty()) return null;
    try {
      Certificate[] chain = tls.get().getSession().getPeerCertificates();
      return Arrays.stream(chain).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
          .toArray(X509Certificate[]::new);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private CompletionStage<byte[]> readBody(HttpRequest request) {
    return Continuations.on(continuations, request.entity().withSizeLimit(MAX_DRAINED_BYTES)
            .toStrict(requestTimeout.toMillis(), materializer))
        .thenApply(strict -> {
          if (strict.getData().size() > MAX_BODY_BYTES) throw tooLarge();
          return strict.getData().toArray();
        })
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof ApiException api) throw api;
          if (cause instanceof EntityStreamSizeException) throw tooLarge();
          throw ApiException.badRequest("the request body could not be read");
        });
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "RequestEntityTooLarge", "the request body is larger than "
        + MAX_BODY_BYTES + " bytes, which is the limit", null, null, null, null);
  }

  private ObjectNode rootPaths() {
    ObjectNode root = Json.object();
    var paths = root.putArray("paths");
    paths.add("/api").add("/api/v1").add("/apis");
    discovery.groupVersions().forEach((g, vs) -> {
      if (g.isEmpty()) return;
      paths.add("/apis/" + g);
      vs.forEach(v -> paths.add("/apis/" + g + "/" + v));
    });
    paths.add("/healthz").add("/livez").add("/metrics").add("/readyz").add("/openapi/v2").add("/openapi/v3").add("/version");
    return root;
  }

  private static HttpResponse found(Optional<ObjectNode> doc, String path) {
    return Responses.json(doc.orElseThrow(() -> pathNotFound(path)));
  }

  private static ApiException pathNotFound(String path) {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null, null);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static HttpResponse toResponse(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException api) return Responses.error(api);
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return Responses.error(new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted",
          null, null, null, null));
    }
    return Responses.error(internalError(cause));
  }

  /**
   * A bug met while serving a request: one log line with the stack trace, and for the client a 500
   * InternalError whose message names only an id to find that line by (never the exception's text,
   * which may quote the request or the server's internals).
   */
  static ApiException internalError(Throwable cause) {
    String id = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
    log.error("internal error {} serving a request", id, cause);
    String message = "unexpected server error (logged as " + id + ")";
    return new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null,
        List.of(new ApiException.Cause(null, message, null)));
  }
}
