package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.defaultNumber;
import static io.kubeactor.controlplane.registry.admission.Nodes.defaultText;
import static io.kubeactor.controlplane.registry.admission.Nodes.object;
import static io.kubeactor.controlplane.registry.admission.Nodes.objectOrNull;
import static io.kubeactor.controlplane.registry.admission.Nodes.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Quantities;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Defaults of pods and pod templates. Every PodSpec gets SetDefaults_PodSpec and the container,
 * probe and volume defaults; only a Pod itself gets SetDefaults_Pod (requests from limits,
 * enableServiceLinks) and what the ServiceAccount, Priority and DefaultTolerationSeconds admission
 * plugins and the pod create strategy add.
 */
public final class PodDefaults {
  private PodDefaults() {}

  private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");
  private static final Set<String> QOS_RESOURCES = Set.of("cpu", "memory");

  /** A PodTemplateSpec inside a workload. */
  static void template(ObjectNode template) {
    podSpec(object(template, "spec"));
  }

  public static void pod(ObjectNode pod, AdmissionSettings settings) {
    ObjectNode spec = object(pod, "spec");
    podSpec(spec);
    for (String list : List.of("containers", "initContainers")) {
      for (ObjectNode container : objects(spec, list)) requestsFromLimits(container);
    }
    Nodes.defaultBoolean(spec, "enableServiceLinks", true);
    if (spec.path("hostNetwork").asBoolean(false)) hostNetworkPorts(spec);
    serviceAccount(spec);
    priority(spec);
    defaultTolerations(spec, settings.defaultTolerationSeconds());
    ObjectNode status = object(pod, "status");
    defaultText(status, "phase", "Pending");
    defaultText(status, "qosClass", qosClass(spec));
  }

  private static void podSpec(ObjectNode spec) {
    defaultText(spec, "dnsPolicy", "ClusterFirst");
    defaultText(spec, "restartPolicy", "Always");
    object(spec, "securityContext");
    defaultNumber(spec, "terminationGracePeriodSeconds", 30);
    defaultText(spec, "schedulerName", "default-scheduler");
    for (String list : CONTAINER_LISTS) {
      for (ObjectNode container : objects(spec, list)) container(container);
    }
    for (ObjectNode volume : objects(spec, "volumes")) volume(volume);
  }

  private static void container(ObjectNode container) {
    defaultText(container, "imagePullPolicy",
        imageTag(Nodes.text(container, "image")).equals("latest") ? "Always" : "IfNotPresent");
    defaultText(container, "terminationMessagePath", "/dev/termination-log");
    defaultText(container, "terminationMessagePolicy", "File");
    // A Go struct field without a pointer: Kubernetes always writes it, even empty.
    object(container, "resources");
    for (ObjectNode port : objects(container, "ports")) defaultText(port, "protocol", "TCP");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      ObjectNode p = objectOrNull(container, probe);
      if (p != null) probe(p);
    }
    ObjectNode lifecycle = objectOrNull(container, "lifecycle");
    if (lifecycle != null) {
      for (String hook : List.of("postStart", "preStop")) {
        ObjectNode handler = objectOrNull(lifecycle, hook);
        if (handler != null) handler(handler);
      }
    }
    for (ObjectNode env : objects(container, "env")) {
      ObjectNode fieldRef = objectOrNull(env.get("valueFrom"), "fieldRef");
      if (fieldRef != null) defaultText(fieldRef, "apiVersion", "v1");
    }
  }

  private static void probe(ObjectNode probe) {
    defaultNumber(probe, "timeoutSeconds", 1);
    defaultNumber(probe, "periodSeconds", 10);
    defaultNumber(probe, "successThreshold", 1);
    defaultNumber(probe, "failureThreshold", 3);
    handler(probe);
  }

  private static void handler(ObjectNode handler) {
    ObjectNode httpGet = objectOrNull(handler, "httpGet");
    if (httpGet != null) {
      defaultText(httpGet, "path", "/");
      defaultText(httpGet, "scheme", "HTTP");
    }
    ObjectNode grpc = objectOrNull(handler, "grpc");
    if (grpc != null && Nodes.absent(grpc.get("service"))) grpc.put("service", "");
  }

  private static void volume(ObjectNode volume) {
    boolean hasSource = false;
    for (var it = volume.fieldNames(); it.hasNext(); ) {
      if (!it.next().equals("name")) hasSource = true;
    }
    if (!hasSource) volume.putObject("emptyDir");
    for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
      ObjectNode s = objectOrNull(volume, source);
      if (s != null) defaultNumber(s, "defaultMode", 0644);
    }
    ObjectNode hostPath = objectOrNull(volume, "hostPath");
    if (hostPath != null && Nodes.absent(hostPath.get("type"))) hostPath.put("type", "");
    fieldRefs(volume.path("downwardAPI"));
    for (ObjectNode projection : objects(volume.path("projected"), "sources")) {
      ObjectNode token = objectOrNull(projection, "serviceAccountToken");
      if (token != null) defaultNumber(token, "expirationSeconds", 3600);
      fieldRefs(projection.path("downwardAPI"));
    }
    ObjectNode claimTemplate = objectOrNull(volume.path("ephemeral"), "volumeClaimTemplate");
    if (claimTemplate != null) defaultText(object(claimTemplate, "spec"), "volumeMode", "Filesystem");
  }

  private static void fieldRefs(JsonNode downwardApi) {
    for (ObjectNode item : objects(downwardApi, "items")) {
      ObjectNode fieldRef = objectOrNull(item, "fieldRef");
      if (fieldRef != null) defaultText(fieldRef, "apiVersion", "v1");
    }
  }

  /**
   * The image's tag as the docker reference parser reads it: "latest" when neither tag nor digest
   * is given, "" when the reference only has a digest or cannot be parsed.
   */
  static String imageTag(String image) {
    if (image.isEmpty() || !image.equals(image.strip()) || image.chars().anyMatch(Character::isWhitespace)) return "";
    String name = image;
    boolean digest = false;
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = true;
      name = name.substring(0, at);
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    String repository = colon > slash ? name.substring(0, colon) : name;
    String lastPath = repository.substring(repository.lastIndexOf('/') + 1);
    if (!lastPath.equals(lastPath.toLowerCase())) return "";
    if (colon > slash) return name.substring(colon + 1);
    return digest ? "" : "latest";
  }

  // SetDefaults_Pod: a container that only sets limits requests exactly those limits.
  private static void requestsFromLimits(ObjectNode container) {
    ObjectNode resources = objectOrNull(container, "resources");
    ObjectNode limits = resources == null ? null : objectOrNull(resources, "limits");
    if (limits == null) return;
    ObjectNode requests = object(resources, "requests");
    limits.fields().forEachRemaining(e -> {
      if (!requests.has(e.getKey())) requests.set(e.getKey(), e.getValue().deepCopy());
    });
  }

  private static void hostNetworkPorts(ObjectNode spec) {
    for (String list : List.of("containers", "initContainers")) {
      for (ObjectNode container : objects(spec, list)) {
        for (ObjectNode port : objects(container, "ports")) {
          if (Nodes.number(port, "hostPort") == 0) port.put("hostPort", (int) Nodes.number(port, "containerPort"));
        }
      }
    }
  }

  // ServiceAccount admission: every pod runs as a service account, "default" unless named;
  // the deprecated serviceAccount field mirrors it as the v1 conversion writes it.
  private static void serviceAccount(ObjectNode spec) {
    String name = Nodes.text(spec, "serviceAccountName");
    if (name.isEmpty()) name = Nodes.text(spec, "serviceAccount");
    if (name.isEmpty()) name = "default";
    spec.put("serviceAccountName", name);
    spec.put("serviceAccount", name);
  }

  // Priority admission: the built-in classes, else priority 0 when no class is named.
  private static void priority(ObjectNode spec) {
    if (Nodes.absent(spec.get("priority"))) {
      switch (Nodes.text(spec, "priorityClassName")) {
        case "" -> spec.put("priority", 0);
        case "system-node-critical" -> spec.put("priority", 2000001000);
        case "system-cluster-critical" -> spec.put("priority", 2000000000);
        default -> { }
      }
    }
    defaultText(spec, "preemptionPolicy", "PreemptLowerPriority");
  }

  // DefaultTolerationSeconds admission: pods stay a while (300 s) on a node that is not ready or unreachable.
  private static void defaultTolerations(ObjectNode spec, long seconds) {
    boolean notReady = false;
    boolean unreachable = false;
    for (ObjectNode toleration : objects(spec, "tolerations")) {
      String key = Nodes.text(toleration, "key");
      String effect = Nodes.text(toleration, "effect");
      boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
      if (noExecute && (key.isEmpty() || key.equals("node.kubernetes.io/not-ready"))) notReady = true;
      if (noExecute && (key.isEmpty() || key.equals("node.kubernetes.io/unreachable"))) unreachable = true;
    }
    if (notReady && unreachable) return;
    ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
    if (!notReady) addToleration(tolerations, "node.kubernetes.io/not-ready", seconds);
    if (!unreachable) addToleration(tolerations, "node.kubernetes.io/unreachable", seconds);
  }

  private static void addToleration(ArrayNode tolerations, String key, long seconds) {
    ObjectNode t = tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute");
    // as a decoded JSON number: an int when it fits
    if (seconds == (int) seconds) t.put("tolerationSeconds", (int) seconds);
    else t.put("tolerationSeconds", seconds);
  }

  /** The pod's QoS class from its containers' cpu and memory requests and limits (qos.GetPodQOS). */
  static String qosClass(JsonNode spec) {
    Map<String, BigDecimal> requests = new HashMap<>();
    Map<String, BigDecimal> limits = new HashMap<>();
    boolean guaranteed = true;
    for (String list : List.of("containers", "initContainers")) {
      for (ObjectNode container : objects(spec, list)) {
        JsonNode resources = container.path("resources");
        sumNonZero(resources.path("requests"), requests);
        Set<String> limited = new HashSet<>(sumNonZero(resources.path("limits"), limits));
        if (!limited.containsAll(QOS_RESOURCES)) guaranteed = false;
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) return "BestEffort";
    for (var request : requests.entrySet()) {
      BigDecimal limit = limits.get(request.getKey());
      if (limit == null || limit.compareTo(request.getValue()) != 0) guaranteed = false;
    }
    return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
  }

  private static Set<String> sumNonZero(JsonNode resourceList, Map<String, BigDecimal> into) {
    Set<String> found = new HashSet<>();
    resourceList.fields().forEachRemaining(e -> {
      if (!QOS_RESOURCES.contains(e.getKey())) return;
      Quantities.value(e.getValue().asText()).filter(q -> q.signum() != 0).ifPresent(q -> {
        found.add(e.getKey());
        into.merge(e.getKey(), q, BigDecimal::add);
      });
    });
    return found;
  }
}
