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
  private record Document(byte[] json, String hash, List<ResourceType> types) {}

  private final ResourceRegistry registry;
  /** The group/versions served now, made again when the registry's kinds change (custom resources). */
  private volatile Served served;
  private final Map<String, Document> documents = new ConcurrentHashMap<>();

  /** The registry's kinds by group/version, at one generation of the registry, and the v2 document made of them. */
  private static final class Served {
    final long generation;
    final Map<String, List<ResourceType>> byGroupVersion = new LinkedHashMap<>();
    /** Made once, on first use; racing first uses make the same bytes. */
    volatile Swagger swagger;

    Served(long generation, List<ResourceType> types) {
      this.generation = generation;
      for (ResourceType t : types) byGroupVersion.computeIfAbsent(t.apiVersion(), gv -> new ArrayList<>()).add(t);
    }
  }

  public OpenApi(ResourceRegistry registry) {
    this.registry = registry;
  }

  private Served served() {
    Served now = served;
    long generation = registry.generation();
    if (now == null || now.generation != generation) {
      now = served = new Served(generation, registry.all());
    }
    return now;
  }

  /**
   * GET /openapi/v3: {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}}.
   * The hash changes whenever the document does, so clients may cache a document by its URL.
   */
  public ObjectNode index() {
    ObjectNode index = Json.object();
    ObjectNode paths = index.putObject("paths");
    for (String groupVersion : served().byGroupVersion.keySet()) {
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
    Served now = served();
    Swagger made = now.swagger;
    if (made == null) {
      List<ObjectNode> v3 = now.byGroupVersion.keySet().stream()
          .map(gv -> (ObjectNode) Json.parse(cached(gv).orElseThrow().json())).toList();
      ObjectNode document = SwaggerDocument.from(v3);
      byte[] json = Json.bytes(document);
      made = now.swagger = new Swagger(json, SwaggerProtobuf.encode(document), hash(json));
    }
    return made;
  }

  /**
   * The v2 document as JSON and as gnostic's protobuf, and the hash that is the ETag of both
   * (kube-apiserver's: the SHA-512 of the JSON in upper-case hex).
   */
  public record Swagger(byte[] json, byte[] protobuf, String hash) {}

  /** A group/version's document, made again only when its kinds changed (a CRD's were replaced). */
  private Optional<Document> cached(String groupVersion) {
    List<ResourceType> types = served().byGroupVersion.get(groupVersion);
    if (types == null) return Optional.empty();
    return Optional.of(documents.compute(groupVersion, (gv, made) -> {
      if (made != null && made.types().equals(types)) return made;
      byte[] json = Json.bytes(build(types));
      return new Document(json, hash(json), types);
    }));
  }

  private static ObjectNode build(List<ResourceType> types) {
    ComponentSchemas schemas = new ComponentSchemas();
    ObjectNode paths = Json.object();
    for (ResourceType t : types) {
      if (t.isCustom()) {
        ObjectNode[] refs = schemas.defineCustomKind(t);
        new ResourcePaths(t, schemas, refs[0], refs[1]).addTo(paths);
        continue;
      }
      Class<?> list = listModel(t);
      schemas.defineKind(t.model(), t.group(), t.version(), t.kind());
      if (list != null) schemas.defineKind(list, t.group(), t.version(), list.getSimpleName());
      new ResourcePaths(t, schemas, schemas.ref(t.model()), list == null ? null : schemas.ref(list)).addTo(paths);
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
