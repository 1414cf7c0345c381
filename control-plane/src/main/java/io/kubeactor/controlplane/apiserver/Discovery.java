package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legacy discovery documents (/api, /apis, /api/v1, /apis/{group}/{version}) and /version: how
 * kubectl and client libraries learn which kinds, verbs and short names the server has.
 */
public final class Discovery {

  /** The Kubernetes release this server answers as; kubectl's dispatcher picks its client by it. */
  public static final String KUBERNETES_VERSION = "v1.32.4";

  private final ResourceRegistry registry;
  private final String serverAddress;

  public Discovery(ResourceRegistry registry, String serverAddress) {
    this.registry = registry;
    this.serverAddress = serverAddress;
  }

  public ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1").put("minor", "32").put("gitVersion", KUBERNETES_VERSION + "+kubeactor")
        .put("gitCommit", "kubeactor").put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z")
        .put("goVersion", "java" + Runtime.version().feature()).put("compiler", "javac")
        .put("platform", "linux/amd64");
    return v;
  }

  public ObjectNode apiVersions() {
    ObjectNode v = Json.object();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ArrayNode addrs = v.putArray("serverAddressByClientCIDRs");
    addrs.addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return v;
  }

  public ObjectNode apiGroupList() {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
      if (g.getKey().isEmpty()) continue;
      groups.add(group(g.getKey(), g.getValue()));
    }
    return list;
  }

  public Optional<ObjectNode> apiGroup(String name) {
    List<String> versions = registry.groupVersions().get(name);
    if (versions == null || name.isEmpty()) return Optional.empty();
    ObjectNode g = group(name, versions);
    g.put("kind", "APIGroup").put("apiVersion", "v1");
    return Optional.of(g);
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode g = Json.object();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
    g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
    return g;
  }

  /** The APIResourceList of one group/version ("" for core), main resources before subresources. */
  public Optional<ObjectNode> resourceList(String group, String version) {
    List<ResourceType> types = registry.all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    if (types.isEmpty()) return Optional.empty();
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList").put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural()).put("singularName", t.singular()).put("namespaced", t.namespaced()).put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      t.verbs().forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode cs = r.putArray("categories");
        t.categories().forEach(cs::add);
      }
      r.put("storageVersionHash", Integer.toHexString(t.qualifiedResource().hashCode()));
    }
    for (ResourceType t : types) {
      for (String sub : t.subresources()) {
        ObjectNode r = resources.addObject();
        r.put("name", t.plural() + "/" + sub).put("singularName", "").put("namespaced", t.namespaced());
        ArrayNode verbs = r.putArray("verbs");
        switch (sub) {
          case "status", "resize", "approval" -> {
            r.put("kind", t.kind());
            verbs.add("get").add("patch").add("update");
          }
          case "scale" -> {
            r.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
            verbs.add("get").add("patch").add("update");
          }
          case "binding" -> {
            r.put("kind", "Binding");
            verbs.add("create");
          }
          case "eviction" -> {
            r.put("group", "policy").put("version", "v1").put("kind", "Eviction");
            verbs.add("create");
          }
          case "log" -> {
            r.put("kind", "Pod");
            verbs.add("get");
          }
          case "exec" -> {
            r.put("kind", "PodExecOptions");
            verbs.add("create").add("get");
          }
          case "attach" -> {
            r.put("kind", "PodAttachOptions");
            verbs.add("create").add("get");
          }
          case "portforward" -> {
            r.put("kind", "PodPortForwardOptions");
            verbs.add("create").add("get");
          }
          case "proxy" -> {
            // PodProxyOptions, ServiceProxyOptions, NodeProxyOptions
            r.put("kind", t.kind() + "ProxyOptions");
            verbs.add("create").add("delete").add("get").add("patch").add("update");
          }
          case "finalize" -> {
            r.put("kind", t.kind());
            verbs.add("update");
          }
          default -> r.put("kind", t.kind());
        }
      }
    }
    return Optional.of(list);
  }
}
