package io.kubeactor.controlplane.registry.patch;

import com.fasterxml.jackson.databind.JavaType;
import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.storage.CSINodeSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The list fields that a strategic merge patch merges instead of replacing: those tagged
 * {@code patchStrategy:"merge"} in Kubernetes' Go API types (core/v1, apps/v1, batch/v1,
 * autoscaling/v2, policy/v1, storage/v1 and meta/v1 ObjectMeta), keyed by the fabric8 class that
 * owns the field. Every other list is replaced whole, every object merged key by key.
 *
 * <p>Kubernetes also tags some fields {@code retainKeys} (PodSpec.volumes, DeploymentSpec.strategy,
 * ...). That tag only tells clients to send a {@code $retainKeys} directive; the server acts on the
 * directive alone, so it is not recorded here.
 */
public final class PatchStrategies {
  private PatchStrategies() {}

  /** A list merged element by element: matched on {@code key}, or as a set of scalars when the key is empty. */
  record ListMerge(String key) {
    boolean ofScalars() {
      return key.isEmpty();
    }
  }

  private static final ListMerge BY_NAME = new ListMerge("name");
  private static final ListMerge BY_TYPE = new ListMerge("type");
  private static final ListMerge BY_IP = new ListMerge("ip");
  private static final ListMerge AS_SET = new ListMerge("");

  private static final Map<String, ListMerge> CONTAINER_LISTS = Map.of(
      "ports", new ListMerge("containerPort"),
      "env", BY_NAME,
      "volumeMounts", new ListMerge("mountPath"),
      "volumeDevices", new ListMerge("devicePath"));

  private static final Map<String, ListMerge> CONDITIONS = Map.of("conditions", BY_TYPE);

  private static final Map<Class<?>, Map<String, ListMerge>> MERGED_LISTS = Map.ofEntries(
      Map.entry(ObjectMeta.class, Map.of(
          "finalizers", AS_SET,
          "ownerReferences", new ListMerge("uid"))),
      Map.entry(PodSpec.class, Map.of(
          "volumes", BY_NAME,
          "initContainers", BY_NAME,
          "containers", BY_NAME,
          "ephemeralContainers", BY_NAME,
          "imagePullSecrets", BY_NAME,
          "hostAliases", BY_IP,
          "topologySpreadConstraints", new ListMerge("topologyKey"),
          "schedulingGates", BY_NAME,
          "resourceClaims", BY_NAME)),
      Map.entry(Container.class, CONTAINER_LISTS),
      Map.entry(EphemeralContainer.class, CONTAINER_LISTS),
      Map.entry(PodStatus.class, Map.of(
          "conditions", BY_TYPE,
          "hostIPs", BY_IP,
          "podIPs", BY_IP,
          "resourceClaimStatuses", BY_NAME)),
      Map.entry(ServiceSpec.class, Map.of("ports", new ListMerge("port"))),
      Map.entry(ServiceAccount.class, Map.of("secrets", BY_NAME)),
      Map.entry(NodeSpec.class, Map.of("podCIDRs", AS_SET)),
      Map.entry(NodeStatus.class, Map.of("conditions", BY_TYPE, "addresses", BY_TYPE)),
      Map.entry(CSINodeSpec.class, Map.of("drivers", BY_NAME)),
      Map.entry(ServiceStatus.class, CONDITIONS),
      Map.entry(PersistentVolumeClaimStatus.class, CONDITIONS),
      Map.entry(ReplicationControllerStatus.class, CONDITIONS),
      Map.entry(NamespaceStatus.class, CONDITIONS),
      Map.entry(ComponentStatus.class, CONDITIONS),
      Map.entry(DeploymentStatus.class, CONDITIONS),
      Map.entry(ReplicaSetStatus.class, CONDITIONS),
      Map.entry(DaemonSetStatus.class, CONDITIONS),
      Map.entry(StatefulSetStatus.class, CONDITIONS),
      Map.entry(JobStatus.class, CONDITIONS),
      Map.entry(HorizontalPodAutoscalerStatus.class, CONDITIONS),
      Map.entry(PodDisruptionBudgetStatus.class, CONDITIONS));

  /** How the list {@code field} of an object of type {@code owner} merges; empty when it is replaced. */
  static Optional<ListMerge> listMerge(JavaType owner, String field) {
    if (owner == null) return Optional.empty();
    return Optional.ofNullable(MERGED_LISTS.getOrDefault(owner.getRawClass(), Map.of()).get(field));
  }

  /**
   * The merge key of a merged list field for server-side apply: empty for a set of scalars, absent
   * for a list that is replaced whole.
   */
  public static Optional<String> mergeKey(JavaType owner, String field) {
    return listMerge(owner, field).map(ListMerge::key);
  }
}
