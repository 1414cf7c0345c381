package io.kubeactor.controlplane.api.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * A pod's required node affinity (component-helpers scheduling/corev1/nodeaffinity
 * RequiredNodeAffinity): its nodeSelector labels and its required node selector terms, for the
 * scheduler's NodeAffinity filter and the DaemonSet controller, which picks its nodes with it.
 */
public final class RequiredNodeAffinity {
  private RequiredNodeAffinity() {}

  /** Whether the node carries every nodeSelector label and matches one required term (Match). */
  public static boolean matches(Pod pod, Node node) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null && !selector.isEmpty()) {
      Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (!labels.containsKey(e.getKey()) || !labels.get(e.getKey()).equals(e.getValue())) return false;
      }
    }
    var affinity = pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
    NodeSelector required = affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    return required == null || NodeSelectors.anyMatches(required.getNodeSelectorTerms(), node);
  }
}
