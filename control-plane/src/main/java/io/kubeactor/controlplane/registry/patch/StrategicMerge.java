package io.kubeactor.controlplane.registry.patch;

import static io.kubeactor.controlplane.registry.patch.PatchFailures.BAD_PRIMITIVE_LIST;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.BAD_RETAIN_KEYS;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.BAD_SET_ELEMENT_ORDER;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.cannotMerge;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.goValue;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.malformed;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.noMergeKey;
import static io.kubeactor.controlplane.registry.patch.PatchFailures.unknownDirective;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ModelSchema;
import io.kubeactor.controlplane.registry.patch.PatchStrategies.ListMerge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one merge routine behind PATCH. Knowing the object's type it is Kubernetes' strategic merge
 * patch as the API server applies it (apimachinery/pkg/util/strategicpatch): lists tagged
 * {@code patchStrategy:"merge"} merge element by element on their merge key, and the directives
 * {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/} and
 * {@code $deleteFromPrimitiveList/} are obeyed. Knowing neither types nor directives it is a JSON
 * merge patch (RFC 7386). Both merge objects key by key, delete a key patched to null, and replace
 * every other list and value whole.
 *
 * <p>A value the patch brings where the live object has none is itself merged into nothing, so its
 * directives are carried out and its nulls dropped instead of being stored. Where Kubernetes
 * rejects {@code $patch: merge} this routine takes it for the default it names.
 */
final class StrategicMerge {
  private static final String DIRECTIVE = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final boolean directives;

  private StrategicMerge(boolean directives) {
    this.directives = directives;
  }

  /** Strategic merge patch of an object of {@code type}; a null type knows no merge keys. */
  static ObjectNode strategicMergePatch(ObjectNode live, ObjectNode patch, JavaType type) {
    return new StrategicMerge(true).mergeObject(live.deepCopy(), patch, type);
  }

  /** JSON merge patch (RFC 7386): strategic merge without merge keys or directives. */
  static ObjectNode jsonMergePatch(ObjectNode live, ObjectNode patch) {
    return new StrategicMerge(false).mergeObject(live.deepCopy(), patch, null);
  }

  /** Merges {@code patch} into {@code original}, which this routine owns and may change. */
  private ObjectNode mergeObject(ObjectNode original, ObjectNode patch, JavaType type) {
    if (directives && patch.has(DIRECTIVE)) {
      switch (text(patch.get(DIRECTIVE))) {
        case "replace" -> {
          ObjectNode replacement = patch.deepCopy();
          replacement.remove(DIRECTIVE);
          return mergeObject(NODES.objectNode(), replacement, type);
        }
        case "delete" -> {
          return NODES.objectNode();
        }
        case "merge" -> {}
        default -> throw unknownDirective(patch.get(DIRECTIVE), patch);
      }
    }
    Set<String> ordered = Set.of();
    if (directives) {
      retainKeys(original, patch);
      ordered = mergeOrderedLists(original, patch, type);
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (ordered.contains(name) || directives && isDirective(name)) continue;
      if (directives && name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deleteFromPrimitiveList(original, listName(name, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST), value);
      } else if (value.isNull()) {
        original.remove(name);
      } else {
        original.set(name, mergeField(original.get(name), value, type, name));
      }
    }
    return original;
  }

  private static boolean isDirective(String name) {
    return name.equals(DIRECTIVE) || name.equals(RETAIN_KEYS) || name.startsWith(SET_ELEMENT_ORDER);
  }

  /** The field {@code name} of an object of {@code owner} type, merged with its patch value. */
  private JsonNode mergeField(JsonNode current, JsonNode value, JavaType owner, String name) {
    JavaType type = fieldType(owner, name);
    Optional<ListMerge> listMerge = PatchStrategies.listMerge(owner, name);
    if (current != null && current.isObject() && value.isObject()) {
      return mergeObject((ObjectNode) current, (ObjectNode) value, type);
    }
    if (current != null && current.isArray() && value.isArray() && listMerge.isPresent()) {
      return mergeList((ArrayNode) current, (ArrayNode) value, elementType(type), listMerge.get());
    }
    return fresh(value, type, listMerge);
  }

  /** A patch value as it is when merged into nothing. */
  private JsonNode fresh(JsonNode value, JavaType type, Optional<ListMerge> listMerge) {
    if (value.isObject()) return mergeObject(NODES.objectNode(), (ObjectNode) value, type);
    if (!value.isArray()) return value.deepCopy();
    if (listMerge.isPresent()) return mergeList(NODES.arrayNode(), (ArrayNode) value, elementType(type), listMerge.get());
    ArrayNode copy = NODES.arrayNode();
    value.forEach(item -> copy.add(fresh(item, elementType(type), Optional.empty())));
    return copy;
  }

  private JsonNode mergeList(ArrayNode original, ArrayNode patch, JavaType elementType, ListMerge listMerge) {
    if (original.isEmpty() && patch.isEmpty()) return original;
    if (!elementsAreObjects(original, patch)) return mergeScalarList(original, patch);
    if (listMerge.ofScalars()) throw cannotMerge("cannot merge lists without merge key for type struct");
    return mergeObjectList(original, patch, elementType, listMerge.key());
  }

  /** A set of scalars: the live ones and the patch's, without repeats. */
  private static JsonNode mergeScalarList(ArrayNode original, ArrayNode patch) {
    List<JsonNode> merged = new ArrayList<>();
    for (JsonNode item : concat(original, patch)) {
      if (indexOf(merged, item, Function.identity()) < 0) merged.add(item.deepCopy());
    }
    return ordered(merged, elements(patch), elements(original), Function.identity());
  }

  private JsonNode mergeObjectList(ArrayNode original, ArrayNode patch, JavaType elementType, String key) {
    List<JsonNode> live = elements(original);
    List<JsonNode> changes = new ArrayList<>();
    boolean replace = false;
    for (JsonNode element : patch) {
      JsonNode directive = directives ? element.get(DIRECTIVE) : null;
      if (directive == null) {
        changes.add(element);
        continue;
      }
      switch (text(directive)) {
        case "delete" -> {
          JsonNode value = element.get(key);
          if (value == null) throw noMergeKey(element, key);
          live.removeIf(item -> sameValue(item.get(key), value));
        }
        case "replace" -> replace = true;
        case "merge" -> {}
        default -> throw unknownDirective(directive, element);
      }
    }
    if (replace) {
      live = new ArrayList<>(changes.stream().map(e -> fresh(e, elementType, Optional.empty())).toList());
      changes = List.of();
    }
    Function<JsonNode, JsonNode> mergeKey = mergeKey(key);
    List<JsonNode> serverOrder = List.copyOf(live);
    for (JsonNode element : changes) {
      int at = indexOf(live, element, mergeKey);
      if (at < 0) {
        live.add(mergeObject(NODES.objectNode(), (ObjectNode) element, elementType));
      } else {
        live.set(at, mergeObject((ObjectNode) live.get(at), (ObjectNode) element, elementType));
      }
    }
    requireMergeKeys(live, mergeKey);
    return ordered(live, changes, serverOrder, mergeKey);
  }

  /**
   * Orders a merged list as Kubernetes does: the elements named in the patch in the patch's order,
   * the others in their live order, the two interleaved by their live positions. An element new to
   * the list has no live position, so it goes before the server-only elements still to place: a
   * container added without {@code $setElementOrder} comes first.
   */
  private static ArrayNode ordered(
      List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> serverOrder, Function<JsonNode, JsonNode> identity) {
    List<JsonNode> patched = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) (indexOf(patchOrder, item, identity) >= 0 ? patched : serverOnly).add(item);
    patched.sort(Comparator.comparingInt(item -> indexOf(patchOrder, item, identity)));
    serverOnly.sort(Comparator.comparingInt(item -> rank(serverOrder, item, identity)));

    ArrayNode result = NODES.arrayNode();
    int s = 0;
    int p = 0;
    while (s < serverOnly.size() || p < patched.size()) {
      if (p == patched.size()) {
        result.add(serverOnly.get(s++));
      } else if (s == serverOnly.size()) {
        result.add(patched.get(p++));
      } else {
        int serverAt = indexOf(serverOrder, serverOnly.get(s), identity);
        int patchAt = indexOf(serverOrder, patched.get(p), identity);
        result.add(serverAt >= 0 && patchAt >= 0 && serverAt < patchAt ? serverOnly.get(s++) : patched.get(p++));
      }
    }
    return result;
  }

  /** {@code $retainKeys}: the live object keeps only the listed fields, and the patch sets no others. */
  private static void retainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain == null) return;
    if (!retain.isArray()) throw malformed(BAD_RETAIN_KEYS);
    Set<String> kept = new HashSet<>();
    retain.forEach(item -> kept.add(item.asText()));
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      boolean exempt = field.getValue().isNull() || name.equals(RETAIN_KEYS) || name.equals(DIRECTIVE)
          || name.startsWith(DELETE_FROM_PRIMITIVE_LIST) || name.startsWith(SET_ELEMENT_ORDER);
      if (!exempt && !kept.contains(name)) throw malformed(BAD_RETAIN_KEYS);
    }
    original.retain(kept);
  }

  /**
   * {@code $setElementOrder/<list>}: merges each such list now and orders it as the directive says,
   * elements only on the server keeping their place. Returns the lists it merged.
   */
  private Set<String> mergeOrderedLists(ObjectNode original, ObjectNode patch, JavaType type) {
    Set<String> merged = new HashSet<>();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (!field.getKey().startsWith(SET_ELEMENT_ORDER)) continue;
      String name = listName(field.getKey(), SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
      JsonNode order = field.getValue();
      JsonNode live = original.get(name) == null || original.get(name).isNull() ? null : original.get(name);
      JsonNode changes = patch.get(name);
      for (JsonNode list : new JsonNode[] {order, live, changes}) {
        if (list != null && !list.isArray()) throw cannotMerge("expected a []interface {}, but received a " + PatchFailures.goType(list));
      }
      if (live == null && changes == null) continue;

      String key = PatchStrategies.listMerge(type, name).map(ListMerge::key).orElse("");
      Function<JsonNode, JsonNode> identity = key.isEmpty() ? Function.identity() : mergeKey(key);
      requireMergeKeys(elements(order), identity);
      checkOrder(changes, order, identity, key.isEmpty());

      JsonNode result = changes == null ? live : mergeField(live, changes, type, name);
      original.set(name, ordered(elements(result), elements(order), live == null ? List.of() : elements(live), identity));
      merged.add(name);
    }
    return merged;
  }

  /** The patch list must name its elements in the order {@code $setElementOrder} gives. */
  private static void checkOrder(JsonNode changes, JsonNode order, Function<JsonNode, JsonNode> identity, boolean scalars) {
    if (changes == null || changes.isEmpty() || order.isEmpty()) return;
    List<JsonNode> named = elements(changes).stream()
        .filter(item -> scalars || !item.isObject() || !"delete".equals(text(item.get(DIRECTIVE))))
        .toList();
    int p = 0;
    int o = 0;
    while (p < named.size() && o < order.size()) {
      JsonNode item = named.get(p);
      if (item.isObject() && item.has(DIRECTIVE)) {
        p++;
        continue;
      }
      if (sameValue(identity.apply(item), identity.apply(order.get(o)))) p++;
      o++;
    }
    if (p < named.size()) {
      throw cannotMerge("The order in patch list:\n" + goValue(changes) + "\n doesn't match " + SET_ELEMENT_ORDER
          + " list:\n" + goValue(order) + "\n");
    }
  }

  /** {@code $deleteFromPrimitiveList/<list>}: removes these scalars from the live list. */
  private static void deleteFromPrimitiveList(ObjectNode original, String name, JsonNode doomed) {
    if (doomed.isNull()) {
      original.remove(name);
      return;
    }
    if (!doomed.isArray()) throw malformed(BAD_PRIMITIVE_LIST);
    JsonNode current = original.get(name);
    if (current == null || !current.isArray()) return;
    ArrayNode kept = NODES.arrayNode();
    current.forEach(item -> {
      if (indexOf(elements(doomed), item, Function.identity()) < 0) kept.add(item);
    });
    original.set(name, kept);
  }

  /** The list a {@code <prefix>/<list>} directive is about. */
  private static String listName(String directive, String prefix, String malformedMessage) {
    int slash = directive.indexOf('/');
    if (slash < 0 || !directive.substring(0, slash).equals(prefix)) throw malformed(malformedMessage);
    return directive.substring(slash + 1);
  }

  /** Lists hold objects or scalars of one kind; Kubernetes has no lists of lists. */
  private static boolean elementsAreObjects(ArrayNode original, ArrayNode patch) {
    JsonNodeType kind = null;
    for (JsonNode item : concat(original, patch)) {
      if (item.isArray()) throw PatchFailures.notApplicable();
      if (kind == null) kind = item.getNodeType();
      if (item.getNodeType() != kind) {
        throw cannotMerge("list element types are not identical: [" + goValue(original) + " " + goValue(patch) + "]");
      }
    }
    return kind == JsonNodeType.OBJECT;
  }

  /** Kubernetes checks that every element carries its merge key before it orders a list. */
  private static void requireMergeKeys(List<JsonNode> elements, Function<JsonNode, JsonNode> mergeKey) {
    elements.forEach(mergeKey::apply);
  }

  /** The merge key of a list element; a patch or live element without one cannot be merged. */
  private static Function<JsonNode, JsonNode> mergeKey(String key) {
    return item -> {
      JsonNode value = item.isObject() ? item.get(key) : null;
      if (value == null) throw noMergeKey(item, key);
      return value;
    };
  }

  private static int indexOf(List<JsonNode> list, JsonNode item, Function<JsonNode, JsonNode> identity) {
    JsonNode wanted = identity.apply(item);
    for (int i = 0; i < list.size(); i++) {
      if (sameValue(identity.apply(list.get(i)), wanted)) return i;
    }
    return -1;
  }

  private static int rank(List<JsonNode> list, JsonNode item, Function<JsonNode, JsonNode> identity) {
    int at = indexOf(list, item, identity);
    return at < 0 ? Integer.MAX_VALUE : at;
  }

  /** Equal JSON values, numbers by value whatever their Java representation. */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) return a == b;
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
    return a.equals(b);
  }

  private static JavaType fieldType(JavaType owner, String name) {
    if (owner == null) return null;
    if (owner.isMapLikeType()) return owner.getContentType();
    return ModelSchema.property(owner, name);
  }

  private static JavaType elementType(JavaType listType) {
    return listType == null ? null : ModelSchema.contentType(listType);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : "";
  }

  private static List<JsonNode> elements(JsonNode list) {
    List<JsonNode> items = new ArrayList<>(list.size());
    list.forEach(items::add);
    return items;
  }

  private static List<JsonNode> concat(JsonNode first, JsonNode second) {
    List<JsonNode> items = elements(first);
    second.forEach(items::add);
    return items;
  }
}
