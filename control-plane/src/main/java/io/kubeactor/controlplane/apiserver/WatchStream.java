package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.FieldSelector;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.apiserver.table.Tables;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.store.StoredObject;
import io.kubeactor.controlplane.store.WatchCache.Change;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One watch as a stream of newline-delimited JSON events ({"type":"ADDED","object":{...}}), fed by
 * the watch cache through a bounded {@link WatchBuffer}. A watcher whose client stops reading is
 * closed (it resumes from its last resourceVersion, as with kube-apiserver); selectors turn an
 * object leaving the selection into DELETED and one entering it into ADDED.
 */
public final class WatchStream {

  /** What a watch asks for. fromResourceVersion null: start with the current objects as ADDED. */
  public record Request(
      ResourceType type, String keyPrefix, LabelSelector labels, FieldSelector fields,
      Long fromResourceVersion, Duration timeout, boolean bookmarks, boolean asTable, String includeObject) {}

  /** Without configuration: kube-apiserver's largest watch channel, and a few seconds of grace. */
  public static final WatchBuffer.Limits DEFAULT_LIMITS = new WatchBuffer.Limits(1000, Duration.ofSeconds(5));

  /** A tick of the bookmark timer, travelling in the stream of changes. */
  private static final Change BOOKMARK_TICK = new Change(null, "", -1, null, null);

  private final Registry registry;
  private final Clock clock;
  private final Duration bookmarkEvery;
  private final WatchBuffer.Limits limits;

  /** With the limits of kubeactor.api.watch-buffer-events and watch-stall-timeout, where configured. */
  public WatchStream(Registry registry, Materializer materializer, Clock clock, Duration bookmarkEvery) {
    this(registry, materializer, clock, bookmarkEvery, limits(materializer.system().settings().config()));
  }

  public WatchStream(Registry registry, Materializer materializer, Clock clock, Duration bookmarkEvery,
      WatchBuffer.Limits limits) {
    this.registry = registry;
    this.clock = clock;
    this.bookmarkEvery = bookmarkEvery;
    this.limits = limits;
  }

  static WatchBuffer.Limits limits(Config config) {
    int events = config.hasPath("kubeactor.api.watch-buffer-events")
        ? config.getInt("kubeactor.api.watch-buffer-events") : DEFAULT_LIMITS.maxEvents();
    Duration stall = config.hasPath("kubeactor.api.watch-stall-timeout")
        ? config.getDuration("kubeactor.api.watch-stall-timeout") : DEFAULT_LIMITS.stallTimeout();
    return new WatchBuffer.Limits(events, stall);
  }

  public Source<ByteString, NotUsed> open(Request req) {
    WatchCache cache = registry.cache();
    WatchBuffer buffer = new WatchBuffer(limits, req.type().plural() + " under " + req.keyPrefix());

    List<Change> initial = new ArrayList<>();
    WatchCache.Subscription subscription;
    long startRv;
    if (req.fromResourceVersion() == null) {
      WatchCache.Started started = cache.subscribeFromNow(req.keyPrefix(), buffer);
      subscription = started.subscription();
      startRv = started.state().resourceVersion();
      for (Map.Entry<String, StoredObject> e : started.state().withPrefix(req.keyPrefix()).entrySet()) {
        initial.add(new Change(WatchCache.Type.ADDED, e.getKey(), startRv, e.getValue(), null));
      }
    } else {
      try {
        subscription = cache.subscribe(req.fromResourceVersion(), req.keyPrefix(), buffer);
        startRv = req.fromResourceVersion();
      } catch (WatchCache.Expired expired) {
        // as kube-apiserver's watch cache: the watch starts, and its one event is the 410 error
        ApiException gone = new ApiException(410, "Expired", expired.getMessage(), null, null, null, null);
        return Source.single(line("ERROR", Responses.status(gone)));
      }
    }

    // objects stored at the version asked for go out as their stored bytes, parsed by nobody
    boolean asStored = !req.asTable() && registry.types().storageType(req.type()) == req.type();
    AtomicLong lastRv = new AtomicLong(startRv);
    AtomicBoolean first = new AtomicBoolean(true);
    Source<Change, NotUsed> changes = buffer.source(initial, subscription);
    if (req.bookmarks()) {
      changes = changes.merge(Source.tick(bookmarkEvery, bookmarkEvery, BOOKMARK_TICK)
          .mapMaterializedValue(c -> NotUsed.getInstance()));
    }
    return changes
        .mapConcat(change -> {
          if (change == BOOKMARK_TICK) return List.of(bookmark(req, lastRv.get()));
          lastRv.set(Math.max(lastRv.get(), change.resourceVersion()));
          String type = eventType(req, change);
          if (type == null) return List.<ByteString>of();
          ByteString line;
          if (asStored) {
            line = line(type, change.object().bytes());
          } else if (req.asTable()) {
            line = line(type, Tables.table(req.type(), List.of(change.object()), o -> registry.view(req.type(), o.tree()),
                req.includeObject(), first.getAndSet(false), Long.toString(change.resourceVersion()), null,
                clock.instant()));
          } else {
            line = line(type, registry.view(req.type(), change.object().tree()));
          }
          buffer.sent(line.size());
          return List.of(line);
        })
        .takeWithin(req.timeout())
        .watchTermination((notUsed, done) -> {
          done.whenComplete((d, err) -> subscription.close());
          return NotUsed.getInstance();
        });
  }

  /** The event type this watcher sees for a change, or null if the change is outside its selection. */
  private static String eventType(Request req, Change change) {
    boolean now = selected(req, change.object());
    if (change.type() == WatchCache.Type.DELETED) return now ? "DELETED" : null;
    boolean before = change.previous() != null && selected(req, change.previous());
    if (now && before) return "MODIFIED";
    if (now) return "ADDED";
    if (before) return "DELETED";
    return null;
  }

  private static boolean selected(Request req, StoredObject stored) {
    if (req.labels() == null && req.fields() == null) return true;
    ObjectNode object = stored.tree();
    if (req.labels() != null && !req.labels().matches(object.path("metadata").path("labels"))) return false;
    return req.fields() == null || req.fields().matches(object);
  }

  private ByteString bookmark(Request req, long rv) {
    ObjectNode o = Json.object();
    o.put("kind", req.type().kind()).put("apiVersion", req.type().apiVersion());
    o.putObject("metadata").put("resourceVersion", Long.toString(rv));
    return line("BOOKMARK", o);
  }

  private static final ByteString OBJECT_FIELD = ByteString.fromString("\",\"object\":");
  private static final ByteString LINE_END = ByteString.fromString("}\n");

  /** {"type":"ADDED","object":<the stored bytes>} and a newline, as {@link #line(String, JsonNode)} writes it. */
  private static ByteString line(String type, ByteString object) {
    return ByteString.fromString("{\"type\":\"" + type).concat(OBJECT_FIELD).concat(object).concat(LINE_END);
  }

  private static ByteString line(String type, JsonNode object) {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", object);
    byte[] bytes = Json.bytes(event);
    return ByteString.fromArray(bytes).concat(ByteString.fromString("\n"));
  }
}
