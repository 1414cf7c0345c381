package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The OpenAPI path items of one kind: its collection ({@code .../namespaces/{namespace}/pods}) and
 * item ({@code .../pods/{name}}) paths with one operation per verb it supports. Every operation
 * names its kind in {@code x-kubernetes-group-version-kind}: kubectl finds the kind of a resource
 * that way, and decides from the patch operation's {@code fieldValidation} parameter that the
 * server validates fields itself.
 */
final class ResourcePaths {

  private record Param(String name, String type) {}

  private static final List<Param> LIST = params("allowWatchBookmarks:boolean", "continue", "fieldSelector",
      "labelSelector", "limit:integer", "resourceVersion", "resourceVersionMatch", "sendInitialEvents:boolean",
      "timeoutSeconds:integer", "watch:boolean");
  private static final List<Param> WRITE = params("dryRun", "fieldManager", "fieldValidation");
  private static final List<Param> PATCH = params("dryRun", "fieldManager", "fieldValidation", "force:boolean");
  private static final List<Param> DELETE = params("dryRun", "gracePeriodSeconds:integer",
      "orphanDependents:boolean", "propagationPolicy");
  private static final List<Param> DELETE_COLLECTION = params("continue", "dryRun", "fieldSelector",
      "gracePeriodSeconds:integer", "labelSelector", "limit:integer", "orphanDependents:boolean",
      "propagationPolicy", "resourceVersion", "resourceVersionMatch", "sendInitialEvents:boolean",
      "timeoutSeconds:integer");

  /**
   * Strategic merge patch is left out on purpose: listed, it makes kubectl compute strategic patches
   * from these schemas, which carry no merge keys; unlisted, kubectl uses its compiled-in types.
   */
  private static final List<String> PATCH_TYPES =
      List.of("application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json");

  private final ResourceType type;
  private final ComponentSchemas schemas;
  private final ObjectNode kindRef;
  private final ObjectNode listRef;
  private final String groupVersion; // "CoreV1", as in operation ids
  private final String scopedKind; // "NamespacedPod" or "Node"

  /** The paths of a kind whose schema and list's schema {@code kindRef} and {@code listRef} (null: none) name. */
  ResourcePaths(ResourceType type, ComponentSchemas schemas, ObjectNode kindRef, ObjectNode listRef) {
    this.type = type;
    this.schemas = schemas;
    this.kindRef = kindRef;
    this.listRef = listRef;
    this.groupVersion = groupCamelCase(type.group()) + capitalize(type.version());
    this.scopedKind = (type.namespaced() ? "Namespaced" : "") + type.kind();
  }

  void addTo(ObjectNode paths) {
    String collection = type.basePath() + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
    List<String> scope = type.namespaced() ? List.of("namespace") : List.of();
    String kind = type.kind();

    ObjectNode items = pathItem(scope);
    if (supports("list")) items.set("get", list("list" + groupVersion + scopedKind));
    if (supports("create")) items.set("post", write("post", "create a " + kind, "create", "200", "201", "202"));
    if (supports("deletecollection")) {
      items.set("delete", delete("deletecollection", "delete collection of " + kind,
          "delete" + groupVersion + "Collection" + scopedKind, DELETE_COLLECTION, "200"));
    }
    if (items.size() > 1) paths.set(collection, items);

    ObjectNode item = pathItem(Stream.concat(Stream.of("name"), scope.stream()).toList());
    if (supports("get")) {
      item.set("get", operation("get", "read the specified " + kind, "read" + groupVersion + scopedKind, List.of())
          .set("responses", responses(kindRef.deepCopy(), "200")));
    }
    if (supports("update")) item.set("put", write("put", "replace the specified " + kind, "replace", "200", "201"));
    if (supports("delete")) {
      item.set("delete", delete("delete", "delete a " + kind, "delete" + groupVersion + scopedKind, DELETE, "200", "202"));
    }
    if (supports("patch")) item.set("patch", patch());
    if (item.size() > 1) paths.set(collection + "/{name}", item);

    if (type.namespaced() && supports("list")) {
      ObjectNode all = pathItem(List.of());
      all.set("get", list("list" + groupVersion + kind + "ForAllNamespaces"));
      paths.set(type.basePath() + "/" + type.plural(), all);
    }
  }

  private ObjectNode list(String operationId) {
    ObjectNode response = listRef != null ? listRef.deepCopy() : Json.object().put("type", "object");
    return operation("list", "list or watch objects of kind " + type.kind(), operationId, LIST)
        .set("responses", responses(response, "200"));
  }

  private ObjectNode write(String action, String description, String verb, String... codes) {
    ObjectNode op = operation(action, description, verb + groupVersion + scopedKind, WRITE);
    op.set("requestBody", body(List.of("*/*"), kindRef.deepCopy(), true));
    return op.set("responses", responses(kindRef.deepCopy(), codes));
  }

  private ObjectNode patch() {
    ObjectNode op = operation("patch", "partially update the specified " + type.kind(), "patch" + groupVersion + scopedKind, PATCH);
    op.set("requestBody", body(PATCH_TYPES, schemas.apimachineryRef(DefinitionNames.PATCH), true));
    return op.set("responses", responses(kindRef.deepCopy(), "200", "201"));
  }

  private ObjectNode delete(String action, String description, String operationId, List<Param> params, String... codes) {
    ObjectNode op = operation(action, description, operationId, params);
    op.set("requestBody", body(List.of("*/*"), schemas.ref(DeleteOptions.class), false));
    return op.set("responses", responses(schemas.ref(Status.class), codes));
  }

  /** An operation with its query parameters, naming the kind it acts on. */
  private ObjectNode operation(String action, String description, String operationId, List<Param> params) {
    ObjectNode op = Json.object().put("description", description).put("operationId", operationId);
    if (!params.isEmpty()) {
      ArrayNode list = op.putArray("parameters");
      params.forEach(p -> list.add(parameter(p.name(), "query", p.type())));
    }
    String group = groupCamelCase(type.group());
    op.putArray("tags").add(Character.toLowerCase(group.charAt(0)) + group.substring(1) + "_" + type.version());
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", type.group()).put("version", type.version()).put("kind", type.kind());
    return op;
  }

  /** Path-level parameters shared by every operation of a path. */
  private static ObjectNode pathItem(List<String> pathParams) {
    ObjectNode item = Json.object();
    ArrayNode params = item.putArray("parameters");
    pathParams.forEach(name -> params.add(parameter(name, "path", "string").put("required", true)));
    params.add(parameter("pretty", "query", "string"));
    return item;
  }

  private static ObjectNode parameter(String name, String in, String type) {
    ObjectNode p = Json.object().put("in", in).put("name", name);
    p.putObject("schema").put("type", type).put("uniqueItems", true);
    return p;
  }

  private static ObjectNode body(List<String> mediaTypes, ObjectNode schema, boolean required) {
    ObjectNode body = Json.object();
    ObjectNode content = body.putObject("content");
    mediaTypes.forEach(m -> content.putObject(m).set("schema", schema.deepCopy()));
    return required ? body.put("required", true) : body;
  }

  private static ObjectNode responses(ObjectNode schema, String... codes) {
    ObjectNode responses = Json.object();
    for (String code : codes) {
      ObjectNode response = responses.putObject(code);
      ObjectNode content = response.putObject("content");
      for (String media : List.of("application/json", "application/yaml")) content.putObject(media).set("schema", schema.deepCopy());
      response.put("description", switch (code) {
        case "201" -> "Created";
        case "202" -> "Accepted";
        default -> "OK";
      });
    }
    responses.putObject("401").put("description", "Unauthorized");
    return responses;
  }

  private boolean supports(String verb) {
    return type.verbs().contains(verb);
  }

  /** "" → "Core", "networking.k8s.io" → "Networking", "rbac.authorization.k8s.io" → "RbacAuthorization". */
  private static String groupCamelCase(String group) {
    if (group.isEmpty()) return "Core";
    return Arrays.stream(group.replaceFirst("\\.k8s\\.io$", "").split("\\.")).map(ResourcePaths::capitalize)
        .collect(Collectors.joining());
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Query parameters written as "name" for a string or "name:type". */
  private static List<Param> params(String... specs) {
    return Arrays.stream(specs).map(spec -> {
      String[] parts = spec.split(":");
      return new Param(parts[0], parts.length > 1 ? parts[1] : "string");
    }).toList();
  }
}
