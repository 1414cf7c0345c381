package io.kubeactor.controlplane.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds the API serves: the built-in ones, with the verbs, short names, categories and
 * subresources Kubernetes gives them (kubectl api-resources on a v1.32 cluster is the reference),
 * and the custom resources of the CustomResourceDefinitions established so far.
 */
public final class ResourceRegistry {

  private static final List<String> ALL = List.of("all");

  /** The built-in kinds, fixed once builtIn() returns. */
  private final List<ResourceType> builtIn = new ArrayList<>();
  /**
   * What is served now: the built-in kinds, then the custom resources of the established
   * CustomResourceDefinitions. Replaced whole, so a reader sees one consistent set.
   */
  private volatile Served served = new Served(List.of(), Map.of(), 0);

  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Served(List<ResourceType> types, Map<String, ResourceType> byPath, long generation) {}

  public static ResourceRegistry builtIn() {
    ResourceRegistry r = new ResourceRegistry();
    // core/v1
    r.add("", "v1", "Namespace", "namespaces", false, List.of("ns"), List.of(), List.of("status", "finalize"), Namespace.class);
    r.add("", "v1", "Pod", "pods", true, List.of("po"), ALL, List.of("status", "resize", "ephemeralcontainers", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy"), Pod.class);
    r.add("", "v1", "Node", "nodes", false, List.of("no"), List.of(), List.of("status", "proxy"), Node.class);
    r.add("", "v1", "Service", "services", true, List.of("svc"), ALL, List.of("status", "proxy"), Service.class);
    r.add("", "v1", "Endpoints", "endpoints", true, List.of("ep"), List.of(), List.of(), Endpoints.class);
    r.add("", "v1", "Event", "events", true, List.of("ev"), List.of(), List.of(), Event.class);
    r.add("", "v1", "ConfigMap", "configmaps", true, List.of("cm"), List.of(), List.of(), ConfigMap.class);
    r.add("", "v1", "Secret", "secrets", true, List.of(), List.of(), List.of(), Secret.class);
    r.add("", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), List.of("token"), ServiceAccount.class);
    r.add("", "v1", "PersistentVolume", "persistentvolumes", false, List.of("pv"), List.of(), List.of("status"), PersistentVolume.class);
    r.add("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), List.of(), List.of("status"), PersistentVolumeClaim.class);
    r.add("", "v1", "ReplicationController", "replicationcontrollers", true, List.of("rc"), ALL, List.of("status", "scale"),
        ReplicationController.class);
    // apps/v1
    r.add("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), ALL, List.of("status", "scale"), Deployment.class);
    r.add("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), ALL, List.of("status", "scale"), ReplicaSet.class);
    r.add("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), ALL, List.of("status"), DaemonSet.class);
    r.add("apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), ALL, List.of("status", "scale"), StatefulSet.class);
    r.add("apps", "v1", "ControllerRevision", "controllerrevisions", true, List.of(), List.of(), List.of(), ControllerRevision.class);
    // autoscaling
    r.add("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"), ALL, List.of("status"),
        io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class);
    r.add("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"), ALL, List.of("status"),
        io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class);
    // batch/v1
    r.add("batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), ALL, List.of("status"), CronJob.class);
    r.add("batch", "v1", "Job", "jobs", true, List.of(), ALL, List.of("status"), Job.class);
    // autoscaling.k8s.io/v1: the VerticalPodAutoscaler, a custom resource upstream, served here as a built-in kind
    r.add("autoscaling.k8s.io", "v1", "VerticalPodAutoscaler", "verticalpodautoscalers", true, List.of("vpa"), List.of(), List.of("status"),
        io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler.class);
    r.add("autoscaling.k8s.io", "v1", "VerticalPodAutoscalerCheckpoint", "verticalpodautoscalercheckpoints", true,
        List.of("vpacheckpoint"), List.of(), List.of(), io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscalerCheckpoint.class);
    // policy/v1
    r.add("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), List.of(), List.of("status"), PodDisruptionBudget.class);
    // networking.k8s.io/v1
    r.add("networking.k8s.io", "v1", "Ingress", "ingresses", true, List.of("ing"), List.of(), List.of("status"), Ingress.class);
    r.add("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, List.of(), List.of(), List.of(), IngressClass.class);
    // events.k8s.io/v1: the core Events under the names of the newer API (EventVersions)
    r.add("events.k8s.io", "v1", "Event", "events", true, List.of("ev"), List.of(), List.of(),
        io.fabric8.kubernetes.api.model.events.v1.Event.class);
    // discovery.k8s.io/v1
    r.add("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), List.of(), List.of(), EndpointSlice.class);
    // coordination.k8s.io/v1
    r.add("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), List.of(), List.of(), Lease.class);
    // rbac.authorization.k8s.io/v1
    r.add("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, List.of(), List.of(), List.of(), ClusterRoleBinding.class);
    r.add("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, List.of(), List.of(), List.of(), ClusterRole.class);
    r.add("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, List.of(), List.of(), List.of(), RoleBinding.class);
    r.add("rbac.authorization.k8s.io", "v1", "Role", "roles", true, List.of(), List.of(), List.of(), Role.class);
    // certificates.k8s.io/v1
    r.add("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", false, List.of("csr"), List.of(),
        List.of("status", "approval"), CertificateSigningRequest.class);
    // storage.k8s.io/v1
    r.add("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, List.of("sc"), List.of(), List.of(), StorageClass.class);
    // apiextensions.k8s.io/v1
    r.add("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, List.of("crd", "crds"),
        List.of("api-extensions"), List.of("status"), CustomResourceDefinition.class);
    r.replaceCustomTypes(List.of());
    return r;
  }

  private void add(String group, String version, String kind, String plural, boolean namespaced,
      List<String> shortNames, List<String> categories, List<String> subresources, Class<?> model) {
    builtIn.add(new ResourceType(group, version, kind, plural, kind.toLowerCase(), namespaced,
        shortNames, categories, ResourceType.ALL_VERBS, subresources, model));
  }

  /**
   * Serves these custom resources from now on, in place of those served so far (the
   * CustomResourceDefinitions' types, each CRD's storage version first). One whose path a built-in
   * kind already serves is left out: the built-in kind answers there.
   */
  public synchronized void replaceCustomTypes(List<ResourceType> custom) {
    List<ResourceType> types = new ArrayList<>(builtIn);
    Map<String, ResourceType> byPath = new LinkedHashMap<>();
    for (ResourceType t : builtIn) byPath.put(t.basePath() + "/" + t.plural(), t);
    for (ResourceType t : custom) {
      if (byPath.putIfAbsent(t.basePath() + "/" + t.plural(), t) == null) types.add(t);
    }
    served = new Served(Collections.unmodifiableList(types), Collections.unmodifiableMap(byPath), served.generation() + 1);
    listeners.forEach(Runnable::run);
  }

  /**
   * Calls {@code listener} after each change of the served types (a CRD's kind served or gone), on
   * the thread that made the change.
   */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Changes whenever the served types do: what caches of documents made from them are keyed on. */
  public long generation() {
    return served.generation();
  }

  public List<ResourceType> all() {
    return served.types();
  }

  /** The type served at "/apis/apps/v1" + "deployments". */
  public Optional<ResourceType> find(String basePath, String plural) {
    return Optional.ofNullable(served.byPath().get(basePath + "/" + plural));
  }

  /** The type for an apiVersion and kind, as written in a manifest. */
  public Optional<ResourceType> byKind(String apiVersion, String kind) {
    return all().stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
  }

  /**
   * The preferred (first registered) version of the types stored under the same keys (a group's
   * versions; core/v1 for events.k8s.io's Events): the shape objects are stored in.
   */
  public ResourceType storageType(ResourceType t) {
    return all().stream().filter(o -> o.storedGroup().equals(t.storedGroup()) && o.plural().equals(t.plural()))
        .findFirst().orElse(t);
  }

  /** Group/versions in the order discovery lists them; the first version of a group is preferred. */
  public Map<String, List<String>> groupVersions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ResourceType t : all()) {
      List<String> vs = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
      if (!vs.contains(t.version())) vs.add(t.version());
    }
    return out;
  }
}
