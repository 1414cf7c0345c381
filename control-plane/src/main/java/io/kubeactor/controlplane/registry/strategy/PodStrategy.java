package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.GeneratedNames;
import io.kubeactor.controlplane.registry.admission.PodDefaults;
import io.kubeactor.controlplane.registry.admission.PodEphemeralContainers;
import io.kubeactor.controlplane.registry.admission.PodResize;
import io.kubeactor.controlplane.registry.admission.PodSpecValidation;
import io.kubeactor.controlplane.registry.admission.ServiceAccountAdmission;
import io.kubeactor.controlplane.registry.admission.VerticalPodAutoscalerAdmission;
import java.time.Instant;
import java.util.List;

/** Pods (pkg/registry/core/pod/strategy.go and the ServiceAccount admission plugin). */
enum PodStrategy implements ResourceStrategy {
  INSTANCE;

  private static final String RESIZE = "resize";
  private static final String EPHEMERAL_CONTAINERS = "ephemeralcontainers";

  @Override
  public void prepareForCreate(ResourceType type, ObjectNode pod) {
    pod.remove("status");
    pod.withObjectProperty("status").put("phase", "Pending");
  }

  @Override
  public void applyDefaults(ResourceType type, ObjectNode pod, AdmissionSettings settings) {
    PodDefaults.pod(pod, settings);
  }

  /**
   * The ServiceAccount admission plugin ({@link ServiceAccountAdmission}), then the VPA admission
   * controller's: requests from a VerticalPodAutoscaler's recommendation (a map lookup when its
   * namespace has none).
   */
  @Override
  public void admit(ObjectNode pod, AdmissionReads cluster, AdmissionSettings settings) {
    String namespace = pod.path("metadata").path("namespace").asText();
    ServiceAccountAdmission.admit(pod, name -> cluster.serviceAccount(namespace, name), settings.serviceAccountTokens(),
        GeneratedNames::suffix);
    if (cluster.hasVerticalPodAutoscalers(namespace)) {
      VerticalPodAutoscalerAdmission.admit(pod, cluster.verticalPodAutoscalers(namespace), cluster::vpaTarget);
    }
  }

  @Override
  public void validate(ObjectNode pod, FieldErrors errors) {
    PodSpecValidation.podCreate(pod, errors);
  }

  @Override
  public void validateUpdate(ObjectNode pod, ObjectNode old, FieldErrors errors) {
    PodSpecValidation.podUpdate(pod, old, errors);
  }

  /**
   * pods/resize and pods/ephemeralcontainers: upstream's podResizeStrategy and
   * podEphemeralContainersStrategy, each changing one part of the spec under rules of its own.
   */
  @Override
  public boolean hasUpdatableSubresource(String subresource) {
    return RESIZE.equals(subresource) || EPHEMERAL_CONTAINERS.equals(subresource);
  }

  @Override
  public ObjectNode prepareSubresourceUpdate(String subresource, ObjectNode current, ObjectNode requested, Instant now) {
    return switch (subresource) {
      case RESIZE -> PodResize.resized(current, requested);
      case EPHEMERAL_CONTAINERS -> PodEphemeralContainers.updated(current, requested);
      default -> null;
    };
  }

  /** A new ephemeral container gets the container defaults, as the decoding of the request gives it upstream. */
  @Override
  public boolean defaultsStatusUpdates(String subresource) {
    return EPHEMERAL_CONTAINERS.equals(subresource);
  }

  @Override
  public List<ApiException.Cause> statusFieldErrors(String subresource, ObjectNode pod, ObjectNode old) {
    return switch (subresource) {
      case RESIZE -> PodResize.fieldErrors(pod, old);
      case EPHEMERAL_CONTAINERS -> PodEphemeralContainers.fieldErrors(pod, old);
      default -> statusFieldErrors(pod, old);
    };
  }

  /**
   * Only a pod that a kubelet runs gets a grace period (its kubelet finishes the deletion): the
   * client's, else the pod's terminationGracePeriodSeconds.
   */
  @Override
  public long gracePeriodSeconds(ObjectNode pod, Long requested) {
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) return 0;
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) return 0;
    if (requested != null) return Math.max(0, requested);
    return pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
  }
}
