package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A DaemonSet's pods, from the pod informer: those it controls and orphans it adopts
 * (getDaemonPods), grouped by the node each is for (getNodesToDaemonPods).
 */
final class DaemonPods {

  private final Informer<Pod> pods;
  private final Informer<DaemonSet> daemonSets;
  private final ControllerRefManager refs;

  DaemonPods(Informer<Pod> pods, Informer<DaemonSet> daemonSets, ControllerRefManager refs) {
    this.pods = pods;
    this.daemonSets = daemonSets;
    this.refs = refs;
  }

  static LabelSelector selector(DaemonSet ds) {
    return LabelSelector.fromJson(ds.getSpec().getSelector() == null ? null : Json.toTree(ds.getSpec().getSelector()));
  }

  /** The pods the DaemonSet controls once matching orphans are adopted and non-matching ones released. */
  CompletionStage<List<Pod>> claim(DaemonSet ds) {
    String uid = ds.getMetadata().getUid();
    List<Pod> candidates = new ArrayList<>();
    for (Pod p : pods.list(ds.getMetadata().getNamespace())) {
      var ref = OwnerReferences.controllerOf(p);
      if (ref.isEmpty() || uid.equals(ref.get().getUid())) candidates.add(p);
    }
    return refs.claim(ds, selector(ds), candidates, () -> {
      // upstream re-reads the DaemonSet: adopt only while it is the same one and not being deleted
      DaemonSet fresh = daemonSets.get(Informer.keyOf(ds));
      return fresh != null && uid.equals(fresh.getMetadata().getUid()) && !OwnerReferences.beingDeleted(fresh);
    });
  }

  /**
   * The claimed pods by the node each is for. Pods that are both finished and being deleted are left
   * out unless asked for: the kubelet or the pod GC is removing them, nothing is left to do.
   */
  CompletionStage<Map<String, List<Pod>>> byNode(DaemonSet ds, boolean includeDeletedTerminal) {
    return claim(ds).thenApply(claimed -> {
      Map<String, List<Pod>> byNode = new HashMap<>();
      for (Pod p : claimed) {
        if (!includeDeletedTerminal && Pods.isTerminal(p) && OwnerReferences.beingDeleted(p)) continue;
        String node = DaemonPodTemplates.targetNodeName(p);
        if (node == null) continue;
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(p);
      }
      return byNode;
    });
  }
}
