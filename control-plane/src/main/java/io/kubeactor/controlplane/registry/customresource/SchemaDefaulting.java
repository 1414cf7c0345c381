package io.kubeactor.controlplane.registry.customresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.apiextensions.StructuralSchema;
import java.util.Map;

/**
 * Defaulting of a custom resource from its structural schema (apiextensions
 * pkg/apiserver/schema/defaulting): a missing property, or a null one the schema does not allow,
 * takes a copy of the property's default; properties, map values and list items are defaulted in
 * turn, the defaults themselves included.
 */
final class SchemaDefaulting {
  private SchemaDefaulting() {}

  static void apply(JsonNode node, StructuralSchema s) {
    if (s == null) return;
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, StructuralSchema> p : s.properties().entrySet()) {
        JsonNode value = object.get(p.getKey());
        JsonNode dflt = p.getValue().defaultValue();
        if (dflt != null && (value == null || value.isNull() && !p.getValue().nullable())) {
          object.set(p.getKey(), dflt.deepCopy());
        }
      }
      object.fields().forEachRemaining(field -> {
        StructuralSchema child = s.properties().get(field.getKey());
        apply(field.getValue(), child != null ? child : s.additionalProperties());
      });
    } else if (node instanceof ArrayNode array) {
      array.forEach(item -> apply(item, s.items()));
    }
  }
}
