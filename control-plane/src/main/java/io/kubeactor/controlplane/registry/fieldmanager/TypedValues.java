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

    /** What was modified or added; one of the comparison's own sets when nothing was modified, so not to be changed. */
    FieldSet changed() {
      return modified.isEmpty() ? added : modified.union(added);
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
    compare(lhs, rhs, schema, new Place(null, null, c));
    return c;
  }

  /**
   * Where a comparison's walk is: this path's node in each of the three sets, made when first
   * needed, so that a path is found once rather than from the root for every leaf beneath it.
   */
  private static final class Place {
    private final Place parent;
    private final PathElement element;
    private final Comparison out;
    private FieldSet added;
    private FieldSet modified;
    private FieldSet removed;

    Place(Place parent, PathElement element, Comparison out) {
      this.parent = parent;
      this.element = element;
      this.out = out;
    }

    boolean isRoot() {
      return parent == null;
    }

    FieldSet added() {
      if (added == null) added = isRoot() ? out.added() : parent.added().child(element);
      return added;
    }

    FieldSet modified() {
      if (modified == null) modified = isRoot() ? out.modified() : parent.modified().child(element);
      return modified;
    }

    FieldSet removed() {
      if (removed == null) removed = isRoot() ? out.removed() : parent.removed().child(element);
      return removed;
    }

    Place child(PathElement pe) {
      return new Place(this, pe, out);
    }
  }

  private static void compare(JsonNode l, JsonNode r, Schema s, Place at) {
    boolean map = isContainer(l, r, s, true);
    if (!map && !isContainer(l, r, s, false)) {
      if (l == null) at.added().markMember();
      else if (r == null) at.removed().markMember();
      else if (!Values.same(l, r)) at.modified().markMember();
      return;
    }
    // a container that came or went: everything in it came or went with it
    if (l == null || r == null) {
      FieldSet node = l == null ? at.added() : at.removed();
      everyPath(l == null ? r : l, s, node);
      if (!at.isRoot()) node.markMember();
      return;
    }
    // the root is seldom the same, and its fields are each compared below
    if (!at.isRoot() && Values.same(l, r)) return;
    if (map) {
      for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Schema fs = Schema.fieldOf(s, e.getKey());
        if (fs != Schema.IGNORED) compare(child(l, e.getKey()), e.getValue(), fs, at.child(PathElement.field(e.getKey())));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (r.has(e.getKey())) continue;
        Schema fs = Schema.fieldOf(s, e.getKey());
        if (fs != Schema.IGNORED) compare(e.getValue(), null, fs, at.child(PathElement.field(e.getKey())));
      }
    } else {
      Schema.ListOf list = (Schema.ListOf) s;
      Map<PathElement, JsonNode> left = items(list, l);
      Map<PathElement, JsonNode> right = items(list, r);
      right.forEach((pe, item) -> compare(left.get(pe), item, list.items(), at.child(pe)));
      left.forEach((pe, item) -> {
        if (!right.containsKey(pe)) compare(item, null, list.items(), at.child(pe));
      });
    }
  }

  /** Adds every path beneath {@code v} to {@code node} as a member: what a comparison finds when {@code v} came or went whole. */
  private static void everyPath(JsonNode v, Schema s, FieldSet node) {
    if (v == null || !isContainer(v, null, s, v.isObject())) return;
    if (v.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Schema fs = Schema.fieldOf(s, e.getKey());
        if (fs == Schema.IGNORED) continue;
        FieldSet c = node.child(PathElement.field(e.getKey()));
        c.markMember();
        everyPath(e.getValue(), fs, c);
      }
    } else {
      Schema.ListOf list = (Schema.ListOf) s;
      for (int i = 0; i < v.size(); i++) {
        PathElement pe = elementOf(list, v.get(i), i);
        if (node.get(pe) != null) continue; // a duplicate item: the first one stands for it, as items() takes it
        FieldSet c = node.child(pe);
        c.markMember();
        everyPath(v.get(i), list.items(), c);
      }
    }
  }

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
