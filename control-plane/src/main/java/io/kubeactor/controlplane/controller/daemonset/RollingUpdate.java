package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RollingUpdate strategy (rollingUpdate in update.go): which old pods to delete, or on which
 * nodes to start new pods beside old ones, within maxUnavailable and maxSurge. Without surge, old
 * pods are deleted while fewer than maxUnavailable nodes lack an available pod, and the manage loop
 * makes their replacements; with surge, new pods start beside available old ones (at most maxSurge
 * at once) and each old pod goes when its node's new one is available.
 */
final class RollingUpdate {
  private RollingUpdate() {}

  /** What to do: pods to delete and nodes to start a new pod on. */
  record Plan(List<Pod> podsToDelete, List<String> nodesToCreate) {}

  /** The old and the new pod of a node, or not ok when it has more than one of either (findUpdatedPodsOnNode). */
  private record OnNode(Pod newPod, Pod oldPod, boolean ok) {}

  static Plan plan(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode, String hash, Instant now) {
    Map<String, List<Pod>> byNode = new TreeMap<>(podsByNode);
    Map<String, Node> nodesByName = new HashMap<>();
    int desired = 0;
    for (Node node : nodes) {
      nodesByName.put(node.getMetadata().getName(), node);
      if (!NodeEligibility.of(node, ds).shouldRun()) continue;
      desired++;
      byNode.putIfAbsent(node.getMetadata().getName(), List.of());
    }
    int maxUnavailable = DaemonSets.unavailableCount(ds, desired);
    int maxSurge = DaemonSets.surgeCount(ds, desired);
    // an impossible configuration (both 0) accepts unavailability, as upstream
    if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) maxUnavailable = 1;
    int minReady = DaemonSets.minReadySeconds(ds);
    return maxSurge == 0
        ? withoutSurge(ds, byNode, hash, maxUnavailable, minReady, now)
        : withSurge(ds, byNode, nodesByName, hash, maxSurge, desired, minReady, now);
  }

  private static Plan withoutSurge(DaemonSet ds, Map<String, List<Pod>> byNode, String hash, int maxUnavailable,
      int minReady, Instant now) {
    int numUnavailable = 0;
    List<Pod> replacements = new ArrayList<>();
    List<Pod> candidates = new ArrayList<>();
    for (List<Pod> pods : byNode.values()) {
      OnNode n = onNode(pods, hash);
      if (!n.ok()) {
        numUnavailable++; // the manage loop prunes the extra pods first
        continue;
      }
      if ((n.oldPod() == null) == (n.newPod() == null)) {
        numUnavailable++; // nothing there, or both: the manage loop acts
      } else if (n.newPod() != null) {
        if (!Pods.isAvailable(n.newPod(), minReady, now)) numUnavailable++;
      } else if (!Pods.isAvailable(n.oldPod(), minReady, now)) {
        replacements.add(n.oldPod()); // an old pod that is not available anyway is replaced at once
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) {
        candidates.add(n.oldPod());
      }
    }
    int remaining = Math.max(0, Math.min(maxUnavailable - numUnavailable, candidates.size()));
    List<Pod> delete = new ArrayList<>(replacements);
    delete.addAll(candidates.subList(0, remaining));
    return new Plan(delete, List.of());
  }

  private static Plan withSurge(DaemonSet ds, Map<String, List<Pod>> byNode, Map<String, Node> nodesByName, String hash,
      int maxSurge, int desired, int minReady, Instant now) {
    List<Pod> oldPodsToDelete = new ArrayList<>();
    List<Pod> shouldNotRunPodsToDelete = new ArrayList<>();
    List<String> candidateNewNodes = new ArrayList<>();
    List<String> allowedNewNodes = new ArrayList<>();
    int numSurge = 0;
    int numAvailable = 0;
    for (Map.Entry<String, List<Pod>> e : byNode.entrySet()) {
      String nodeName = e.getKey();
      OnNode n = onNode(e.getValue(), hash);
      if (!n.ok()) {
        numSurge++;
        continue;
      }
      Pod counted = n.oldPod() != null ? n.oldPod() : n.newPod();
      if (counted != null && Pods.isAvailable(counted, minReady, now)) numAvailable++;
      if (n.oldPod() == null) continue; // the manage loop handles this node
      Node node = nodesByName.get(nodeName);
      boolean shouldRun = node != null && NodeEligibility.of(node, ds).shouldRun();
      if (n.newPod() == null) {
        if (!Pods.isAvailable(n.oldPod(), minReady, now)) {
          if (!shouldRun) oldPodsToDelete.add(n.oldPod());
          else allowedNewNodes.add(nodeName);
        } else if (!shouldRun) {
          shouldNotRunPodsToDelete.add(n.oldPod());
        } else if (numSurge < maxSurge) {
          candidateNewNodes.add(nodeName);
        }
      } else if (!Pods.isAvailable(n.newPod(), minReady, now)) {
        numSurge++; // waiting for the new pod
      } else {
        oldPodsToDelete.add(n.oldPod()); // the new pod is available: the old one goes
      }
    }
    // with surge the owner expects full availability: a pod on a node that should no longer run one
    // goes only as others become available
    int deletable = Math.min(numAvailable - desired, shouldNotRunPodsToDelete.size());
    if (deletable > 0) oldPodsToDelete.addAll(shouldNotRunPodsToDelete.subList(0, deletable));
    int remainingSurge = Math.max(0, Math.min(maxSurge - numSurge, candidateNewNodes.size()));
    List<String> create = new ArrayList<>(allowedNewNodes);
    create.addAll(candidateNewNodes.subList(0, remainingSurge));
    return new Plan(oldPodsToDelete, create);
  }

  private static OnNode onNode(List<Pod> pods, String hash) {
    Pod newPod = null;
    Pod oldPod = null;
    for (Pod p : pods) {
      if (OwnerReferences.beingDeleted(p)) continue;
      if (DaemonSets.isUpdated(p, hash)) {
        if (newPod != null) return new OnNode(null, null, false);
        newPod = p;
      } else {
        if (oldPod != null) return new OnNode(null, null, false);
        oldPod = p;
      }
    }
    return new OnNode(newPod, oldPod, true);
  }
}
