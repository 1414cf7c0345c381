package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import io.kubeactor.controlplane.api.selector.LabelSelector;

/**
 * The scale subresource of the kinds that have one (Deployments, ReplicaSets, StatefulSets, and
 * custom resources whose CRD says so): an autoscaling/v1 Scale over spec.replicas, status.replicas
 * and the selector, as the API server answers /scale and as the autoscalers read and write it.
 */
public final class Scales {
  private Scales() {}

  /** True when the kind serves a /scale subresource. */
  public static boolean scalable(ResourceType type) {
    return type.subresources().contains("scale");
  }

  /**
   * The Scale of an object (its stored JSON): spec.replicas, status.replicas and the selector as a
   * string; for a custom resource, what its CRD's scale subresource paths point at.
   */
  public static ObjectNode scaleOf(ResourceType type, ObjectNode obj) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (m.has(f)) meta.set(f, m.get(f));
    }
    ObjectNode status = s.putObject("status");
    CustomResource.ScaleSubresource paths = type.isCustom() ? type.custom().scale() : null;
    if (paths != null) {
      s.putObject("spec").put("replicas", at(obj, paths.specReplicasPath()).asInt(0));
      status.put("replicas", at(obj, paths.statusReplicasPath()).asInt(0));
      JsonNode selector = paths.labelSelectorPath().isEmpty() ? null : at(obj, paths.labelSelectorPath());
      if (selector != null && selector.isTextual()) status.put("selector", selector.textValue());
      return s;
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    JsonNode selector = obj.path("spec").path("selector");
    // a ReplicationController's selector is a map of labels, not a LabelSelector
    if (!selector.isMissingNode()) {
      LabelSelector parsed = type.kind().equals("ReplicationController")
          ? LabelSelector.fromMap(Json.MAPPER.convertValue(selector, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() {}))
          : LabelSelector.fromJson(selector);
      status.put("selector", parsed.toString());
    }
    return s;
  }

  /** Sets the replicas a Scale asks for on the object: spec.replicas, or a custom resource's specReplicasPath. */
  public static void setReplicas(ResourceType type, ObjectNode obj, int replicas) {
    String path = type.isCustom() && type.custom().scale() != null ? type.custom().scale().specReplicasPath() : ".spec.replicas";
    String[] fields = path.substring(1).split("\\.");
    ObjectNode parent = obj;
    for (int i = 0; i < fields.length - 1; i++) parent = parent.withObjectProperty(fields[i]);
    parent.put(fields[fields.length - 1], replicas);
  }

  /** The value at a simple JSON path (".status.replicas"), missing when absent. */
  private static JsonNode at(JsonNode obj, String path) {
    JsonNode n = obj;
    for (String f : path.substring(1).split("\\.")) n = n.path(f);
    return n;
  }
}
