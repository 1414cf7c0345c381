package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.objects;
import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Quantities;
import io.kubeactor.controlplane.api.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods/resize subresource (Kubernetes 1.33's podResizeStrategy): an update that may change only
 * the containers' cpu and memory requests and limits (and their resizePolicy), checked as
 * ValidatePodResize does. The node's agent then applies the new values to the running containers.
 */
public final class PodResize {
  private PodResize() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> RESIZABLE = List.of("cpu", "memory");

  /**
   * dropNonResizeUpdates: the current pod with only each container's resources and resizePolicy
   * taken from the requested one (matched by name); everything else the request changed is dropped.
   */
  public static ObjectNode resized(ObjectNode current, ObjectNode requested) {
    ObjectNode out = current.deepCopy();
    Map<String, ObjectNode> asked = new HashMap<>();
    for (ObjectNode c : objects(requested.path("spec"), "containers")) asked.put(text(c, "name"), c);
    for (ObjectNode c : objects(out.path("spec"), "containers")) {
      ObjectNode wanted = asked.get(text(c, "name"));
      if (wanted == null) continue;
      for (String field : List.of("resources", "resizePolicy")) {
        if (wanted.has(field)) c.set(field, wanted.get(field).deepCopy());
        else c.remove(field);
      }
    }
    return out;
  }

  /** ValidatePodResize: the field errors of the resized pod against the stored one, empty if valid. */
  public static List<ApiException.Cause> fieldErrors(ObjectNode pod, ObjectNode old) {
    FieldErrors errors = new FieldErrors();
    if (old.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
      errors.forbidden(FieldPath.root(""), "static pods cannot be resized");
      return errors.causes();
    }
    if (text(old.path("spec").path("os"), "name").equals("windows")) {
      errors.forbidden(FieldPath.root(""), "windows pods cannot be resized");
      return errors.causes();
    }
    JsonNode spec = pod.path("spec");
    PodSpecValidation.podSpec(spec, SPEC, true, errors);
    String oldQos = text(old.path("status"), "qosClass");
    if (oldQos.isEmpty()) oldQos = PodDefaults.qosClass(old.path("spec"));
    if (!oldQos.equals(PodDefaults.qosClass(spec))) {
      errors.invalid(SPEC, text(pod.path("status"), "qosClass"), "Pod QOS Class may not change as a result of resizing");
    }
    List<ObjectNode> now = objects(spec, "containers");
    List<ObjectNode> before = objects(old.path("spec"), "containers");
    boolean otherChanged = false;
    for (int i = 0; i < before.size() && i < now.size(); i++) {
      FieldPath resources = SPEC.child("containers").index(i).child("resources");
      JsonNode newResources = now.get(i).path("resources");
      JsonNode oldResources = before.get(i).path("resources");
      if (removed(newResources.path("requests"), oldResources.path("requests"))) {
        errors.forbidden(resources.child("requests"), "resource requests cannot be removed");
      }
      if (removed(newResources.path("limits"), oldResources.path("limits"))) {
        errors.forbidden(resources.child("limits"), "resource limits cannot be removed");
      }
      for (String list : List.of("requests", "limits")) {
        // as upstream's dropCPUMemoryUpdates: a list the container did not have is not compared
        if (oldResources.path(list).isObject() && !otherResources(newResources.path(list)).equals(otherResources(oldResources.path(list)))) {
          otherChanged = true;
        }
      }
      if (!JsonDiff.same(newResources.path("claims"), oldResources.path("claims"))) otherChanged = true;
    }
    if (otherChanged) errors.forbidden(SPEC, "only cpu and memory resources are mutable");
    return errors.causes();
  }

  /** Whether a resource the old list had is gone from the new one. */
  private static boolean removed(JsonNode list, JsonNode oldList) {
    if (!oldList.isObject()) return false;
    var names = oldList.fieldNames();
    while (names.hasNext()) {
      if (!list.has(names.next())) return true;
    }
    return false;
  }

  /** The amounts of a resource list besides cpu and memory, by value ("1Gi" and "1024Mi" alike). */
  private static Map<String, Object> otherResources(JsonNode list) {
    Map<String, Object> out = new HashMap<>();
    list.fields().forEachRemaining(e -> {
      if (RESIZABLE.contains(e.getKey())) return;
      Optional<java.math.BigDecimal> amount = Quantities.value(e.getValue().asText());
      out.put(e.getKey(), amount.<Object>map(java.math.BigDecimal::stripTrailingZeros).orElse(e.getValue().asText()));
    });
    return out;
  }
}
