package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.MetricsClient;
import io.kubeactor.controlplane.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The resource metrics API (metrics.k8s.io/v1beta1) that metrics-server serves: NodeMetrics and
 * PodMetrics from the usage the nodes last reported. {@code kubectl top} and the HPA read it.
 */
final class MetricsApi {
  static final String GROUP = "metrics.k8s.io";
  static final String VERSION = "v1beta1";

  private final Registry registry;
  private final MetricsClient metrics;
  private final ResourceType pods;
  private final ResourceType nodes;

  MetricsApi(Registry registry, MetricsClient metrics) {
    this.registry = registry;
    this.metrics = metrics;
    this.pods = registry.types().find("/api/v1", "pods").orElseThrow();
    this.nodes = registry.types().find("/api/v1", "nodes").orElseThrow();
  }

  /** Its kinds as discovery lists them (metrics-server names no singular). */
  static final List<ApiResource> RESOURCES = List.of(
      ApiResource.unstored(GROUP, VERSION, "nodes", "", "NodeMetrics", false, List.of("get", "list")),
      ApiResource.unstored(GROUP, VERSION, "pods", "", "PodMetrics", true, List.of("get", "list")));

  /** GET of .../nodes[/NAME], .../pods, .../namespaces/NS/pods[/NAME]; segments after the version. */
  ObjectNode get(List<String> segments, Optional<String> labelSelector) {
    LabelSelector selector = labelSelector.map(LabelSelector::parse).orElse(LabelSelector.everything());
    String namespace = null;
    List<String> rest = segments;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 2) throw ApiException.notFound(GROUP, "", "");
    String resource = rest.get(0);
    String name = rest.size() == 2 ? rest.get(1) : null;
    return switch (resource) {
      case "nodes" -> {
        if (namespace != null) throw ApiException.notFound(GROUP, "nodes", name == null ? "" : name);
        yield name == null ? list("NodeMetricsList", nodeItems(null, selector)) : single(nodeItems(name, selector), "nodes", name);
      }
      case "pods" -> name == null ? list("PodMetricsList", podItems(namespace, null, selector))
          : single(podItems(namespace, name, selector), "pods", name);
      default -> throw ApiException.notFound(GROUP, resource, name == null ? "" : name);
    };
  }

  private ArrayNode nodeItems(String only, LabelSelector selector) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (MetricsClient.NodeMetrics n : metrics.nodes()) {
      if (only != null && !only.equals(n.name())) continue;
      ObjectNode node = registry.cache().state().get(nodes.storeKey(null, n.name()));
      if (node == null || !selector.matches(node.path("metadata").path("labels"))) continue;
      ObjectNode m = items.addObject();
      m.set("metadata", metadata(node));
      m.put("timestamp", Timestamps.format(n.timestamp()));
      m.put("window", window(n.window()));
      m.set("usage", usage(n.nanoCores(), n.memoryBytes()));
    }
    return items;
  }

  private ArrayNode podItems(String namespace, String only, LabelSelector selector) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    List<MetricsClient.PodMetrics> measured = only == null ? metrics.pods(namespace)
        : metrics.pod(namespace, only).stream().toList();
    for (MetricsClient.PodMetrics p : measured) {
      ObjectNode pod = registry.cache().state().get(pods.storeKey(p.namespace(), p.name()));
      if (pod == null || !selector.matches(pod.path("metadata").path("labels"))) continue;
      ObjectNode m = items.addObject();
      m.set("metadata", metadata(pod));
      m.put("timestamp", Timestamps.format(p.timestamp()));
      m.put("window", window(p.window()));
      ArrayNode containers = m.putArray("containers");
      for (MetricsClient.ContainerMetrics c : p.containers()) {
        containers.addObject().put("name", c.name()).set("usage", usage(c.nanoCores(), c.memoryBytes()));
      }
    }
    return items;
  }

  private static ObjectNode metadata(JsonNode object) {
    JsonNode m = object.path("metadata");
    ObjectNode meta = Json.object();
    meta.put("name", m.path("name").asText());
    if (m.has("namespace")) meta.put("namespace", m.path("namespace").asText());
    meta.put("creationTimestamp", Timestamps.format(Instant.now()));
    if (m.has("labels")) meta.set("labels", m.get("labels"));
    return meta;
  }

  private static ObjectNode usage(long nanoCores, long memoryBytes) {
    ObjectNode o = Json.object();
    o.put("cpu", nanoCores + "n");
    o.put("memory", (memoryBytes / 1024) + "Ki");
    return o;
  }

  /** As metav1.Duration prints it: "15.012s", "1s". */
  private static String window(Duration window) {
    long ms = window.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
  }

  private static ObjectNode list(String kind, ArrayNode items) {
    ObjectNode list = Json.object();
    list.put("kind", kind).put("apiVersion", GROUP + "/" + VERSION);
    list.putObject("metadata");
    list.set("items", items);
    return list;
  }

  private static ObjectNode single(ArrayNode items, String resource, String name) {
    if (items.isEmpty()) throw ApiException.notFound(GROUP, resource, name);
    ObjectNode item = (ObjectNode) items.get(0);
    item.put("kind", resource.equals("nodes") ? "NodeMetrics" : "PodMetrics").put("apiVersion", GROUP + "/" + VERSION);
    return item;
  }
}
