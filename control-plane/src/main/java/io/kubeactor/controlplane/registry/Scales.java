package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.LabelSelector;

/**
 * The scale subresource of the kinds that have one (Deployments, ReplicaSets, StatefulSets): an
 * autoscaling/v1 Scale over spec.replicas, status.replicas and the selector, as the API server
 * answers /scale and as the autoscalers read and write it.
 */
public final class Scales {
  private Scales() {}

  /** True when the kind serves a /scale subresource. */
  public static boolean scalable(ResourceType type) {
    return type.subresources().contains("scale");
  }

  /** The Scale of an object (its stored JSON): spec.replicas, status.replicas and status.selector as a string. */
  public static ObjectNode scaleOf(ObjectNode obj) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (m.has(f)) meta.set(f, m.get(f));
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    ObjectNode status = s.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    JsonNode selector = obj.path("spec").path("selector");
    if (!selector.isMissingNode()) status.put("selector", LabelSelector.fromJson(selector).toString());
    return s;
  }
}
