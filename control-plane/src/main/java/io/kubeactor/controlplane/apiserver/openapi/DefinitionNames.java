package io.kubeactor.controlplane.apiserver.openapi;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name Kubernetes gives the OpenAPI definition of a fabric8 model class: fabric8 puts the core
 * and the meta types in one package and leaves the version out of some packages, so the names are
 * mapped back to Kubernetes' Go packages ("io.k8s.api.apps.v1.Deployment",
 * "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").
 */
final class DefinitionNames {
  private DefinitionNames() {}

  static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  static final String TIME = META + "Time";
  static final String MICRO_TIME = META + "MicroTime";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
  static final String PATCH = META + "Patch";

  private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
  private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");

  /** Types of apimachinery's meta/v1 that fabric8 keeps beside the core/v1 types. */
  private static final Set<String> META_TYPES = Set.of(
      "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition",
      "CreateOptions", "DeleteOptions", "Duration", "FieldsV1", "GetOptions", "GroupVersionForDiscovery",
      "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ListOptions", "ManagedFieldsEntry",
      "MicroTime", "ObjectMeta", "OwnerReference", "PatchOptions", "Preconditions",
      "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "Time", "UpdateOptions",
      "WatchEvent");

  static String of(Class<?> model) {
    String pkg = model.getPackageName();
    String simple = model.getSimpleName();
    if (!pkg.startsWith(FABRIC8)) return model.getName();
    String sub = pkg.substring(FABRIC8.length()).replaceFirst("^\\.", "");
    if (sub.isEmpty()) return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
    if (sub.equals("runtime")) return "io.k8s.apimachinery.pkg.runtime." + simple;
    if (sub.startsWith("metrics.")) return "io.k8s.metrics.pkg.apis." + sub + "." + simple;
    // CustomResourceDefinitions are apiextensions-apiserver's types
    if (sub.startsWith("apiextensions.")) return "io.k8s.apiextensions-apiserver.pkg.apis." + sub + "." + simple;
    String last = sub.substring(sub.lastIndexOf('.') + 1);
    // fabric8 leaves "v1" out of a few packages (apps, storage, rbac)
    String versioned = VERSION.matcher(last).matches() ? sub : sub + ".v1";
    return "io.k8s.api." + versioned + "." + simple;
  }
}
