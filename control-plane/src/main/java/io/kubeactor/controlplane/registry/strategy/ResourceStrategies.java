package io.kubeactor.controlplane.registry.strategy;

import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.customresource.CustomResourceStrategy;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which strategy each kind has: a map from qualified kind ("Deployment.apps", "Pod") to its
 * strategy, the default strategy for kinds without rules. A registry resolves each of its types
 * once, so a request finds its type's strategy without building a name.
 */
public final class ResourceStrategies {

  private static final Map<String, ResourceStrategy> BY_KIND = Map.ofEntries(
      Map.entry("Namespace", NamespaceStrategy.INSTANCE),
      Map.entry("Pod", PodStrategy.INSTANCE),
      Map.entry("Node", NodeStrategy.INSTANCE),
      Map.entry("Service", ServiceStrategy.INSTANCE),
      Map.entry("Endpoints", EndpointsStrategy.INSTANCE),
      Map.entry("ConfigMap", ConfigMapStrategy.INSTANCE),
      Map.entry("Event", EventStrategy.INSTANCE),
      Map.entry("Secret", SecretStrategy.INSTANCE),
      Map.entry("PersistentVolume", PersistentVolumeStrategy.INSTANCE),
      Map.entry("PersistentVolumeClaim", PersistentVolumeClaimStrategy.INSTANCE),
      Map.entry("ReplicationController", ReplicationControllerStrategy.INSTANCE),
      Map.entry("Deployment.apps", DeploymentStrategy.INSTANCE),
      Map.entry("ReplicaSet.apps", ReplicaSetStrategy.INSTANCE),
      Map.entry("DaemonSet.apps", DaemonSetStrategy.INSTANCE),
      Map.entry("StatefulSet.apps", StatefulSetStrategy.INSTANCE),
      Map.entry("ControllerRevision.apps", ControllerRevisionStrategy.INSTANCE),
      Map.entry("HorizontalPodAutoscaler.autoscaling", HorizontalPodAutoscalerStrategy.INSTANCE),
      Map.entry("Job.batch", JobStrategy.INSTANCE),
      Map.entry("CronJob.batch", CronJobStrategy.INSTANCE),
      Map.entry("PodDisruptionBudget.policy", PodDisruptionBudgetStrategy.INSTANCE),
      Map.entry("VerticalPodAutoscaler.autoscaling.k8s.io", VerticalPodAutoscalerStrategy.INSTANCE),
      Map.entry("Ingress.networking.k8s.io", IngressStrategy.INSTANCE),
      Map.entry("IngressClass.networking.k8s.io", IngressClassStrategy.INSTANCE),
      Map.entry("EndpointSlice.discovery.k8s.io", EndpointSliceStrategy.INSTANCE),
      Map.entry("Lease.coordination.k8s.io", LeaseStrategy.INSTANCE),
      Map.entry("StorageClass.storage.k8s.io", StorageClassStrategy.INSTANCE),
      Map.entry("CustomResourceDefinition.apiextensions.k8s.io", CustomResourceDefinitionStrategy.INSTANCE),
      Map.entry("CertificateSigningRequest.certificates.k8s.io", CertificateSigningRequestStrategy.INSTANCE),
      Map.entry("Role.rbac.authorization.k8s.io", RbacStrategy.ROLE),
      Map.entry("ClusterRole.rbac.authorization.k8s.io", RbacStrategy.CLUSTER_ROLE),
      Map.entry("RoleBinding.rbac.authorization.k8s.io", RbacStrategy.ROLE_BINDING),
      Map.entry("ClusterRoleBinding.rbac.authorization.k8s.io", RbacStrategy.CLUSTER_ROLE_BINDING));

  private final Map<ResourceType, ResourceStrategy> byType = new IdentityHashMap<>();

  /** The strategy of each of the registry's types, resolved now. */
  public ResourceStrategies(ResourceRegistry types) {
    for (ResourceType type : types.all()) byType.put(type, of(type));
  }

  /** The strategy of a type: resolved already if it is one of the registry's, else by its kind. */
  public ResourceStrategy get(ResourceType type) {
    ResourceStrategy strategy = byType.get(type);
    return strategy != null ? strategy : of(type);
  }

  /** The strategy of a type's kind, whatever its version. */
  public static ResourceStrategy of(ResourceType type) {
    if (type.isCustom()) return new CustomResourceStrategy(type.custom());
    return BY_KIND.getOrDefault(type.qualifiedKind(), DefaultStrategy.INSTANCE);
  }

  /** The qualified kinds that have rules of their own. */
  static Map<String, ResourceStrategy> kindsWithRules() {
    return BY_KIND;
  }
}
