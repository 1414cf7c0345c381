package io.kubeactor.controlplane.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI v3 documents served at {@code /openapi/v3}: an index of one document per
 * group/version, and each document with the REST paths and the schemas of that group/version's
 * kinds. kubectl reads them to learn that the server validates fields ({@code apply}/{@code create}
 * with {@code --validate=strict}) and to {@code explain} resources.
 */
public final class OpenApi {

  /** A served document and the hash its URL in the index carries. */
  private record Document(byte[] json, String hash) {}

  private final Map<String, List<ResourceType>> byGroupVersion = new LinkedHashMap<>();
  private final Map<String, Document> documents = new ConcurrentHashMap<>();
  /** Made once, on first use; racing first uses make the same bytes. */
  private volatile Swagger swagger;

  public OpenApi(ResourceRegistry registry) {
    for (ResourceType t : registry.all()) {
      if (t.isCustom()) continue; // TODO(issue 16): the custom resources' schemas
      byGroupVersion.computeIfAbsent(t.apiVersion(), gv -> new ArrayList<>()).add(t);
    }
  }

  /**
   * GET /openapi/v3: {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}}.
   * The hash changes whenever the document does, so clients may cache a document by its URL.
   */
  public ObjectNode index() {
    ObjectNode index = Json.object();
    ObjectNode paths = index.putObject("paths");
    for (String groupVersion : byGroupVersion.keySet()) {
      String path = (groupVersion.contains("/") ? "apis/" : "api/") + groupVersion;
      String hash = cached(groupVersion).orElseThrow().hash();
      paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash);
    }
    return index;
  }

  /** The document of one group/version ("v1", "apps/v1"), or empty for one not served. */
  public Optional<byte[]> document(String groupVersion) {
    return cached(groupVersion).map(Document::json);
  }

  /**
   * GET /openapi/v2: one Swagger 2.0 document of every group/version (see {@link SwaggerDocument}),
   * with the hash that is its ETag.
   */
  public Swagger v2() {
    Swagger made = swagger;
    if (made == null) {
      List<ObjectNode> v3 = byGroupVersion.keySet().stream()
          .map(gv -> (ObjectNode) Json.parse(cached(gv).orElseThrow().json())).toList();
      ObjectNode document = SwaggerDocument.from(v3);
      byte[] json = Json.bytes(document);
      made = swagger = new Swagger(json, SwaggerProtobuf.encode(document), hash(json));
    }
    return made;
  }

  /**
   * The v2 document as JSON and as gnostic's protobuf, and the hash that is the ETag of both
   * (kube-apiserver's: the SHA-512 of the JSON in upper-case hex).
   */
  public record Swagger(byte[] json, byte[] protobuf, String hash) {}

  private Optional<Document> cached(String groupVersion) {
    List<ResourceType> types = byGroupVersion.get(groupVersion);
    if (types == null) return Optional.empty();
    return Optional.of(documents.computeIfAbsent(groupVersion, gv -> {
      byte[] json = Json.bytes(build(types));
      return new Document(json, hash(json));
    }));
  }

  private static ObjectNode build(List<ResourceType> types) {
    ComponentSchemas schemas = new ComponentSchemas();
    ObjectNode paths = Json.object();
    for (ResourceType t : types) {
      Class<?> list = listModel(t);
      schemas.defineKind(t.model(), t.group(), t.version(), t.kind());
      if (list != null) schemas.defineKind(list, t.group(), t.version(), list.getSimpleName());
      new ResourcePaths(t, schemas, list).addTo(paths);
    }
    schemas.defineKind(Status.class, "", "v1", "Status");

    ObjectNode document = Json.object();
    document.putObject("components").set("schemas", schemas.toJson());
    document.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
    document.put("openapi", "3.0.0");
    document.set("paths", paths);
    return document;
  }

  /** fabric8 names the list of a kind after it: Pod, PodList. */
  private static Class<?> listModel(ResourceType t) {
    try {
      return Class.forName(t.model().getName() + "List", false, t.model().getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /** As kube-apiserver does: the SHA-512 of the document, in upper-case hex. */
  private static String hash(byte[] document) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(document));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
