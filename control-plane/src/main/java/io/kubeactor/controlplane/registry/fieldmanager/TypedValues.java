package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * structured-merge-diff's walks of a typed value (typed/tofieldset.go, compare.go, merge.go,
 * remove.go) over Jackson trees: which paths a value sets, what changed between two values, the
 * merge of an applied configuration into a live object, and the removal of a set of paths.
 */
final class TypedValues {
  private TypedValues() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What changed from one value to another; added and removed also hold the maps, lists and items that came or went. */
  record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
    boolean isSame() {
      return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
    }

    FieldSet changed() {
      return modified.union(added);
    }
  }

  // ---- toFieldSet ----

  /** The paths a value sets: its leaves, and the map keys and list items it holds. */
  static FieldSet toFieldSet(JsonNode value, Schema schema) {
    FieldSet root = FieldSet.empty();
    fieldsOf(value, schema, root);
    return root;
  }

  private static void fieldsOf(JsonNode v, Schema s, FieldSet node) {
    if (v.isObject() && Schema.granularMap(s)) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Schema fs = Schema.fieldOf(s, e.getKey());
        if (fs == Schema.IGNORED) continue;
        JsonNode cv = e.getValue();
        FieldSet c = node.child(PathElement.field(e.getKey()));
        fieldsOf(cv, fs, c);
        if (cv.isNull() || (cv.isObject() && cv.isEmpty()) || !Schema.isNamedField(s, e.getKey())) c.markMember();
      }
    } else if (v.isArray() && Schema.granularList(s)) {
      Schema.ListOf list = (Schema.ListOf) s;
      for (int i = 0; i < v.size(); i++) {
        FieldSet c = node.child(elementOf(list, v.get(i), i));
        c.markMember();
        fieldsOf(v.get(i), list.items(), c);
      }
    } else {
      node.markMember();
    }
  }

  /** The path element of a list item: its key fields, its value in a set, its index otherwise. */
  static PathElement elementOf(Schema.ListOf list, JsonNode item, int index) {
    if (list.type() == Schema.ListType.SET) return PathElement.value(item);
    if (list.type() == Schema.ListType.MAP && item.isObject()) {
      Map<String, JsonNode> keys = new LinkedHashMap<>();
      for (String k : list.keys()) {
        JsonNode kv = item.get(k);
        if (kv != null && !kv.isNull()) keys.put(k, kv);
      }
      if (!keys.isEmpty()) return PathElement.key(keys);
    }
    return PathElement.index(index);
  }

  private static Map<PathElement, JsonNode> items(Schema.ListOf list, JsonNode array) {
    Map<PathElement, JsonNode> items = new LinkedHashMap<>();
    if (array == null || !array.isArray()) return items;
    for (int i = 0; i < array.size(); i++) items.putIfAbsent(elementOf(list, array.get(i), i), array.get(i));
    return items;
  }

  // ---- compare ----

  /** The comparison from {@code lhs} to {@code rhs}; null stands for no value at all. */
  static Comparison compare(JsonNode lhs, JsonNode rhs, Schema schema) {
    Comparison c = new Comparison(FieldSet.empty(), FieldSet.empty(), FieldSet.empty());
    compare(lhs, rhs, schema, new ArrayList<>(), c);
    return c;
  }

  private static void compare(JsonNode l, JsonNode r, Schema s, List<PathElement> path, Comparison out) {
    if (isContainer(l, r, s, true)) {
      if (l != null && r != null && Values.same(l, r)) return;
      Set<String> names = new HashSet<>();
      for (JsonNode side : new JsonNode[] {r, l}) {
        if (side == null || !side.isObject()) continue;
        for (Iterator<String> it = side.fieldNames(); it.hasNext(); ) {
          String name = it.next();
          if (!names.add(name)) continue;
          Schema fs = Schema.fieldOf(s, name);
          if (fs == Schema.IGNORED) continue;
          path.add(PathElement.field(name));
          compare(child(l, name), child(r, name), fs, path, out);
          path.remove(path.size() - 1);
        }
      }
      nonLeaf(l, r, path, out);
    } else if (isContainer(l, r, s, false)) {
      if (l != null && r != null && Values.same(l, r)) return;
      Schema.ListOf list = (Schema.ListOf) s;
      Map<PathElement, JsonNode> left = items(list, l);
      Map<PathElement, JsonNode> right = items(list, r);
      right.forEach((pe, item) -> {
        path.add(pe);
        compare(left.get(pe), item, list.items(), path, out);
        path.remove(path.size() - 1);
      });
      left.forEach((pe, item) -> {
        if (right.containsKey(pe)) return;
        path.add(pe);
        compare(item, null, list.items(), path, out);
        path.remove(path.size() - 1);
      });
      nonLeaf(l, r, path, out);
    } else if (l == null) {
      out.added().insert(path);
    } else if (r == null) {
      out.removed().insert(path);
    } else if (!Values.same(l, r)) {
      out.modified().insert(path);
    }
  }

  /** A granular map or list on both sides (null standing for an empty one), and not empty on both. */
  private static boolean isContainer(JsonNode l, JsonNode r, Schema s, boolean map) {
    if (map ? !Schema.granularMap(s) : !Schema.granularList(s)) return false;
    if (!fits(l, map) || !fits(r, map)) return false;
    return !(isEmpty(l) && isEmpty(r));
  }

  private static boolean fits(JsonNode v, boolean map) {
    return v == null || v.isNull() || (map ? v.isObject() : v.isArray());
  }

  private static boolean isEmpty(JsonNode v) {
    return v == null || v.isNull() || v.isEmpty();
  }

  private static void nonLeaf(JsonNode l, JsonNode r, List<PathElement> path, Comparison out) {
    if (path.isEmpty()) return;
    if (l == null) out.added().insert(path);
    else if (r == null) out.removed().insert(path);
  }

  private static JsonNode child(JsonNode v, String name) {
    return v == null || !v.isObject() ? null : v.get(name);
  }

  // ---- merge ----

  /** The applied configuration merged into the live value; neither is changed. */
  static JsonNode merge(JsonNode live, JsonNode config, Schema s) {
    if (config == null) return live;
    if (live == null || live.isNull()) return config;
    if (s == Schema.IGNORED) return live;
    if (live.isObject() && config.isObject() && Schema.granularMap(s)) {
      ObjectNode out = ((ObjectNode) live).deepCopy();
      config.fields().forEachRemaining(e ->
          out.set(e.getKey(), merge(live.get(e.getKey()), e.getValue(), Schema.fieldOf(s, e.getKey()))));
      return out;
    }
    if (live.isArray() && config.isArray() && Schema.granularList(s)) {
      return mergeList((Schema.ListOf) s, live, config);
    }
    return config;
  }

  /**
   * merge.go's list merge: the applied items in the applied order, each merged with its live item;
   * live-only items stay where they were relative to the items around them.
   */
  private static ArrayNode mergeList(Schema.ListOf list, JsonNode live, JsonNode config) {
    List<PathElement> lhs = new ArrayList<>(items(list, live).keySet());
    Map<PathElement, JsonNode> observedLhs = items(list, live);
    List<PathElement> rhs = new ArrayList<>(items(list, config).keySet());
    Map<PathElement, JsonNode> observedRhs = items(list, config);
    List<PathElement> shared = rhs.stream().filter(observedLhs::containsKey).toList();
    int nextShared = 0;
    Set<PathElement> merged = new HashSet<>();
    ArrayNode out = NODES.arrayNode();
    int li = 0;
    int ri = 0;
    while (li < lhs.size() || ri < rhs.size()) {
      if (li < lhs.size() && ri < rhs.size()) {
        PathElement pe = lhs.get(li);
        if (pe.equals(rhs.get(ri))) {
          merged.add(pe);
          out.add(merge(observedLhs.get(pe), observedRhs.get(pe), list.items()));
          li++;
          ri++;
          if (nextShared < shared.size()) nextShared++;
          continue;
        }
        if (observedRhs.containsKey(pe) && nextShared < shared.size() && !shared.get(nextShared).equals(pe)) {
          li++;
          continue;
        }
      }
      if (li < lhs.size()) {
        PathElement pe = lhs.get(li);
        if (!observedRhs.containsKey(pe)) {
          out.add(observedLhs.get(pe));
          li++;
          continue;
        } else if (merged.contains(pe)) {
          li++;
          continue;
        }
      }
      if (ri < rhs.size()) {
        PathElement pe = rhs.get(ri);
        merged.add(pe);
        out.add(merge(observedLhs.get(pe), observedRhs.get(pe), list.items()));
        ri++;
        if (nextShared < shared.size() && shared.get(nextShared).equals(pe)) nextShared++;
      }
    }
    return out;
  }

  // ---- remove ----

  /** A copy of the value without the members of {@code set} (and what lies beneath them). */
  static JsonNode removeItems(JsonNode v, Schema s, FieldSet set) {
    if (set.children().isEmpty()) return v;
    if (v.isObject() && Schema.granularMap(s)) {
      ObjectNode out = NODES.objectNode();
      v.fields().forEachRemaining(e -> {
        FieldSet c = set.get(PathElement.field(e.getKey()));
        Schema fs = Schema.fieldOf(s, e.getKey());
        if (c == null || fs == Schema.IGNORED) {
          out.set(e.getKey(), e.getValue());
        } else if (!c.member()) {
          out.set(e.getKey(), removeItems(e.getValue(), fs, c));
        } else {
          JsonNode kept = ignoredOnly(e.getValue(), fs);
          if (kept != null) out.set(e.getKey(), kept);
        }
      });
      return out;
    }
    if (v.isArray() && Schema.granularList(s)) {
      Schema.ListOf list = (Schema.ListOf) s;
      ArrayNode out = NODES.arrayNode();
      for (int i = 0; i < v.size(); i++) {
        FieldSet c = set.get(elementOf(list, v.get(i), i));
        if (c == null) out.add(v.get(i));
        else if (!c.member()) out.add(removeItems(v.get(i), list.items(), c));
      }
      return out;
    }
    return v;
  }

  /**
   * What removing a value leaves of it: the fields no manager owns (metadata's name, uid...) stay,
   * as removing the paths of a set never touches what no set holds. Null when nothing stays.
   */
  private static JsonNode ignoredOnly(JsonNode v, Schema s) {
    if (!v.isObject() || !(s instanceof Schema.Struct)) return null;
    ObjectNode kept = NODES.objectNode();
    v.fields().forEachRemaining(e -> {
      Schema fs = Schema.fieldOf(s, e.getKey());
      JsonNode k = fs == Schema.IGNORED ? e.getValue() : ignoredOnly(e.getValue(), fs);
      if (k != null) kept.set(e.getKey(), k);
    });
    return kept.isEmpty() ? null : kept;
  }

  /** A copy of the set where a struct field with paths beneath it is a member too (Set.EnsureNamedFieldsAreMembers). */
  static FieldSet ensureNamedFieldsAreMembers(FieldSet set, Schema s) {
    FieldSet out = FieldSet.empty();
    if (set.member()) out.markMember();
    set.children().forEach((pe, c) -> {
      Schema cs = pe.isField() ? Schema.fieldOf(s, pe.fieldName())
          : s instanceof Schema.ListOf list ? list.items() : Schema.UNTYPED;
      FieldSet copy = ensureNamedFieldsAreMembers(c, cs == null ? Schema.UNTYPED : cs);
      if (pe.isField() && Schema.isNamedField(s, pe.fieldName())) copy.markMember();
      out.children().put(pe, copy);
    });
    return out;
  }
}
