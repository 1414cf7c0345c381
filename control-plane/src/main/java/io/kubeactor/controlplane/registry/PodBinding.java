package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/** pods/binding: a pod assigned to a node, once; the scheduler's write, through the API or in process. */
public final class PodBinding {
  private PodBinding() {}

  public static CompletionStage<ObjectNode> bind(Registry registry, ResourceType pods, String namespace, String name,
      String node, Clock clock) {
    return registry.guaranteedSubresourceUpdate(pods, namespace, name, pod -> {
      String assigned = pod.path("spec").path("nodeName").asText("");
      if (!assigned.isEmpty()) {
        throw ApiException.conflict("", "pods", name, "pod " + name + " is already assigned to node \"" + assigned + "\"");
      }
      if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
        throw ApiException.conflict("", "pods", name, "pod " + name + " is being deleted, cannot be assigned to a host");
      }
      pod.withObjectProperty("spec").put("nodeName", node);
      setScheduled(pod, "True", null, null, clock);
      return pod;
    });
  }

  /** Sets the pod's PodScheduled condition (keeping its transition time while its status holds). */
  public static void setScheduled(ObjectNode pod, String status, String reason, String message, Clock clock) {
    ArrayNode conditions = pod.withObjectProperty("status").withArrayProperty("conditions");
    String transition = Registry.timestamp(clock.instant());
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
        if (conditions.get(i).path("status").asText().equals(status)) {
          transition = conditions.get(i).path("lastTransitionTime").asText(transition);
        }
        conditions.remove(i);
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", "PodScheduled").put("status", status).putNull("lastProbeTime").put("lastTransitionTime", transition);
    if (reason != null) c.put("reason", reason);
    if (message != null) c.put("message", message);
  }
}
