package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.FieldSelector;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.apiserver.options.DeleteOptionsDecoder;
import io.kubeactor.controlplane.apiserver.options.ListOptions;
import io.kubeactor.controlplane.apiserver.options.MediaTypes;
import io.kubeactor.controlplane.apiserver.options.QueryParameters;
import io.kubeactor.controlplane.apiserver.options.WriteOptionsDecoder;
import io.kubeactor.controlplane.apiserver.table.Tables;
import io.kubeactor.controlplane.registry.ListResult;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.security.serviceaccount.TokenRequests;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.store.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The REST verbs of every kind, mapped onto the {@link Registry}: get, list, watch, create, update,
 * patch, delete, deletecollection, and the status, resize, ephemeralcontainers, scale, binding, eviction and token subresources; a pod's
 * log, exec and attach go to its node's agent through the {@link NodeProxy}.
 */
public final class ResourceHandler {

  private final Registry registry;
  private final WatchStream watches;
  private final NodeProxy nodes;
  private final Clock clock;
  /** serviceaccounts/token; null on an API server under test that issues no tokens. */
  private final TokenRequests tokenRequests;

  public ResourceHandler(Registry registry, WatchStream watches, NodeProxy nodes, Clock clock, TokenRequests tokenRequests) {
    this.registry = registry;
    this.watches = watches;
    this.nodes = nodes;
    this.clock = clock;
    this.tokenRequests = tokenRequests;
  }

  public CompletionStage<HttpResponse> handle(ApiRequest r) {
    String sub = r.subresource();
    if (sub != null && !r.type().hasSubresource(sub)) {
      throw ApiException.notFound(r.type().group(), r.type().plural() + "/" + sub, r.name());
    }
    if (sub != null && STREAMS.contains(sub)) {
      // logs and streams answer in their own media types (text, SPDY, WebSocket)
      return switch (sub) {
        case "log" -> nodes.log(r);
        case "exec" -> nodes.exec(r);
        case "attach" -> nodes.attach(r);
        default -> nodes.portForward(r);
      };
    }
    QueryParameters q = r.params();
    if (r.name() == null && r.method().equals("GET")) {
      // upstream's order: the options are decoded and validated, then the answer's type negotiated
      ListOptions options = ListOptions.from(q);
      MediaTypes.Answer answer = negotiate(r, options.watch());
      return done(options.watch() ? watch(r, options, answer) : answered(answer, list(r, options, answer)));
    }
    MediaTypes.Answer answer = negotiate(r, false);
    return respond(r, q, answer).thenApply(response -> answered(answer, response));
  }

  private static final Set<String> STREAMS = Set.of("log", "exec", "attach", "portforward");
  /** Subresources that read and write a part of the stored object, as the object itself is read and written. */
  private static final Set<String> OBJECT_PARTS = Set.of("status", "resize", "ephemeralcontainers", "approval");

  private CompletionStage<HttpResponse> respond(ApiRequest r, QueryParameters q, MediaTypes.Answer answer) {
    String sub = r.subresource();
    if (r.name() == null) {
      return switch (r.method()) {
        case "POST" -> create(r, q);
        case "DELETE" -> deleteCollection(r, q);
        default -> throw methodNotAllowed(r);
      };
    }
    if (sub == null || OBJECT_PARTS.contains(sub)) {
      return switch (r.method()) {
        case "GET" -> {
          ListOptions.parseResourceVersion(q.string("resourceVersion").orElse(""));
          yield done(object(r, answer, registry.get(r.type(), r.namespace(), r.name())));
        }
        case "PUT" -> {
          MediaTypes.bodyType(r.rawContentType());
          WriteOptions opts = WriteOptionsDecoder.update(q, r.user(), r.header("User-Agent"));
          yield written(opts, registry.update(r.type(), r.namespace(), r.name(), sub, object(r.bodyTree()), opts));
        }
        case "PATCH" -> {
          String patchType = MediaTypes.patchType(r.rawContentType());
          WriteOptions opts = WriteOptionsDecoder.patch(q, patchType, r.user(), r.header("User-Agent"));
          yield written(opts, registry.patch(r.type(), r.namespace(), r.name(), sub, patchType, r.bodyTree(), opts));
        }
        case "DELETE" -> sub == null ? delete(r, q) : methodNotAllowedStage(r);
        default -> throw methodNotAllowed(r);
      };
    }
    return switch (sub) {
      case "scale" -> Subresources.scale(registry, r, q);
      case "binding" -> Subresources.bind(registry, r, q, clock);
      case "eviction" -> Subresources.evict(registry, r, q, clock);
      case "token" -> {
        if (tokenRequests == null) throw ApiException.notFound(r.type().group(), "serviceaccounts/token", r.name());
        yield Subresources.token(registry, tokenRequests, r, q);
      }
      default -> throw methodNotAllowed(r);
    };
  }

  private static MediaTypes.Answer negotiate(ApiRequest r, boolean watch) {
    if (r.http().getAttribute(AttributeKeys.webSocketUpgrade).isPresent()) return MediaTypes.Answer.DEFAULT;
    return MediaTypes.negotiate(r.header("Accept"), watch);
  }

  /** The answer in the negotiated media type: YAML is the JSON answer re-encoded. */
  private static HttpResponse answered(MediaTypes.Answer answer, HttpResponse response) {
    return answer.yaml() ? Responses.asYaml(response) : response;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** A single object, or a one-row Table for kubectl get NAME. */
  private HttpResponse object(ApiRequest r, MediaTypes.Answer answer, ObjectNode obj) {
    if (answer.table()) {
      return Responses.json(200, Tables.table(r.type(), List.of(StoredObject.of(obj)), StoredObject::tree,
          includeObject(r), true, obj.path("metadata").path("resourceVersion").asText(), null, clock.instant()));
    }
    return Responses.json(obj);
  }

  private static String includeObject(ApiRequest r) {
    return r.query("includeObject").orElse("Metadata");
  }

  private HttpResponse list(ApiRequest r, ListOptions options, MediaTypes.Answer answer) {
    options.resourceVersionNumber();
    options.checkContinue();
    ListResult page = registry.list(r.type(), r.namespace(), labels(options), fields(options, r),
        options.limit(), options.continueToken().isEmpty() ? null : options.continueToken());
    String rv = Long.toString(page.resourceVersion());
    if (answer.table()) {
      return Responses.json(200, Tables.table(r.type(), page.stored(), page::view, includeObject(r),
          true, rv, page.continueToken(), clock.instant()));
    }
    ObjectNode list = Json.object();
    list.put("kind", r.type().kind() + "List").put("apiVersion", r.type().apiVersion());
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", rv);
    if (page.continueToken() != null) {
      meta.put("continue", page.continueToken());
      meta.put("remainingItemCount", page.remainingItemCount());
    }
    if (page.storedAsRequested()) return Responses.json(200, list, "items", page.stored().stream().map(StoredObject::bytes).toList());
    ArrayNode items = list.putArray("items");
    page.items().forEach(items::add);
    return Responses.json(list);
  }

  private HttpResponse watch(ApiRequest r, ListOptions options, MediaTypes.Answer answer) {
    Long from = options.resourceVersionNumber();
    long timeoutSeconds = options.timeoutSeconds() != null && options.timeoutSeconds() != 0
        ? Math.max(0, options.timeoutSeconds())
        // kube-apiserver's default: a random time between 30 and 60 minutes
        : 1800L + ThreadLocalRandom.current().nextLong(1800);
    WatchStream.Request req = new WatchStream.Request(r.type(), Registry.keyPrefix(r.type(), r.namespace()),
        labels(options), fields(options, r), from, Duration.ofSeconds(timeoutSeconds), options.allowWatchBookmarks(),
        answer.table(), includeObject(r));
    Source<ByteString, NotUsed> events = watches.open(req);
    Optional<WebSocketUpgrade> upgrade = r.http().getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      // as kube-apiserver: a watch asked over WebSocket gets one text message per event
      return upgrade.get().handleMessagesWith(Sink.ignore(),
          events.map(line -> (Message) TextMessage.create(line.utf8String().stripTrailing())));
    }
    return HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events));
  }

  private CompletionStage<HttpResponse> create(ApiRequest r, QueryParameters q) {
    MediaTypes.bodyType(r.rawContentType());
    WriteOptions opts = WriteOptionsDecoder.create(q, r.user(), r.header("User-Agent"));
    return registry.create(r.type(), r.namespace(), object(r.bodyTree()), opts)
        .thenApply(o -> Responses.withWarnings(Responses.json(201, o), opts.warnings()));
  }

  private static CompletionStage<HttpResponse> written(WriteOptions opts, CompletionStage<ObjectNode> result) {
    return result.thenApply(o -> Responses.withWarnings(Responses.json(o), opts.warnings()));
  }

  private CompletionStage<HttpResponse> delete(ApiRequest r, QueryParameters q) {
    return registry.delete(r.type(), r.namespace(), r.name(), deleteOptions(r, q), r.user()).thenApply(Responses::json);
  }

  /** Every option is decoded and checked before the first object goes. */
  private CompletionStage<HttpResponse> deleteCollection(ApiRequest r, QueryParameters q) {
    ListOptions listOptions = ListOptions.from(q);
    LabelSelector labels = labels(listOptions);
    FieldSelector fields = fields(listOptions, r);
    DeleteOptions opts = deleteOptions(r, q);
    ListResult all = registry.list(r.type(), r.namespace(), labels, fields, 0, null);
    List<CompletableFuture<ObjectNode>> deletions = new ArrayList<>();
    for (ObjectNode o : all.items()) {
      JsonNode meta = o.path("metadata");
      deletions.add(registry.delete(r.type(), meta.path("namespace").asText(null), meta.path("name").asText(), opts, r.user())
          .toCompletableFuture().exceptionally(e -> null));
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(v -> {
      ObjectNode list = Json.object();
      list.put("kind", r.type().kind() + "List").put("apiVersion", r.type().apiVersion());
      list.putObject("metadata");
      ArrayNode items = list.putArray("items");
      deletions.forEach(d -> { if (d.join() != null) items.add(d.join()); });
      return Responses.json(list);
    });
  }

  private static DeleteOptions deleteOptions(ApiRequest r, QueryParameters q) {
    return DeleteOptionsDecoder.decode(r.hasBody(), () -> {
      MediaTypes.bodyType(r.rawContentType());
      return r.bodyTree();
    }, q);
  }

  private static LabelSelector labels(ListOptions options) {
    return options.labelSelector().isEmpty() ? null : LabelSelector.parse(options.labelSelector());
  }

  private static FieldSelector fields(ListOptions options, ApiRequest r) {
    return options.fieldSelector().isEmpty() ? null : FieldSelector.parse(options.fieldSelector(), r.type());
  }

  static ObjectNode object(JsonNode body) {
    if (!body.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
    return (ObjectNode) body;
  }

  private static ApiException methodNotAllowed(ApiRequest r) {
    return ApiException.methodNotAllowed(r.type().group(), r.type().plural(), r.name());
  }

  private static CompletionStage<HttpResponse> methodNotAllowedStage(ApiRequest r) {
    return CompletableFuture.failedFuture(methodNotAllowed(r));
  }
}
