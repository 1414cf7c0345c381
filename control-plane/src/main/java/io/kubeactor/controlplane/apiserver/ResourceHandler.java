package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.FieldSelector;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.apiserver.table.Tables;
import io.kubeactor.controlplane.registry.DeleteOptions;
import io.kubeactor.controlplane.registry.ListResult;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The REST verbs of every kind, mapped onto the {@link Registry}: get, list, watch, create, update,
 * patch, delete, deletecollection, and the status, scale, binding and eviction subresources; a pod's
 * log, exec and attach go to its node's agent through the {@link NodeProxy}.
 */
public final class ResourceHandler {

  private final Registry registry;
  private final WatchStream watches;
  private final NodeProxy nodes;
  private final Clock clock;

  public ResourceHandler(Registry registry, WatchStream watches, NodeProxy nodes, Clock clock) {
    this.registry = registry;
    this.watches = watches;
    this.nodes = nodes;
    this.clock = clock;
  }

  public CompletionStage<HttpResponse> handle(ApiRequest r) {
    String sub = r.subresource();
    if (sub != null && !r.type().hasSubresource(sub)) {
      throw ApiException.notFound(r.type().group(), r.type().plural() + "/" + sub, r.name());
    }
    if (r.name() == null) {
      return switch (r.method()) {
        case "GET" -> done(r.flag("watch") ? watch(r) : list(r));
        case "POST" -> create(r);
        case "DELETE" -> deleteCollection(r);
        default -> throw methodNotAllowed(r);
      };
    }
    if (sub == null || sub.equals("status")) {
      return switch (r.method()) {
        case "GET" -> done(object(r, registry.get(r.type(), r.namespace(), r.name())));
        case "PUT" -> {
          WriteOptions opts = writeOptions(r);
          yield written(opts, registry.update(r.type(), r.namespace(), r.name(), sub, object(r.bodyTree()), opts));
        }
        case "PATCH" -> {
          WriteOptions opts = writeOptions(r);
          yield written(opts, registry.patch(r.type(), r.namespace(), r.name(), sub, r.contentType(), r.bodyTree(), opts));
        }
        case "DELETE" -> sub == null ? delete(r) : methodNotAllowedStage(r);
        default -> throw methodNotAllowed(r);
      };
    }
    return switch (sub) {
      case "scale" -> Subresources.scale(registry, r, writeOptions(r));
      case "binding" -> Subresources.bind(registry, r, clock);
      case "eviction" -> Subresources.evict(registry, r, clock);
      case "log" -> nodes.log(r);
      case "exec" -> nodes.exec(r);
      case "attach" -> nodes.attach(r);
      case "portforward" -> nodes.portForward(r);
      default -> throw methodNotAllowed(r);
    };
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** A single object, or a one-row Table for kubectl get NAME. */
  private HttpResponse object(ApiRequest r, ObjectNode obj) {
    if (r.wantsTable()) {
      ObjectNode meta = (ObjectNode) obj.path("metadata");
      return Responses.json(Tables.table(r.type(), List.of(obj), r.query("includeObject").orElse("Metadata"),
          true, meta.path("resourceVersion").asText(), null, clock.instant()));
    }
    return Responses.json(obj);
  }

  private HttpResponse list(ApiRequest r) {
    ListResult page = registry.list(r.type(), r.namespace(), labels(r), fields(r),
        r.query("limit").map(ResourceHandler::parseLong).orElse(0L), r.query("continue").orElse(null));
    String rv = Long.toString(page.resourceVersion());
    if (r.wantsTable()) {
      return Responses.json(Tables.table(r.type(), page.items(), r.query("includeObject").orElse("Metadata"),
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
    ArrayNode items = list.putArray("items");
    page.items().forEach(items::add);
    return Responses.json(list);
  }

  private HttpResponse watch(ApiRequest r) {
    String rvParam = r.query("resourceVersion").orElse("");
    Long from = rvParam.isEmpty() || rvParam.equals("0") ? null : parseLong(rvParam);
    long timeoutSeconds = r.query("timeoutSeconds").map(ResourceHandler::parseLong)
        // kube-apiserver's default: a random time between 30 and 60 minutes
        .orElse(1800L + ThreadLocalRandom.current().nextLong(1800));
    WatchStream.Request req = new WatchStream.Request(r.type(), Registry.keyPrefix(r.type(), r.namespace()),
        labels(r), fields(r), from, Duration.ofSeconds(timeoutSeconds), r.flag("allowWatchBookmarks"), r.wantsTable(),
        r.query("includeObject").orElse("Metadata"));
    Source<ByteString, NotUsed> events = watches.open(req);
    Optional<WebSocketUpgrade> upgrade = r.http().getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      // as kube-apiserver: a watch asked over WebSocket gets one text message per event
      return upgrade.get().handleMessagesWith(Sink.ignore(),
          events.map(line -> (Message) TextMessage.create(line.utf8String().stripTrailing())));
    }
    return HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events));
  }

  private CompletionStage<HttpResponse> create(ApiRequest r) {
    WriteOptions opts = writeOptions(r);
    return registry.create(r.type(), r.namespace(), object(r.bodyTree()), opts)
        .thenApply(o -> Responses.withWarnings(Responses.json(201, o), opts.warnings()));
  }

  private static CompletionStage<HttpResponse> written(WriteOptions opts, CompletionStage<ObjectNode> result) {
    return result.thenApply(o -> Responses.withWarnings(Responses.json(o), opts.warnings()));
  }

  private CompletionStage<HttpResponse> delete(ApiRequest r) {
    return registry.delete(r.type(), r.namespace(), r.name(), deleteOptions(r)).thenApply(Responses::json);
  }

  private CompletionStage<HttpResponse> deleteCollection(ApiRequest r) {
    ListResult all = registry.list(r.type(), r.namespace(), labels(r), fields(r), 0, null);
    DeleteOptions opts = deleteOptions(r);
    List<CompletableFuture<ObjectNode>> deletions = new ArrayList<>();
    for (ObjectNode o : all.items()) {
      JsonNode meta = o.path("metadata");
      deletions.add(registry.delete(r.type(), meta.path("namespace").asText(null), meta.path("name").asText(), opts)
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

  private DeleteOptions deleteOptions(ApiRequest r) {
    JsonNode body = r.body() == null || r.body().length == 0 ? null : r.bodyTree();
    return DeleteOptions.from(body, r.query("gracePeriodSeconds").map(ResourceHandler::parseLong).orElse(null),
        r.query("propagationPolicy").orElse(null), r.dryRun());
  }

  static WriteOptions writeOptions(ApiRequest r) {
    return new WriteOptions(r.dryRun(), WriteOptions.mode(r.query("fieldValidation").orElse(null)), new ArrayList<>());
  }

  private static LabelSelector labels(ApiRequest r) {
    return r.query("labelSelector").filter(s -> !s.isEmpty()).map(LabelSelector::parse).orElse(null);
  }

  private static FieldSelector fields(ApiRequest r) {
    return r.query("fieldSelector").filter(s -> !s.isEmpty()).map(s -> FieldSelector.parse(s, r.type())).orElse(null);
  }

  static ObjectNode object(JsonNode body) {
    if (!body.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
    return (ObjectNode) body;
  }

  static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid integer value: " + s);
    }
  }

  private static ApiException methodNotAllowed(ApiRequest r) {
    return ApiException.methodNotAllowed(r.type().group(), r.type().plural(), r.name());
  }

  private static CompletionStage<HttpResponse> methodNotAllowedStage(ApiRequest r) {
    return CompletableFuture.failedFuture(methodNotAllowed(r));
  }
}
