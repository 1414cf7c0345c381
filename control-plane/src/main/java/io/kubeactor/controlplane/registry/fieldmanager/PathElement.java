package io.kubeactor.controlplane.registry.fieldmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One step of a path into an object, as structured-merge-diff names it: a field of a struct or map
 * ({@code f:}), an item of an associative list by its key fields ({@code k:}), an item of a set by
 * its value ({@code v:}), or a list index ({@code i:}). Its serialized form is its identity.
 */
public final class PathElement implements Comparable<PathElement> {
  enum Kind { FIELD, KEY, VALUE, INDEX }

  private final Kind kind;
  private final String field;
  /** The key fields of an associative-list item, sorted by name; or a set item's value. */
  private final JsonNode value;
  private final int index;
  /** The FieldsV1 form; made when first asked for in a field or an index, which the walks make by the thousand. */
  private String encoded;

  private PathElement(Kind kind, String field, JsonNode value, int index, String encoded) {
    this.kind = kind;
    this.field = field;
    this.value = value;
    this.index = index;
    this.encoded = encoded;
  }

  public static PathElement field(String name) {
    return new PathElement(Kind.FIELD, name, null, 0, null);
  }

  /** An associative-list item: {@code keys} maps each key field to its value. */
  public static PathElement key(Map<String, JsonNode> keys) {
    ObjectNode sorted = JsonNodeFactory.instance.objectNode();
    (keys.size() == 1 ? keys : new TreeMap<>(keys)).forEach(sorted::set);
    return new PathElement(Kind.KEY, null, sorted, 0, "k:" + compactJson(sorted));
  }

  /** The object as Jackson writes it compactly, written directly when its values are strings and numbers (item keys are). */
  private static String compactJson(ObjectNode object) {
    StringBuilder json = new StringBuilder(32).append('{');
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      JsonNode v = e.getValue();
      if (!v.isTextual() && !v.isIntegralNumber() && !v.isBoolean()) return object.toString();
      if (json.length() > 1) json.append(',');
      quoted(json, e.getKey()).append(':');
      if (v.isTextual()) quoted(json, v.textValue());
      else json.append(v.asText());
    }
    return json.append('}').toString();
  }

  /** Appends {@code s} as a JSON string, escaped as Jackson escapes it. */
  static StringBuilder quoted(StringBuilder json, String s) {
    json.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, json);
    return json.append('"');
  }

  public static PathElement value(JsonNode value) {
    return new PathElement(Kind.VALUE, null, value, 0, "v:" + value);
  }

  public static PathElement index(int index) {
    return new PathElement(Kind.INDEX, null, null, index, null);
  }

  /** Reads the FieldsV1 form ({@code f:spec}, {@code k:{"name":"a"}}, {@code v:"x"}, {@code i:0}). */
  public static PathElement parse(String encoded) {
    if (encoded.length() < 2 || encoded.charAt(1) != ':') throw new IllegalArgumentException("unknown path element " + encoded);
    if (encoded.charAt(0) == 'f') return new PathElement(Kind.FIELD, encoded.substring(2), null, 0, encoded);
    PathElement known = PARSED.get(encoded);
    if (known != null) return known;
    PathElement parsed = parseItem(encoded);
    if (PARSED.size() >= PARSED_KEPT) PARSED.clear();
    PARSED.put(encoded, parsed);
    return parsed;
  }

  /**
   * Items read before, by their FieldsV1 form: the same few keys ({@code k:{"type":"Ready"}},
   * {@code k:{"name":"app"}}) come in every object of a kind. Elements never change, so they are shared.
   */
  private static final Map<String, PathElement> PARSED = new ConcurrentHashMap<>();
  private static final int PARSED_KEPT = 4096;

  private static PathElement parseItem(String encoded) {
    String body = encoded.substring(2);
    try {
      return switch (encoded.charAt(0)) {
        case 'k' -> {
          JsonNode keys = Json.MAPPER.readTree(body);
          if (!keys.isObject()) throw new IllegalArgumentException("key of " + encoded + " is not an object");
          yield key(fields((ObjectNode) keys));
        }
        case 'v' -> value(Json.MAPPER.readTree(body));
        case 'i' -> index(Integer.parseInt(body));
        default -> throw new IllegalArgumentException("unknown path element " + encoded);
      };
    } catch (JsonProcessingException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed path element " + encoded, e);
    }
  }

  private static Map<String, JsonNode> fields(ObjectNode object) {
    Map<String, JsonNode> fields = new TreeMap<>();
    object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
    return fields;
  }

  public boolean isField() {
    return kind == Kind.FIELD;
  }

  public String fieldName() {
    return field;
  }

  /** The FieldsV1 form. */
  public String encoded() {
    String e = encoded;
    if (e == null) encoded = e = kind == Kind.FIELD ? "f:" + field : "i:" + index;
    return e;
  }

  /** As structured-merge-diff prints a path in a conflict: {@code .spec}, {@code [name="a"]}, {@code [="x"]}, {@code [0]}. */
  @Override
  public String toString() {
    return switch (kind) {
      case FIELD -> "." + field;
      case KEY -> {
        StringBuilder s = new StringBuilder("[");
        Iterator<Map.Entry<String, JsonNode>> keys = value.properties().iterator();
        while (keys.hasNext()) {
          Map.Entry<String, JsonNode> k = keys.next();
          s.append(k.getKey()).append('=').append(Values.toGoString(k.getValue()));
          if (keys.hasNext()) s.append(',');
        }
        yield s.append(']').toString();
      }
      case VALUE -> "[=" + Values.toGoString(value) + "]";
      case INDEX -> "[" + index + "]";
    };
  }

  /** structured-merge-diff's order: fields by name, then keys, then values, then indexes. */
  @Override
  public int compareTo(PathElement o) {
    if (kind != o.kind) return kind.compareTo(o.kind);
    return switch (kind) {
      case FIELD -> field.compareTo(o.field);
      case KEY -> compareKeys(value, o.value);
      case VALUE -> Values.compare(value, o.value);
      case INDEX -> Integer.compare(index, o.index);
    };
  }

  private static int compareKeys(JsonNode a, JsonNode b) {
    Iterator<Map.Entry<String, JsonNode>> left = a.properties().iterator();
    Iterator<Map.Entry<String, JsonNode>> right = b.properties().iterator();
    while (left.hasNext() && right.hasNext()) {
      Map.Entry<String, JsonNode> l = left.next();
      Map.Entry<String, JsonNode> r = right.next();
      int c = l.getKey().compareTo(r.getKey());
      if (c != 0) return c;
      c = Values.compare(l.getValue(), r.getValue());
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PathElement p) || p.kind != kind) return false;
    return switch (kind) {
      case FIELD -> p.field.equals(field);
      case INDEX -> p.index == index;
      case KEY, VALUE -> p.encoded.equals(encoded);
    };
  }

  @Override
  public int hashCode() {
    return switch (kind) {
      case FIELD -> field.hashCode();
      case INDEX -> index;
      case KEY, VALUE -> encoded.hashCode();
    };
  }
}
