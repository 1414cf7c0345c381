package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed pod (anti-)affinity term (upstream framework.AffinityTerm): which pods it selects, in
 * which namespaces, and the node label that defines a topology domain.
 *
 * @param namespaces the listed namespaces; the owning pod's own when neither namespaces nor a
 *     namespaceSelector is given
 * @param namespaceSelector further namespaces by their labels; nothing when not given
 */
public record AffinityTerm(Set<String> namespaces, LabelSelector selector, String topologyKey, LabelSelector namespaceSelector) {

  public static AffinityTerm of(Pod owner, PodAffinityTerm term) {
    boolean noNamespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty();
    Set<String> namespaces = noNamespaces && term.getNamespaceSelector() == null
        ? Set.of(namespaceOf(owner))
        : Set.copyOf(noNamespaces ? Set.of() : term.getNamespaces());
    return new AffinityTerm(namespaces, selector(term.getLabelSelector()),
        term.getTopologyKey() == null ? "" : term.getTopologyKey(), selector(term.getNamespaceSelector()));
  }

  /** Whether the term selects this pod; {@code namespaceLabels} gives a namespace's labels. */
  public boolean matches(Pod pod, Function<String, Map<String, String>> namespaceLabels) {
    String namespace = namespaceOf(pod);
    if (namespaces.contains(namespace) || namespaceSelector.matches(namespaceLabels.apply(namespace))) {
      return selector.matches(labelsOf(pod));
    }
    return false;
  }

  /**
   * A metav1.LabelSelector: absent selects nothing, empty everything; an invalid one (validation
   * keeps them out) nothing.
   */
  private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    if (selector == null) return LabelSelector.nothing();
    try {
      return LabelSelector.fromJson(Json.toTree(selector));
    } catch (RuntimeException e) {
      return LabelSelector.nothing();
    }
  }

  public static String namespaceOf(Pod pod) {
    String namespace = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    return namespace == null ? "" : namespace;
  }

  public static Map<String, String> labelsOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
