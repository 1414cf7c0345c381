package io.kubeactor.controlplane.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes core/v1 Events for the control plane's components and the nodes, as client-go's recorder
 * does: named after the object and the time, and the same event again (same object, type, reason,
 * message and source) counted on the event already written instead of written anew, so that
 * {@code kubectl describe} shows "(x5 over 2m)".
 */
public final class EventRecorder {
  private static final int REMEMBERED = 4096;
  /** The last event's name stamp, shared by the recorders made {@link #as} others: names stay unique. */
  private final AtomicLong lastStamp;

  private final ApiWriter writer;
  private final FreshRead fresh;
  private final ResourceType events;
  private final Clock clock;
  /** Recent events by what makes them the same, to their namespace/name. */
  private final Map<String, String> recent = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  public EventRecorder(ApiWriter writer, FreshRead fresh, ResourceRegistry types, Clock clock) {
    this(writer, fresh, types.find("/api/v1", "events").orElseThrow(), clock, new AtomicLong());
  }

  private EventRecorder(ApiWriter writer, FreshRead fresh, ResourceType events, Clock clock, AtomicLong lastStamp) {
    this.writer = writer;
    this.fresh = fresh;
    this.events = events;
    this.clock = clock;
    this.lastStamp = lastStamp;
  }

  /** A recorder of a component's own, writing with {@code writer} (as the component's identity), as each upstream component has. */
  public EventRecorder as(ApiWriter writer) {
    return new EventRecorder(writer, fresh, events, clock, lastStamp);
  }

  /** An event about an object (its kind, namespace, name, uid and apiVersion are taken from it). */
  public void record(JsonNode object, String type, String reason, String message, String component, String host) {
    JsonNode meta = object.path("metadata");
    record(object.path("kind").asText(), object.path("apiVersion").asText(), meta.path("namespace").asText(""),
        meta.path("name").asText(), meta.path("uid").asText(), meta.path("resourceVersion").asText(),
        type, reason, message, component, host);
  }

  /** An event about a typed object, referred to by its metadata alone (no tree of the whole object is made). */
  public void record(HasMetadata object, String type, String reason, String message, String component, String host) {
    ObjectMeta meta = object.getMetadata();
    record(object.getKind(), object.getApiVersion(), Objects.requireNonNullElse(meta.getNamespace(), ""),
        meta.getName(), meta.getUid(), meta.getResourceVersion(), type, reason, message, component, host);
  }

  private void record(String kind, String apiVersion, String namespace, String name, String uid, String resourceVersion,
      String type, String reason, String message, String component, String host) {
    ObjectNode e = Json.object();
    e.put("apiVersion", "v1").put("kind", "Event");
    e.putObject("metadata").put("namespace", namespace.isEmpty() ? "default" : namespace);
    ObjectNode involved = e.putObject("involvedObject");
    involved.put("kind", kind).put("name", name).put("uid", Objects.requireNonNullElse(uid, ""))
        .put("apiVersion", apiVersion).put("resourceVersion", Objects.requireNonNullElse(resourceVersion, ""));
    if (!namespace.isEmpty()) involved.put("namespace", namespace);
    e.put("type", type).put("reason", reason).put("message", message);
    ObjectNode source = e.putObject("source").put("component", component);
    if (host != null) source.put("host", host);
    e.put("reportingComponent", component).put("reportingInstance", host == null ? component : host);
    record(e);
  }

  /** Records an event whose involved object, type, reason, message and source are set; names and times it. */
  public synchronized void record(ObjectNode event) {
    Instant now = clock.instant();
    String ts = Timestamps.format(now);
    JsonNode involved = event.path("involvedObject");
    String namespace = event.path("metadata").path("namespace").asText("default");
    String sameness = String.join("\u0000", involved.path("uid").asText(), involved.path("fieldPath").asText(),
        event.path("type").asText(), event.path("reason").asText(), event.path("message").asText(),
        event.path("source").path("component").asText(), event.path("source").path("host").asText());
    String existing = recent.get(sameness);
    if (existing != null && fresh.exists(events, namespace, existing)) {
      writer.guaranteedSubresourceUpdate(events, namespace, existing, "", current -> {
        current.put("count", current.path("count").asInt(1) + 1);
        current.put("lastTimestamp", ts);
        return current;
      });
      return;
    }
    // client-go's <object>.<unix nanos>; two events within one tick of this clock (microseconds) would
    // share a name and the second be refused as AlreadyExists, so the stamp only ever moves forward
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    long stamp = lastStamp.updateAndGet(last -> Math.max(nanos, last + 1));
    String name = involved.path("name").asText("event") + "." + Long.toHexString(stamp);
    event.withObjectProperty("metadata").put("name", name).put("namespace", namespace);
    event.put("firstTimestamp", ts).put("lastTimestamp", ts).put("count", 1);
    if (!event.has("eventTime")) event.putNull("eventTime");
    recent.put(sameness, name);
    writer.create(events, namespace, event);
  }
}
