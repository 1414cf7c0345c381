package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OpenAPI v2 (Swagger 2.0) document served at {@code /openapi/v2}: the v3 documents of every
 * group/version merged into one and written the way v2 says the same things, so that the two cannot
 * disagree. kubectl 1.27 and 1.28 read it before every apply, create, replace, edit and explain, and
 * its parser (kube-openapi's {@code pkg/util/proto}) refuses the whole document for one schema it
 * cannot model: so each {@code $ref} points into {@code #/definitions/}, a schema has one type at most,
 * and Quantity and IntOrString, which v3 gives as {@code oneOf}, are strings, as kube-apiserver's v2
 * document has them.
 */
final class SwaggerDocument {

  private static final String V3_REF = "#/components/schemas/";
  private static final String V2_REF = "#/definitions/";
  private static final List<String> OPERATIONS = List.of("get", "put", "post", "delete", "patch");

  private SwaggerDocument() {}

  /** The v2 document of these v3 group/version documents. */
  static ObjectNode from(Collection<ObjectNode> v3Documents) {
    ObjectNode paths = Json.object();
    ObjectNode definitions = Json.object();
    for (ObjectNode v3 : v3Documents) {
      v3.path("paths").properties().forEach(p -> paths.set(p.getKey(), pathItem((ObjectNode) p.getValue())));
      v3.path("components").path("schemas").properties()
          .forEach(d -> definitions.set(d.getKey(), schema(d.getValue())));
    }
    ObjectNode document = Json.object();
    document.put("swagger", "2.0");
    document.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
    document.set("paths", paths);
    document.set("definitions", definitions);
    // as kube-apiserver's: every operation takes a bearer token
    document.putObject("securityDefinitions").putObject("BearerToken")
        .put("description", "Bearer Token authentication").put("in", "header").put("name", "authorization")
        .put("type", "apiKey");
    document.putArray("security").addObject().putArray("BearerToken");
    return document;
  }

  private static ObjectNode pathItem(ObjectNode v3) {
    ObjectNode item = Json.object();
    for (String method : OPERATIONS) {
      if (v3.has(method)) item.set(method, operation((ObjectNode) v3.get(method)));
    }
    if (v3.has("parameters")) item.set("parameters", parameters(v3.get("parameters")));
    return item;
  }

  private static ObjectNode operation(ObjectNode v3) {
    ObjectNode op = Json.object();
    op.put("description", v3.path("description").asText());
    JsonNode body = v3.path("requestBody");
    if (!body.isMissingNode()) op.set("consumes", mediaTypes(body.path("content")));
    Set<String> produces = new LinkedHashSet<>();
    v3.path("responses").forEach(r -> r.path("content").fieldNames().forEachRemaining(produces::add));
    ArrayNode producesArray = op.putArray("produces");
    produces.forEach(producesArray::add);
    op.putArray("schemes").add("https");
    op.set("tags", v3.path("tags").deepCopy());
    op.put("operationId", v3.path("operationId").asText());
    // inline, never referenced: kubectl 1.27 looks for fieldValidation among an operation's own parameters
    ArrayNode params = parameters(v3.path("parameters"));
    if (!body.isMissingNode()) {
      ObjectNode bodyParam = Json.object().put("in", "body").put("name", "body");
      if (body.path("required").asBoolean(false)) bodyParam.put("required", true);
      bodyParam.set("schema", schema(body.path("content").elements().next().path("schema")));
      params.insert(0, bodyParam);
    }
    if (!params.isEmpty()) op.set("parameters", params);
    ObjectNode responses = op.putObject("responses");
    v3.path("responses").properties().forEach(r -> {
      ObjectNode response = responses.putObject(r.getKey()).put("description", r.getValue().path("description").asText());
      JsonNode content = r.getValue().path("content");
      if (content.size() > 0) response.set("schema", schema(content.elements().next().path("schema")));
    });
    v3.properties().stream().filter(e -> e.getKey().startsWith("x-"))
        .forEach(e -> op.set(e.getKey(), e.getValue().deepCopy()));
    return op;
  }

  /** v3's {@code {in, name, schema: {type, ...}}} as v2's {@code {in, name, type, ...}}. */
  private static ArrayNode parameters(JsonNode v3) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode p : v3) {
      ObjectNode param = Json.object();
      p.properties().forEach(e -> {
        if (e.getKey().equals("schema")) param.setAll((ObjectNode) e.getValue().deepCopy());
        else param.set(e.getKey(), e.getValue().deepCopy());
      });
      out.add(param);
    }
    return out;
  }

  private static ArrayNode mediaTypes(JsonNode content) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    content.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The fields of Swagger 2.0's schema object that kubeactor's schemas use. */
  private static final java.util.Set<String> V2_SCHEMA_FIELDS = java.util.Set.of("$ref", "format", "title", "description",
      "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
      "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "enum", "additionalProperties",
      "type", "items", "properties", "example");

  /** A v3 schema as v2 writes it (see the class comment); the v3 tree is left as it is. */
  static ObjectNode schema(JsonNode v3) {
    ObjectNode s = ((ObjectNode) v3).deepCopy();
    if (s.path("allOf").size() == 1 && s.path("allOf").get(0).has("$ref")) {
      // v3's described reference, {allOf: [{$ref}], description}, is v2's {$ref, description}
      ObjectNode unwrapped = (ObjectNode) s.remove("allOf").get(0);
      unwrapped.setAll(s);
      s = unwrapped;
    }
    // as apiextensions' v2 conversion of a CRD's schema: v2 validators would read its
    // combinations wrong, and cannot say null is allowed but by having no type
    s.remove(List.of("allOf", "anyOf", "not"));
    if (s.path("nullable").asBoolean(false)) s.remove("type");
    // what a CRD's schema may hold besides: Swagger 2.0's schema object has no place for it
    s.properties().removeIf(e -> !V2_SCHEMA_FIELDS.contains(e.getKey()) && !e.getKey().startsWith("x-")
        && !e.getKey().equals("oneOf") && !e.getKey().equals("nullable") && !e.getKey().equals("default"));
    if (s.has("$ref")) s.put("$ref", s.get("$ref").asText().replace(V3_REF, V2_REF));
    if (s.has("oneOf")) {
      s.remove("oneOf");
      s.put("type", "string");
    }
    // v2 has no nullable, and kube-apiserver leaves defaults out of its v2 document
    s.remove(List.of("nullable", "default"));
    if (s.has("properties")) {
      ObjectNode props = Json.object();
      s.get("properties").properties().forEach(p -> props.set(p.getKey(), schema(p.getValue())));
      s.set("properties", props);
    }
    if (s.has("items")) s.set("items", schema(s.get("items")));
    if (s.path("additionalProperties").isObject()) s.set("additionalProperties", schema(s.get("additionalProperties")));
    return s;
  }
}
