package io.kubeactor.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.controller.Informer;
import io.kubeactor.controlplane.controller.Pods;
import java.util.List;

/** The pods informer's index of pods by the node they are bound to (client-go's "spec.nodeName" indexer). */
public final class PodsOnNodes {
  private PodsOnNodes() {}

  public static final String INDEX = "spec.nodeName";

  /** Adds the index (once; it is shared by name) and returns the informer. */
  public static Informer<Pod> indexed(Informer<Pod> pods) {
    pods.addIndex(INDEX, p -> {
      String node = Pods.nodeName(p);
      return node == null || node.isEmpty() ? List.of() : List.of(node);
    });
    return pods;
  }

  public static List<Pod> on(Informer<Pod> pods, String nodeName) {
    return pods.byIndex(INDEX, nodeName);
  }
}
