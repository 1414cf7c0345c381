package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A set of field paths (structured-merge-diff's fieldpath.Set) kept as a tree: each node says
 * whether its own path is a member, and holds the nodes of the paths that continue it, in
 * {@link PathElement} order. Sets are built by the walkers and then treated as values: the
 * operations return new sets and share no nodes with their inputs.
 */
public final class FieldSet {
  private boolean member;
  private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

  public static FieldSet empty() {
    return new FieldSet();
  }

  public boolean isEmpty() {
    return !member && children.isEmpty();
  }

  /** The node for a path continuing this one, made when missing. */
  FieldSet child(PathElement pe) {
    return children.computeIfAbsent(pe, k -> new FieldSet());
  }

  /** The node for a path continuing this one, or null. */
  FieldSet get(PathElement pe) {
    return children.get(pe);
  }

  boolean member() {
    return member;
  }

  void markMember() {
    member = true;
  }

  void clearMember() {
    member = false;
  }

  Map<PathElement, FieldSet> children() {
    return children;
  }

  /** Adds a path (relative to this node) as a member. */
  public void insert(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement pe : path) node = node.child(pe);
    node.member = true;
  }

  public boolean has(List<PathElement> path) {
    FieldSet node = this;
    for (PathElement pe : path) {
      node = node.children.get(pe);
      if (node == null) return false;
    }
    return node.member;
  }

  public FieldSet copy() {
    FieldSet out = new FieldSet();
    out.member = member;
    children.forEach((pe, c) -> out.children.put(pe, c.copy()));
    return out;
  }

  public FieldSet union(FieldSet other) {
    FieldSet out = copy();
    out.addAll(other);
    return out;
  }

  private void addAll(FieldSet other) {
    member |= other.member;
    other.children.forEach((pe, c) -> child(pe).addAll(c));
  }

  /** The paths of this set that are not members of {@code other}. */
  public FieldSet difference(FieldSet other) {
    FieldSet out = new FieldSet();
    out.member = member && !other.member;
    children.forEach((pe, c) -> {
      FieldSet o = other.children.get(pe);
      FieldSet d = o == null ? c.copy() : c.difference(o);
      if (!d.isEmpty()) out.children.put(pe, d);
    });
    return out;
  }

  /** True when a path is a member of both sets; nothing is made to find out. */
  public boolean intersects(FieldSet other) {
    if (member && other.member) return true;
    FieldSet small = children.size() <= other.children.size() ? this : other;
    FieldSet large = small == this ? other : this;
    for (Map.Entry<PathElement, FieldSet> e : small.children.entrySet()) {
      FieldSet o = large.children.get(e.getKey());
      if (o != null && e.getValue().intersects(o)) return true;
    }
    return false;
  }

  public FieldSet intersection(FieldSet other) {
    FieldSet out = new FieldSet();
    out.member = member && other.member;
    children.forEach((pe, c) -> {
      FieldSet o = other.children.get(pe);
      if (o == null) return;
      FieldSet i = c.intersection(o);
      if (!i.isEmpty()) out.children.put(pe, i);
    });
    return out;
  }

  /** The paths of this set that neither are members of {@code other} nor lie under one of its members. */
  public FieldSet recursiveDifference(FieldSet other) {
    FieldSet out = new FieldSet();
    out.member = member && !other.member;
    children.forEach((pe, c) -> {
      FieldSet o = other.children.get(pe);
      FieldSet d = o == null ? c.copy() : o.member ? null : c.recursiveDifference(o);
      if (d != null && !d.isEmpty()) out.children.put(pe, d);
    });
    return out;
  }

  /** Removes one path, if a member, without touching the paths beneath it. */
  void removeMember(List<PathElement> path) {
    removeMember(path, 0);
  }

  private boolean removeMember(List<PathElement> path, int at) {
    if (at == path.size()) {
      member = false;
    } else {
      FieldSet c = children.get(path.get(at));
      if (c != null && c.removeMember(path, at + 1)) children.remove(path.get(at));
    }
    return isEmpty();
  }

  /** Every member path, a node's members before the paths beneath it, as fieldpath.Set.Iterate. */
  public void forEachPath(Consumer<List<PathElement>> action) {
    forEachPath(new ArrayList<>(), action);
  }

  private void forEachPath(List<PathElement> prefix, Consumer<List<PathElement>> action) {
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      if (!e.getValue().member) continue;
      prefix.add(e.getKey());
      action.accept(List.copyOf(prefix));
      prefix.remove(prefix.size() - 1);
    }
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      if (e.getValue().children.isEmpty()) continue;
      prefix.add(e.getKey());
      e.getValue().forEachPath(prefix, action);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** How a path prints in a conflict: {@code .spec.containers[name="a"].image}. */
  public static String toString(List<PathElement> path) {
    StringBuilder s = new StringBuilder();
    path.forEach(s::append);
    return s.toString();
  }

  // ---- FieldsV1 ----

  /** The FieldsV1 form: a member with nothing beneath it is {@code {}}, one with children also has {@code ".": {}}. */
  public ObjectNode toFieldsV1() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    writeChildren(out);
    return out;
  }

  private void writeChildren(ObjectNode out) {
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      FieldSet c = e.getValue();
      ObjectNode node = out.putObject(e.getKey().encoded());
      if (c.member && !c.children.isEmpty()) node.putObject(".");
      c.writeChildren(node);
    }
  }

  /** Reads a FieldsV1 object. @throws IllegalArgumentException when it is not one */
  public static FieldSet fromFieldsV1(JsonNode fields) {
    if (fields == null || !fields.isObject()) throw new IllegalArgumentException("FieldsV1 is not an object");
    FieldSet root = new FieldSet();
    root.read(fields);
    return root;
  }

  private void read(JsonNode node) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject()) throw new IllegalArgumentException("FieldsV1 value of " + e.getKey() + " is not an object");
      if (e.getKey().equals(".")) {
        member = true;
        continue;
      }
      FieldSet c = child(PathElement.parse(e.getKey()));
      if (e.getValue().isEmpty()) c.member = true;
      else c.read(e.getValue());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet s && s.member == member && s.children.equals(children);
  }

  @Override
  public int hashCode() {
    return children.hashCode() * 31 + (member ? 1 : 0);
  }

  @Override
  public String toString() {
    return toFieldsV1().toString();
  }
}
