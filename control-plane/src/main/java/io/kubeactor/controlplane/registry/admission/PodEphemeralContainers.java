package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.objects;
import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods/ephemeralcontainers subresource (upstream's podEphemeralContainersStrategy): an update
 * that may only add ephemeral containers to a pod, checked as ValidatePodEphemeralContainersUpdate
 * does. A separate subresource so that cluster administrators authorize it apart from pod updates.
 */
public final class PodEphemeralContainers {
  private PodEphemeralContainers() {}

  private static final FieldPath EPHEMERAL_CONTAINERS = FieldPath.root("spec").child("ephemeralContainers");

  /** dropNonEphemeralContainerUpdates: the current pod with only spec.ephemeralContainers taken from the request. */
  public static ObjectNode updated(ObjectNode current, ObjectNode requested) {
    ObjectNode out = current.deepCopy();
    JsonNode asked = requested.path("spec").get("ephemeralContainers");
    ObjectNode spec = out.withObjectProperty("spec");
    if (Nodes.absent(asked)) spec.remove("ephemeralContainers");
    else spec.set("ephemeralContainers", asked.deepCopy());
    return out;
  }

  /**
   * ValidatePodEphemeralContainersUpdate: the pod as a whole (its new ephemeral containers with
   * it), then that each ephemeral container the pod had is still there as it was. Order is not
   * compared: a patch need not keep it.
   */
  public static List<ApiException.Cause> fieldErrors(ObjectNode pod, ObjectNode old) {
    FieldErrors errors = new FieldErrors();
    MetadataValidation.update(pod.path("metadata"), old.path("metadata"), errors);
    PodSpecValidation.podSpec(pod.path("spec"), FieldPath.root("spec"), true, errors);
    if (old.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
      FieldErrors only = new FieldErrors();
      only.forbidden(FieldPath.root(""), "static pods do not support ephemeral containers");
      return only.causes();
    }
    Map<String, ObjectNode> now = new HashMap<>();
    for (ObjectNode c : objects(pod.path("spec"), "ephemeralContainers")) now.put(text(c, "name"), c);
    for (ObjectNode before : objects(old.path("spec"), "ephemeralContainers")) {
      String name = text(before, "name");
      ObjectNode after = now.get(name);
      if (after == null) {
        errors.forbidden(EPHEMERAL_CONTAINERS, "existing ephemeral containers " + GoValue.quote(name) + " may not be removed\n");
      } else if (!JsonDiff.same(before, after)) {
        errors.forbidden(EPHEMERAL_CONTAINERS, "existing ephemeral containers " + GoValue.quote(name)
            + " may not be changed\n" + JsonDiff.describe(before, after));
      }
    }
    return errors.causes();
  }
}
