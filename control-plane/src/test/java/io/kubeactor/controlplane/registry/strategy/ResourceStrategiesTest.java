package io.kubeactor.controlplane.registry.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every served kind has a strategy, and each kind with rules its own: a kind added to the table, or
 * a strategy's key misspelt, cannot silently fall back to the default strategy's (no rules).
 */
class ResourceStrategiesTest {

  private static final ResourceRegistry TYPES = ResourceRegistry.builtIn();

  /** Each built-in kind and its strategy; a new kind is added here, with its strategy or the default. */
  private static final Map<String, ResourceStrategy> EXPECTED = Map.ofEntries(
      Map.entry("Namespace", NamespaceStrategy.INSTANCE),
      Map.entry("Pod", PodStrategy.INSTANCE),
      Map.entry("Node", NodeStrategy.INSTANCE),
      Map.entry("Service", ServiceStrategy.INSTANCE),
      Map.entry("Endpoints", EndpointsStrategy.INSTANCE),
      Map.entry("Event", EventStrategy.INSTANCE),
      Map.entry("Event.events.k8s.io", DefaultStrategy.INSTANCE),
      Map.entry("ConfigMap", ConfigMapStrategy.INSTANCE),
      Map.entry("Secret", SecretStrategy.INSTANCE),
      Map.entry("ServiceAccount", DefaultStrategy.INSTANCE),
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
      Map.entry("VerticalPodAutoscalerCheckpoint.autoscaling.k8s.io", DefaultStrategy.INSTANCE),
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

  @Test
  void everyServedKindIsListedHereWithTheStrategyItMustHave() {
    Set<String> served = new TreeSet<>();
    for (ResourceType type : TYPES.all()) served.add(type.qualifiedKind());
    assertThat(served).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  @Test
  void everyTypeOfEveryVersionResolvesToItsKindsStrategy() {
    ResourceStrategies strategies = new ResourceStrategies(TYPES);
    for (ResourceType type : TYPES.all()) {
      ResourceStrategy expected = EXPECTED.get(type.qualifiedKind());
      assertThat(strategies.get(type)).as(type.apiVersion() + " " + type.kind()).isSameAs(expected);
      assertThat(ResourceStrategies.of(type)).as(type.apiVersion() + " " + type.kind()).isSameAs(expected);
    }
  }

  @Test
  void everyStrategyIsKeyedByAServedKind() {
    Set<String> served = new TreeSet<>();
    for (ResourceType type : TYPES.all()) served.add(type.qualifiedKind());
    assertThat(served).containsAll(ResourceStrategies.kindsWithRules().keySet());
    assertThat(ResourceStrategies.kindsWithRules().values()).doesNotContain(DefaultStrategy.INSTANCE);
  }

  @Test
  void aTypeFromAnotherTableResolvesByItsKind() {
    ResourceStrategies strategies = new ResourceStrategies(TYPES);
    ResourceType pods = ResourceRegistry.builtIn().find("/api/v1", "pods").orElseThrow();
    assertThat(strategies.get(pods)).isSameAs(PodStrategy.INSTANCE);
  }
}
