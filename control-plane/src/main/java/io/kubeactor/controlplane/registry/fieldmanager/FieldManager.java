package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.fieldmanager.ManagedFields.Entry;
import io.kubeactor.controlplane.registry.fieldmanager.TypedValues.Comparison;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Field ownership of every write, as kube-apiserver's field manager (apimachinery
 * pkg/util/managedfields and structured-merge-diff's Updater): an update takes the fields it
 * changes from every other manager; an apply merges its configuration into the live object, removes
 * what it applied before and leaves out now (unless someone else owns it), and refuses to change
 * fields another manager owns unless forced. Both leave the result in {@code metadata.managedFields}.
 */
public final class FieldManager {
  private FieldManager() {}

  /** At most this many Update entries; the oldest go into {@link #ANCIENT_CHANGES}. */
  public static final int MAX_UPDATE_MANAGERS = 10;
  public static final String ANCIENT_CHANGES = "ancient-changes";

  private static final PathElement METADATA = PathElement.field("metadata");
  private static final PathElement STATUS = PathElement.field("status");

  /**
   * Records an update (create, PUT, non-apply PATCH, a controller's write) of {@code updated} by
   * {@code manager} in its {@code metadata.managedFields}. {@code live} is null on create.
   * {@code subresource} is null for the main resource.
   */
  public static void update(ResourceType t, ObjectNode live, ObjectNode updated, String manager, String subresource,
      String apiVersion, Instant now) {
    ObjectNode meta = updated.withObjectProperty("metadata");
    JsonNode liveFields = live == null ? null : live.path("metadata").get("managedFields");
    JsonNode submitted = meta.get("managedFields");
    boolean reset = submitted != null && submitted.isArray()
        && (submitted.isEmpty() || (submitted.size() == 1 && submitted.get(0).isEmpty()));
    boolean asLive = !reset && (subresource != null || submitted == null || submitted.isNull() || submitted.isEmpty()
        || (liveFields != null && Values.same(submitted, liveFields)));

    Schema schema = Schemas.of(t);
    Comparison cmp = TypedValues.compare(live == null ? zeroValue(t) : live, updated, schema);
    cmp.added().removeMember(List.of(METADATA));
    if (cmp.isSame() && asLive) {
      if (liveFields == null) meta.remove("managedFields");
      else meta.set("managedFields", liveFields.deepCopy());
      return;
    }
    Map<String, Entry> entries = asLive ? decodeOrEmpty(liveFields) : decodeOr(submitted, liveFields);
    FieldSet changed = cmp.changed();
    entries.replaceAll((id, e) -> withoutFields(e, changed, cmp.removed()));
    FieldSet taken = dropResetFields(t, subresource, changed.difference(cmp.removed()));
    if (!taken.isEmpty()) {
      String id = ManagedFields.identifier(manager, ManagedFields.UPDATE, apiVersion, subresource);
      Entry previous = entries.get(id);
      FieldSet fields = previous == null ? taken : previous.fields().union(taken);
      entries.put(id, new Entry(manager, ManagedFields.UPDATE, apiVersion, subresource, time(now), fields));
    }
    entries.values().removeIf(e -> e.fields().isEmpty());
    capUpdateManagers(entries);
    write(meta, entries);
  }

  /**
   * Server-side apply of {@code config} by {@code manager} to {@code live} (null when the apply
   * creates the object): the object the apply makes, with its managedFields.
   *
   * @throws ApiException 409 when the apply would change fields another manager owns and is not
   *     forced; 400 when the configuration carries managedFields
   */
  public static ObjectNode apply(ResourceType t, ObjectNode live, ObjectNode config, String manager,
      String subresource, String apiVersion, boolean force, Instant now) {
    JsonNode configFields = config.path("metadata").get("managedFields");
    if (configFields != null && !configFields.isNull()) throw ApiException.badRequest("metadata.managedFields must be nil");
    Schema schema = Schemas.of(t);
    ObjectNode before = live == null ? JsonNodeFactory.instance.objectNode() : live;
    Map<String, Entry> entries = decodeOrEmpty(before.path("metadata").get("managedFields"));

    ObjectNode merged = (ObjectNode) TypedValues.merge(before, config, schema);
    String id = ManagedFields.identifier(manager, ManagedFields.APPLY, apiVersion, subresource);
    Entry last = entries.get(id);
    FieldSet applied = dropResetFields(t, subresource, TypedValues.toFieldSet(config, schema));
    applied.removeMember(List.of(METADATA));
    entries.put(id, new Entry(manager, ManagedFields.APPLY, apiVersion, subresource, last == null ? null : last.time(), applied));
    if (last != null) {
      merged = prune(merged, schema, entries, withoutResetFields(t, subresource, last.fields()));
    }

    Comparison cmp = TypedValues.compare(before, merged, schema);
    cmp.added().removeMember(List.of(METADATA));
    FieldSet changed = cmp.changed();
    Map<String, FieldSet> conflicts = new TreeMap<>();
    entries.forEach((other, e) -> {
      if (other.equals(id)) return;
      FieldSet conflict = e.fields().intersection(changed);
      if (!conflict.isEmpty()) conflicts.put(other, conflict);
    });
    if (!conflicts.isEmpty() && !force) throw conflictError(conflicts, entries);
    conflicts.forEach((other, conflict) -> entries.put(other, entries.get(other).withFields(entries.get(other).fields().difference(conflict))));
    entries.replaceAll((k, e) -> withoutFields(e, cmp.removed(), FieldSet.empty()));
    entries.values().removeIf(e -> e.fields().isEmpty() && !e.id().equals(id));
    Entry mine = entries.get(id);
    if (mine != null && (!cmp.isSame() || mine.time() == null)) entries.put(id, mine.withTime(time(now)));
    capUpdateManagers(entries);
    write(merged.withObjectProperty("metadata"), entries);
    return merged;
  }

  /**
   * Removes what the applier applied last time and leaves out now, unless another manager owns it
   * (Updater.prune with addBackOwnedItems and addBackDanglingItems).
   */
  private static ObjectNode prune(ObjectNode merged, Schema schema, Map<String, Entry> entries, FieldSet lastApplied) {
    if (lastApplied.isEmpty()) return merged;
    FieldSet last = TypedValues.ensureNamedFieldsAreMembers(lastApplied, schema);
    JsonNode pruned = TypedValues.removeItems(merged, schema, last);
    FieldSet managed = FieldSet.empty();
    for (Entry e : entries.values()) managed = managed.union(e.fields());
    FieldSet mergedSet = TypedValues.ensureNamedFieldsAreMembers(TypedValues.toFieldSet(merged, schema), schema);
    FieldSet prunedSet = TypedValues.ensureNamedFieldsAreMembers(TypedValues.toFieldSet(pruned, schema), schema);
    FieldSet kept = prunedSet.union(TypedValues.ensureNamedFieldsAreMembers(managed, schema));
    pruned = TypedValues.removeItems(merged, schema, mergedSet.difference(kept));
    prunedSet = TypedValues.ensureNamedFieldsAreMembers(TypedValues.toFieldSet(pruned, schema), schema);
    return (ObjectNode) TypedValues.removeItems(merged, schema, mergedSet.difference(prunedSet).intersection(last));
  }

  /** The entry without the fields of {@code a} and {@code b}; the entry itself when it has none of them. */
  private static Entry withoutFields(Entry e, FieldSet a, FieldSet b) {
    if (!e.fields().intersects(a) && !e.fields().intersects(b)) return e;
    return e.withFields(e.fields().difference(a).difference(b));
  }

  /**
   * The fields a write through this endpoint may own (the strategies' reset fields): the main
   * resource of a kind with a status subresource does not own status, the status subresource owns
   * only status.
   */
  private static FieldSet withoutResetFields(ResourceType t, String subresource, FieldSet fields) {
    return dropResetFields(t, subresource, fields.copy());
  }

  /** {@link #withoutResetFields} of a set of the caller's own, which it changes. */
  private static FieldSet dropResetFields(ResourceType t, String subresource, FieldSet own) {
    if ("status".equals(subresource)) {
      own.children().keySet().removeIf(pe -> !pe.equals(STATUS));
      own.clearMember();
    } else if (subresource == null && t.hasSubresource("status")) {
      own.children().remove(STATUS);
    }
    return own;
  }

  /** CapManagersManager: the oldest Update entries beyond the cap merge into one per apiVersion. */
  private static void capUpdateManagers(Map<String, Entry> entries) {
    List<Entry> updaters = new ArrayList<>(entries.values().stream().filter(e -> !e.applied()).toList());
    if (updaters.size() <= MAX_UPDATE_MANAGERS) return;
    updaters.sort(Comparator.comparing((Entry e) -> e.time() == null ? "" : e.time()));
    int count = updaters.size();
    for (Entry oldest : updaters) {
      if (count <= MAX_UPDATE_MANAGERS) break;
      String bucketId = ManagedFields.identifier(ANCIENT_CHANGES, ManagedFields.UPDATE, oldest.apiVersion(), "");
      if (oldest.id().equals(bucketId)) continue;
      Entry bucket = entries.get(bucketId);
      if (bucket == null) {
        entries.put(bucketId, new Entry(ANCIENT_CHANGES, ManagedFields.UPDATE, oldest.apiVersion(), "", oldest.time(), oldest.fields()));
        count++;
      } else {
        String time = bucket.time() == null || (oldest.time() != null && oldest.time().compareTo(bucket.time()) > 0)
            ? oldest.time() : bucket.time();
        entries.put(bucketId, bucket.withFields(bucket.fields().union(oldest.fields())).withTime(time));
      }
      entries.remove(oldest.id());
      count--;
    }
  }

  /** The 409 of an apply that would take others' fields (internal/conflict.go). */
  private static ApiException conflictError(Map<String, FieldSet> conflicts, Map<String, Entry> entries) {
    List<ApiException.Cause> causes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    conflicts.forEach((id, set) -> {
      String who = entries.get(id).printed();
      lines.add("conflicts with " + who + ":");
      set.forEachPath(path -> {
        String field = FieldSet.toString(path);
        causes.add(new ApiException.Cause("FieldManagerConflict", "conflict with " + who, field));
        lines.add("- " + field);
      });
    });
    String message = causes.size() == 1
        ? "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field()
        : "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
    return new ApiException(409, "Conflict", message, null, null, null, causes);
  }

  private static Map<String, Entry> decodeOrEmpty(JsonNode list) {
    try {
      return ManagedFields.decode(list, true);
    } catch (IllegalArgumentException e) {
      return new LinkedHashMap<>();
    }
  }

  /** The submitted entries, or the live ones when those do not decode (decodeLiveOrNew). */
  private static Map<String, Entry> decodeOr(JsonNode submitted, JsonNode live) {
    try {
      return ManagedFields.decode(submitted, false);
    } catch (IllegalArgumentException e) {
      return decodeOrEmpty(live);
    }
  }

  private static void write(ObjectNode meta, Map<String, Entry> entries) {
    if (entries.isEmpty()) meta.remove("managedFields");
    else meta.set("managedFields", ManagedFields.encode(entries));
  }

  private static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  // ---- the object a create is compared with ----

  /**
   * What a create is compared with: the kind's empty object as Go encodes it, whose fields without
   * omitempty are there (empty or null). A created field already there is not itself a new member,
   * which is why upstream's entries have no {@code "."} under {@code f:spec} or
   * {@code f:containers}, but do under {@code f:labels} or {@code f:ports}.
   */
  private static ObjectNode zeroValue(ResourceType t) {
    return (ObjectNode) ZERO_VALUES.computeIfAbsent(t.isCustom() ? "" : t.kind(), kind -> {
      String known = GO_ZERO_VALUES.get(kind);
      if (known != null) return read(known);
      ObjectNode zero = JsonNodeFactory.instance.objectNode();
      zero.putObject("metadata");
      if (!t.isCustom() && t.model() != null) {
        var props = io.kubeactor.controlplane.api.ModelSchema.properties(io.kubeactor.controlplane.api.ModelSchema.type(t.model()));
        if (props.containsKey("spec")) zero.putObject("spec");
        if (props.containsKey("status")) zero.putObject("status");
      }
      return zero;
    });
  }

  private static final Map<String, JsonNode> ZERO_VALUES = new ConcurrentHashMap<>();

  private static final String POD_TEMPLATE = "{\"metadata\":{},\"spec\":{\"containers\":null}}";

  /** The Go zero values of the workload kinds, whose specs hold structs and lists without omitempty. */
  private static final Map<String, String> GO_ZERO_VALUES = Map.of(
      "Pod", "{\"metadata\":{},\"spec\":{\"containers\":null},\"status\":{}}",
      "Deployment", "{\"metadata\":{},\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE + ",\"strategy\":{}},\"status\":{}}",
      "ReplicaSet", "{\"metadata\":{},\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE + "},\"status\":{}}",
      "StatefulSet", "{\"metadata\":{},\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE
          + ",\"serviceName\":\"\",\"updateStrategy\":{}},\"status\":{\"replicas\":0,\"availableReplicas\":0}}",
      "DaemonSet", "{\"metadata\":{},\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE
          + ",\"updateStrategy\":{}},\"status\":{}}",
      "Job", "{\"metadata\":{},\"spec\":{\"template\":" + POD_TEMPLATE + "},\"status\":{}}",
      "PodTemplate", "{\"metadata\":{},\"template\":" + POD_TEMPLATE + "}");

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
