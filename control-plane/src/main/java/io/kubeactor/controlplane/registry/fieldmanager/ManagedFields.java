package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metadata.managedFields}: one entry per manager identity (manager, operation, the apiVersion
 * of an Update, subresource), as apimachinery's internal/managedfields.go decodes, sorts and encodes
 * them.
 */
final class ManagedFields {
  private ManagedFields() {}

  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  /**
   * One manager's fields; {@code time} is RFC 3339 in seconds, null when unknown. {@code encoded} is
   * the FieldsV1 the fields were read from, while they are those of a live object (encoded as
   * {@link #encode} does): an entry a write leaves alone is written back without encoding it again.
   */
  record Entry(String manager, String operation, String apiVersion, String subresource, String time, FieldSet fields,
      JsonNode encoded) {
    Entry(String manager, String operation, String apiVersion, String subresource, String time, FieldSet fields) {
      this(manager, operation, apiVersion, subresource, time, fields, null);
    }

    Entry withFields(FieldSet f) {
      return new Entry(manager, operation, apiVersion, subresource, time, f, null);
    }

    Entry withTime(String t) {
      return new Entry(manager, operation, apiVersion, subresource, t, fields, encoded);
    }

    String id() {
      return identifier(manager, operation, apiVersion, subresource);
    }

    boolean applied() {
      return operation.equals(APPLY);
    }

    /** How a conflict names the manager (conflict.go printManager). */
    String printed() {
      String s = quote(manager);
      if (subresource != null && !subresource.isEmpty()) s += " with subresource " + quote(subresource);
      return applied() ? s : s + " using " + apiVersion;
    }
  }

  /** BuildManagerIdentifier: the entry's JSON without time and fields; an Apply's apiVersion is no part of it. */
  static String identifier(String manager, String operation, String apiVersion, String subresource) {
    StringBuilder id = new StringBuilder(96);
    member(id.append('{'), "manager", manager).append(',');
    member(id, "operation", operation);
    if (operation.equals(UPDATE) && apiVersion != null && !apiVersion.isEmpty()) member(id.append(','), "apiVersion", apiVersion);
    if (subresource != null && !subresource.isEmpty()) member(id.append(','), "subresource", subresource);
    return id.append('}').toString();
  }

  private static StringBuilder member(StringBuilder json, String name, String value) {
    return PathElement.quoted(json.append('"').append(name).append("\":"), value);
  }


  private static String quote(String s) {
    return io.kubeactor.controlplane.registry.decoding.GoStrings.quote(s);
  }

  /**
   * Decodes the entries by identity; {@code live} says they are a stored object's, which this class
   * encoded. @throws IllegalArgumentException for an entry that is not valid
   */
  static Map<String, Entry> decode(JsonNode list, boolean live) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (list == null || list.isNull()) return entries;
    if (!list.isArray()) throw new IllegalArgumentException("managedFields is not a list");
    for (JsonNode e : list) {
      String operation = e.path("operation").asText("");
      if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
        throw new IllegalArgumentException("operation must be `Apply` or `Update`");
      }
      if (!e.path("fieldsType").asText("").equals("FieldsV1")) {
        throw new IllegalArgumentException("invalid fieldsType, expected FieldsV1");
      }
      JsonNode fields = e.get("fieldsV1");
      Entry entry = new Entry(e.path("manager").asText(""), operation, e.path("apiVersion").asText(""),
          e.path("subresource").asText(""), e.hasNonNull("time") ? e.get("time").asText() : null,
          fields == null || fields.isNull() ? FieldSet.empty() : FieldSet.fromFieldsV1(fields),
          live && fields != null && fields.isObject() ? fields : null);
      if (entries.putIfAbsent(entry.id(), entry) != null) {
        throw new IllegalArgumentException("duplicate entries for manager " + entry.id());
      }
    }
    return entries;
  }

  /** sortEncodedManagedFields: Apply before Update, then by time, manager, apiVersion, subresource. */
  private static final Comparator<Entry> ORDER = Comparator
      .comparing((Entry e) -> !e.applied())
      .thenComparing(e -> e.time() == null ? "" : e.time())
      .thenComparing(Entry::manager)
      .thenComparing(e -> e.apiVersion() == null ? "" : e.apiVersion())
      .thenComparing(e -> e.subresource() == null ? "" : e.subresource());

  static ArrayNode encode(Map<String, Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort(ORDER);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Entry e : sorted) {
      ObjectNode n = out.addObject();
      n.put("manager", e.manager());
      n.put("operation", e.operation());
      n.put("apiVersion", e.apiVersion());
      if (e.time() != null) n.put("time", e.time());
      n.put("fieldsType", "FieldsV1");
      n.set("fieldsV1", e.encoded() != null ? e.encoded().deepCopy() : e.fields().toFieldsV1());
      if (e.subresource() != null && !e.subresource().isEmpty()) n.put("subresource", e.subresource());
    }
    return out;
  }
}
