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

  private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry("Namespace", "A scope for names that groups objects and the policies applied to them."),
      Map.entry("Pod", "A group of containers scheduled together onto one node, sharing network and storage."),
      Map.entry("Node", "A machine that runs pods; its status reports capacity, conditions and addresses."),
      Map.entry("Service", "A stable virtual address and name that spreads traffic over a set of pods."),
      Map.entry("Endpoints", "The addresses and ports of the pods that back a service."),
      Map.entry("Event", "A report of something that happened to an object, kept for people and tools to read."),
      Map.entry("ConfigMap", "Non-confidential configuration as key-value pairs, for pods to read."),
      Map.entry("Secret", "Confidential data such as passwords, tokens or keys, base64-encoded."),
      Map.entry("ServiceAccount", "An identity for processes that run in pods and call the API."),
      Map.entry("PersistentVolume", "A piece of storage in the cluster, provisioned by hand or by a storage class."),
      Map.entry("PersistentVolumeClaim", "A request for storage, bound to a persistent volume that satisfies it."),
      Map.entry("Deployment", "Runs replicas of a pod template and rolls changes to it out at a controlled pace."),
      Map.entry("ReplicaSet", "Keeps a given number of pods from one template running."),
      Map.entry("DaemonSet", "Runs one pod from a template on every eligible node."),
      Map.entry("StatefulSet", "Runs pods with stable names and storage, created and updated in order."),
      Map.entry("ControllerRevision", "An immutable snapshot of state that a controller keeps to roll back to."),
      Map.entry("HorizontalPodAutoscaler", "Sets the replica count of a workload from observed metrics."),
      Map.entry("VerticalPodAutoscaler", "Sets the resource requests of a workload's containers from their observed usage."),
      Map.entry("VerticalPodAutoscalerCheckpoint", "The usage history a VPA recommender keeps for one container, to resume after a restart."),
      Map.entry("PodDisruptionBudget", "Limits how many pods of a set voluntary disruptions may take down at once."),
      Map.entry("Ingress", "Rules that route HTTP traffic from outside the cluster to services."),
      Map.entry("IngressClass", "Names the controller that implements a class of ingresses."),
      Map.entry("EndpointSlice", "A subset of the network endpoints that back a service."),
      Map.entry("Lease", "A lock with a holder and a renewal time, for leader election and node heartbeats."),
      Map.entry("StorageClass", "A kind of storage and the provisioner that creates volumes of it."));

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
      schemas.defineKind(t.model(), t.group(), t.version(), t.kind(),
          DESCRIPTIONS.getOrDefault(t.kind(), t.kind() + " is an object of the " + t.apiVersion() + " API."));
      if (list != null) {
        schemas.defineKind(list, t.group(), t.version(), list.getSimpleName(), "A list of " + t.kind() + " objects.");
      }
      new ResourcePaths(t, schemas, list).addTo(paths);
    }
    schemas.defineKind(Status.class, "", "v1", "Status", "The outcome of a call that returns no object, as for a failure.");

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
