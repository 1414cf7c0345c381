package io.kubeactor.controlplane.api;

import io.kubeactor.controlplane.api.apiextensions.CustomResource;
import java.util.List;

/**
 * One kind of object the API serves: where it lives in the REST tree and how discovery describes
 * it. {@code model} is the fabric8 class for the kind, used for schemas and typed logic (for a
 * custom resource, GenericKubernetesResource); the store itself keeps plain JSON trees. {@code
 * custom} is what a CustomResourceDefinition says of a custom resource, null for the built-in kinds.
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    List<String> subresources,
    Class<?> model,
    CustomResource custom) {

  /** A built-in kind. */
  public ResourceType(String group, String version, String kind, String plural, String singular, boolean namespaced,
      List<String> shortNames, List<String> categories, List<String> verbs, List<String> subresources, Class<?> model) {
    this(group, version, kind, plural, singular, namespaced, shortNames, categories, verbs, subresources, model, null);
  }

  public boolean isCustom() {
    return custom != null;
  }

  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** "apps/v1", or "v1" for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "deployments.apps", or "pods" for the core group: the name used in error messages. */
  public String qualifiedResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** "Deployment.apps", or "Pod" for the core group: the name used in Invalid errors. */
  public String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  /** The URL prefix of this group/version: "/api/v1" or "/apis/apps/v1". */
  public String basePath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }

  /** The group whose keys hold this type's objects: its own, but events.k8s.io's Events are core's, as in Kubernetes. */
  public String storedGroup() {
    return group.equals("events.k8s.io") && plural.equals("events") ? "" : group;
  }

  /** Key prefix in the store for every object of this type: "apps/deployments/" (shared by a group's versions). */
  public String storePrefix() {
    String stored = storedGroup();
    return (stored.isEmpty() ? "core" : stored) + "/" + plural + "/";
  }

  /** The store key of one object: "apps/deployments/default/web" or "core/nodes/node-1". */
  public String storeKey(String namespace, String name) {
    return storePrefix() + (namespaced ? namespace + "/" : "") + name;
  }
}
