package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pruning of a custom resource against its structural schema (apiextensions
 * pkg/apiserver/schema/pruning): fields the schema does not specify are dropped, unless the node
 * preserves unknown fields; at the root and in embedded resources apiVersion, kind and metadata
 * stay. A null the schema neither allows (nullable) nor defaults is dropped too, as Kubernetes'
 * PruneNonNullableNullsWithoutDefaults does. What is dropped is named as strict decoding names it
 * ("spec.foo", "spec.items[0].bar").
 */
final class SchemaPruning {
  private SchemaPruning() {}

  private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");

  /** The paths pruning would drop, without changing the object. */
  static List<String> unknownFields(JsonNode object, StructuralSchema schema) {
    List<String> out = new ArrayList<>();
    walk(object, schema, true, "", out, false);
    return out;
  }

  /** Drops, in place, what the schema does not specify. */
  static void prune(ObjectNode object, StructuralSchema schema) {
    walk(object, schema, true, "", new ArrayList<>(), true);
  }

  private static void walk(JsonNode node, StructuralSchema s, boolean resourceRoot, String path, List<String> unknown,
      boolean drop) {
    if (s == null) return;
    if (node instanceof ObjectNode object) {
      Map<String, StructuralSchema> properties = s.properties();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = field.getKey();
        String fieldPath = path.isEmpty() ? name : path + "." + name;
        if (resourceRoot && TYPE_META.contains(name) && !properties.containsKey(name)) continue;
        StructuralSchema child = properties.get(name);
        if (child == null) child = s.additionalProperties();
        if (child == null) {
          if (!s.preservesUnknownFields()) {
            unknown.add(fieldPath);
            if (drop) fields.remove();
          }
          continue;
        }
        if (drop && field.getValue().isNull() && !child.nullable() && child.defaultValue() == null) {
          fields.remove();
          continue;
        }
        walk(field.getValue(), child, child.embeddedResource(), fieldPath, unknown, drop);
      }
    } else if (node instanceof ArrayNode array && s.items() != null) {
      for (int i = 0; i < array.size(); i++) {
        walk(array.get(i), s.items(), s.items().embeddedResource(), path + "[" + i + "]", unknown, drop);
      }
    }
  }
}
