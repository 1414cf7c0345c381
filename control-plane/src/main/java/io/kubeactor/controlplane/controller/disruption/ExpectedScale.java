package io.kubeactor.controlplane.controller.disruption;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.controller.OwnerReferences;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The disruption controller's getExpectedScale: how many pods a budget's pods' controllers want,
 * the sum of the replicas of each distinct controller (a ReplicaSet's Deployment, a ReplicaSet of
 * its own, a StatefulSet). Pods without a controller are reported as unmanaged; a pod whose
 * controller cannot be found or has no scale is an error.
 */
final class ExpectedScale {

  /** The expected count and the names of the pods no controller manages. */
  record Scale(int expectedCount, List<String> unmanaged) {}

  /** What makes the expected count impossible to know; its message is upstream's. */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  private final Informer<ReplicaSet> replicaSets;
  private final Informer<Deployment> deployments;
  private final Informer<StatefulSet> statefulSets;
  private final ResourceRegistry types;

  ExpectedScale(Informers informers) {
    this.replicaSets = informers.of(ReplicaSet.class);
    this.deployments = informers.of(Deployment.class);
    this.statefulSets = informers.of(StatefulSet.class);
    this.types = informers.types();
  }

  Scale of(List<Pod> pods) {
    Map<String, Integer> byController = new LinkedHashMap<>();
    List<String> unmanaged = new ArrayList<>();
    for (Pod pod : pods) {
      Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
      if (ref.isEmpty()) {
        unmanaged.add(pod.getMetadata().getName());
        continue;
      }
      if (byController.containsKey(ref.get().getUid())) continue;
      String ns = pod.getMetadata().getNamespace();
      Controller c = deployment(ref.get(), ns).or(() -> replicaSet(ref.get(), ns)).or(() -> statefulSet(ref.get(), ns))
          .orElseGet(() -> {
            checkScaleSubresource(ref.get());
            throw new NotFound("found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
          });
      byController.put(c.uid(), c.replicas());
    }
    return new Scale(byController.values().stream().mapToInt(Integer::intValue).sum(), unmanaged);
  }

  private record Controller(String uid, int replicas) {}

  private static boolean is(OwnerReference ref, String kind, String... groups) {
    if (!kind.equals(ref.getKind())) return false;
    String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return List.of(groups).contains(group);
  }

  /** getPodDeployment: the pod's ReplicaSet is controlled by a Deployment: its replicas. */
  private Optional<Controller> deployment(OwnerReference ref, String ns) {
    if (!is(ref, "ReplicaSet", "apps", "extensions")) return Optional.empty();
    ReplicaSet rs = replicaSets.get(ns, ref.getName());
    if (rs == null || !ref.getUid().equals(rs.getMetadata().getUid())) return Optional.empty();
    Optional<OwnerReference> owner = OwnerReferences.controllerOf(rs);
    if (owner.isEmpty() || !is(owner.get(), "Deployment", "apps", "extensions")) return Optional.empty();
    Deployment d = deployments.get(ns, owner.get().getName());
    if (d == null || !owner.get().getUid().equals(d.getMetadata().getUid())) return Optional.empty();
    return Optional.of(new Controller(d.getMetadata().getUid(), replicas(d.getSpec().getReplicas())));
  }

  /** getPodReplicaSet: a ReplicaSet no Deployment controls. */
  private Optional<Controller> replicaSet(OwnerReference ref, String ns) {
    if (!is(ref, "ReplicaSet", "apps", "extensions")) return Optional.empty();
    ReplicaSet rs = replicaSets.get(ns, ref.getName());
    if (rs == null || !ref.getUid().equals(rs.getMetadata().getUid())) return Optional.empty();
    Optional<OwnerReference> owner = OwnerReferences.controllerOf(rs);
    if (owner.isPresent() && "Deployment".equals(owner.get().getKind())) return Optional.empty();
    return Optional.of(new Controller(rs.getMetadata().getUid(), replicas(rs.getSpec().getReplicas())));
  }

  private Optional<Controller> statefulSet(OwnerReference ref, String ns) {
    if (!is(ref, "StatefulSet", "apps")) return Optional.empty();
    StatefulSet ss = statefulSets.get(ns, ref.getName());
    if (ss == null || !ref.getUid().equals(ss.getMetadata().getUid())) return Optional.empty();
    return Optional.of(new Controller(ss.getMetadata().getUid(), replicas(ss.getSpec().getReplicas())));
  }

  /** getScaleController's errors: a kind the API does not know, or one without a scale subresource. */
  private void checkScaleSubresource(OwnerReference ref) {
    Optional<ResourceType> t = types.byKind(ref.getApiVersion(), ref.getKind());
    if (t.isEmpty()) {
      throw new NotFound("no matches for kind \"" + ref.getKind() + "\" in version \"" + ref.getApiVersion() + "\"");
    }
    if (!t.get().hasSubresource("scale")) {
      throw new NotFound(t.get().qualifiedResource() + " does not implement the scale subresource");
    }
  }

  private static int replicas(Integer r) {
    return r == null ? 1 : r;
  }
}
