package io.kubeactor.controlplane.registry.fieldmanager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How server-side apply merges and tracks a value (structured-merge-diff's schema atoms): a scalar;
 * a struct of named fields or a map of keys, each granular or atomic; a list that is atomic, a set
 * of scalars, or a map of items by key fields; or untyped (maps granular, lists atomic). {@link
 * #IGNORED} marks the fields no manager ever owns (name, uid, resourceVersion...).
 */
sealed interface Schema {
  Schema SCALAR = new Leaf("scalar");
  Schema UNTYPED = new Leaf("untyped");
  Schema IGNORED = new Leaf("ignored");

  record Leaf(String name) implements Schema {}

  enum ListType { ATOMIC, SET, MAP }

  record ListOf(Schema items, ListType type, List<String> keys) implements Schema {}

  /** A map of arbitrary keys, all with values of one schema. */
  record MapOf(Schema values, boolean atomic) implements Schema {}

  /**
   * An object of named fields, resolved lazily and once (the types are recursive). A field it does
   * not know is untyped.
   */
  final class Struct implements Schema {
    private final Function<String, Schema> resolve;
    private final boolean atomic;
    private final Map<String, Schema> fields = new ConcurrentHashMap<>();

    Struct(Function<String, Schema> resolve, boolean atomic) {
      this.resolve = resolve;
      this.atomic = atomic;
    }

    boolean atomic() {
      return atomic;
    }

    /** The field's schema, or null when the struct has no such field. */
    Schema named(String name) {
      Schema s = fields.get(name);
      if (s != null) return s;
      s = resolve.apply(name);
      if (s != null) fields.put(name, s);
      return s;
    }
  }

  /** The schema of a field or key of a map-like value; null for a non-map. */
  static Schema fieldOf(Schema s, String name) {
    if (s instanceof Struct struct) {
      Schema f = struct.named(name);
      return f == null ? UNTYPED : f;
    }
    if (s instanceof MapOf m) return m.values();
    return s == UNTYPED ? UNTYPED : null;
  }

  /** Whether objects of this schema are merged and tracked key by key. */
  static boolean granularMap(Schema s) {
    return s instanceof Struct struct ? !struct.atomic() : s instanceof MapOf m ? !m.atomic() : s == UNTYPED;
  }

  static boolean granularList(Schema s) {
    return s instanceof ListOf l && l.type() != ListType.ATOMIC;
  }

  /** A struct's own field, as opposed to a key of a map: only a key is itself a member of a field set. */
  static boolean isNamedField(Schema s, String name) {
    return s instanceof Struct struct && struct.named(name) != null;
  }
}
