package io.kubeactor.controlplane.apiserver;

import io.kubeactor.controlplane.api.ResourceType;
import java.util.Comparator;
import java.util.List;

/**
 * One resource of a group/version as discovery describes it, with its subresources: what both the
 * legacy APIResourceList and the aggregated APIGroupDiscoveryList are written from.
 *
 * @param storageVersionHash null for a resource that is never stored (reviews, metrics)
 * @param subresources sorted by name, as kube-apiserver registers its routes in sorted order
 */
record ApiResource(String group, String version, String resource, String singular, String kind, boolean namespaced,
    List<String> verbs, List<String> shortNames, List<String> categories, String storageVersionHash,
    List<Subresource> subresources) {

  /**
   * A subresource and the kind it answers with; {@code group} and {@code version} are empty when
   * that kind is of the resource's own group/version, as upstream's APIResource leaves them.
   */
  record Subresource(String name, String group, String version, String kind, List<String> verbs) {}

  private static final List<String> READ_WRITE = List.of("get", "patch", "update");
  private static final List<String> CREATE = List.of("create");
  private static final List<String> CONNECT = List.of("create", "get");

  /** A kind that is neither stored nor has subresources, with the verbs it is served with. */
  static ApiResource unstored(String group, String version, String resource, String singular, String kind,
      boolean namespaced, List<String> verbs) {
    return new ApiResource(group, version, resource, singular, kind, namespaced, verbs, List.of(), List.of(), null,
        List.of());
  }

  /** A stored kind, with the verbs and kinds kube-apiserver v1.32 lists for its subresources. */
  static ApiResource of(ResourceType t) {
    List<Subresource> subresources = t.subresources().stream()
        .map(sub -> switch (sub) {
          case "status", "resize", "ephemeralcontainers", "approval" -> new Subresource(sub, "", "", t.kind(), READ_WRITE);
          case "scale" -> new Subresource(sub, "autoscaling", "v1", "Scale", READ_WRITE);
          case "binding" -> new Subresource(sub, "", "", "Binding", CREATE);
          case "eviction" -> new Subresource(sub, "policy", "v1", "Eviction", CREATE);
          case "token" -> new Subresource(sub, "authentication.k8s.io", "v1", "TokenRequest", CREATE);
          case "log" -> new Subresource(sub, "", "", "Pod", List.of("get"));
          case "exec" -> new Subresource(sub, "", "", "PodExecOptions", CONNECT);
          case "attach" -> new Subresource(sub, "", "", "PodAttachOptions", CONNECT);
          case "portforward" -> new Subresource(sub, "", "", "PodPortForwardOptions", CONNECT);
          // PodProxyOptions, ServiceProxyOptions, NodeProxyOptions
          case "proxy" -> new Subresource(sub, "", "", t.kind() + "ProxyOptions",
              List.of("create", "delete", "get", "patch", "update"));
          case "finalize" -> new Subresource(sub, "", "", t.kind(), List.of("update"));
          default -> throw new IllegalArgumentException("discovery has no entry for " + t.plural() + "/" + sub);
        })
        .sorted(Comparator.comparing(Subresource::name))
        .toList();
    return new ApiResource(t.group(), t.version(), t.plural(), t.singular(), t.kind(), t.namespaced(), t.verbs(),
        t.shortNames(), t.categories(), Integer.toHexString(t.qualifiedResource().hashCode()), subresources);
  }

  String groupVersion() {
    return groupVersion(group, version);
  }

  /** "apps/v1", or "v1" for the core group. */
  static String groupVersion(String group, String version) {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
