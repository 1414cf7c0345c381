package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manage loop's decisions (manage and podsShouldBeOnNode): a node that should run the daemon
 * pod and has none gets one; a node that may keep its pods loses the failed and succeeded ones
 * (failed ones under back-off) and, without surge, all but the oldest; a node that may not keep
 * them loses them all; pods for nodes that no longer exist are deleted.
 */
final class NodePlacement {

  /** An event to record on the DaemonSet. */
  interface Events {
    void record(String type, String reason, String message);
  }

  /**
   * What to do.
   *
   * @param podsToDelete pods whose node should not run them, or that are extra or finished
   * @param orphanedPods pods for a node that no longer exists: no kubelet will finish their deletion
   * @param nodesToCreate nodes that need a daemon pod
   * @param requeue when to look again (a failed pod's back-off)
   */
  record Plan(List<Pod> podsToDelete, List<Pod> orphanedPods, List<String> nodesToCreate, Result requeue) {}

  private final FailedPodsBackoff backoff;

  NodePlacement(FailedPodsBackoff backoff) {
    this.backoff = backoff;
  }

  Plan plan(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> byNode, String hash, Events events) {
    List<Pod> delete = new ArrayList<>();
    List<String> create = new ArrayList<>();
    Result requeue = Result.done();
    Set<String> existing = new HashSet<>();
    for (Node node : nodes) {
      existing.add(node.getMetadata().getName());
      requeue = requeue.sooner(onNode(ds, node, byNode, hash, events, delete, create));
    }
    // Upstream deletes only unbound pods of missing nodes here and leaves bound ones to the pod GC;
    // without a pod GC here, this controller removes both (as the pod GC would, at once).
    List<Pod> orphaned = new ArrayList<>();
    byNode.forEach((nodeName, pods) -> {
      if (existing.contains(nodeName)) return;
      orphaned.addAll(pods);
    });
    return new Plan(delete, orphaned, create, requeue);
  }

  private Result onNode(DaemonSet ds, Node node, Map<String, List<Pod>> byNode, String hash, Events events,
      List<Pod> delete, List<String> create) {
    String nodeName = node.getMetadata().getName();
    NodeEligibility eligibility = NodeEligibility.of(node, ds);
    List<Pod> pods = byNode.get(nodeName);
    boolean exists = pods != null;
    Result requeue = Result.done();
    if (eligibility.shouldRun() && !exists) {
      create.add(nodeName);
    } else if (eligibility.shouldContinueRunning()) {
      List<Pod> running = new ArrayList<>();
      for (Pod pod : pods == null ? List.<Pod>of() : pods) {
        if (OwnerReferences.beingDeleted(pod)) continue;
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Failed".equals(phase)) {
          // kubelets that reject a pod would fight the controller in a hot loop: back off
          long observed = ds.getStatus() == null || ds.getStatus().getObservedGeneration() == null ? 0
              : ds.getStatus().getObservedGeneration();
          String key = FailedPodsBackoff.key(ds.getMetadata().getUid(), observed, nodeName);
          Instant now = backoff.now();
          if (backoff.inBackoff(key, now)) {
            requeue = requeue.sooner(Result.requeueAfter(backoff.get(key)));
            continue;
          }
          backoff.next(key, now);
          events.record("Warning", "FailedDaemonPod", "Found failed daemon pod %s/%s on node %s, will try to kill it"
              .formatted(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), nodeName));
          delete.add(pod);
        } else if ("Succeeded".equals(phase)) {
          events.record("Normal", "SucceededDaemonPod", "Found succeeded daemon pod %s/%s on node %s, will try to delete it"
              .formatted(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), nodeName));
          delete.add(pod);
        } else {
          running.add(pod);
        }
      }
      running.sort(DaemonSets.OLDEST_SCHEDULED_FIRST);
      if (!DaemonSets.allowsSurge(ds)) {
        // one pod per node: the oldest stays
        for (int i = 1; i < running.size(); i++) delete.add(running.get(i));
      } else if (running.isEmpty()) {
        if (eligibility.shouldRun()) create.add(nodeName);
      } else if (running.size() > 1) {
        surgePrune(ds, running, hash, delete);
      }
    } else if (exists) {
      for (Pod pod : pods) if (!OwnerReferences.beingDeleted(pod)) delete.add(pod);
    }
    return requeue;
  }

  /**
   * With surge a node may have two pods, the oldest new one and the oldest old one, while the new
   * one is not yet available and the old one still ready; any others go.
   */
  private void surgePrune(DaemonSet ds, List<Pod> running, String hash, List<Pod> delete) {
    Pod oldestNew = null;
    Pod oldestOld = null;
    for (Pod pod : running) {
      if (DaemonSets.isUpdated(pod, hash)) {
        if (oldestNew == null) {
          oldestNew = pod;
          continue;
        }
      } else if (oldestOld == null) {
        oldestOld = pod;
        continue;
      }
      delete.add(pod);
    }
    if (oldestNew != null && oldestOld != null) {
      if (!Pods.isReady(oldestOld) || Pods.isAvailable(oldestNew, DaemonSets.minReadySeconds(ds), backoff.now())) {
        delete.add(oldestOld);
      }
    }
  }
}
