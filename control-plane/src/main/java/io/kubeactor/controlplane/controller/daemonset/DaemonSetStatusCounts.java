package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DaemonSet's status counts (updateDaemonSetStatus), per node that should run its pod: whether
 * one is there, and whether the first of them (oldest, bound first) is ready, available and of the
 * current template; pods on nodes that should not run one are misscheduled. {@code kubectl get ds}
 * shows them as DESIRED CURRENT READY UP-TO-DATE AVAILABLE, {@code kubectl rollout status} waits on
 * updated and available reaching desired.
 */
record DaemonSetStatusCounts(int desiredNumberScheduled, int currentNumberScheduled, int numberMisscheduled,
    int numberReady, int updatedNumberScheduled, int numberAvailable, int numberUnavailable) {

  static DaemonSetStatusCounts of(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> byNode, String hash, Instant now) {
    int desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
    for (Node node : nodes) {
      boolean shouldRun = NodeEligibility.of(node, ds).shouldRun();
      List<Pod> pods = byNode.getOrDefault(node.getMetadata().getName(), List.of());
      boolean scheduled = !pods.isEmpty();
      if (!shouldRun) {
        if (scheduled) misscheduled++;
        continue;
      }
      desired++;
      if (!scheduled) continue;
      current++;
      List<Pod> sorted = new ArrayList<>(pods);
      sorted.sort(DaemonSets.OLDEST_SCHEDULED_FIRST);
      Pod pod = sorted.get(0);
      if (Pods.isReady(pod)) {
        ready++;
        if (Pods.isAvailable(pod, DaemonSets.minReadySeconds(ds), now)) available++;
      }
      if (DaemonSets.isUpdated(pod, hash)) updated++;
    }
    return new DaemonSetStatusCounts(desired, current, misscheduled, ready, updated, available, desired - available);
  }

  /** Whether the status already shows these counts for the current generation (nothing to write). */
  boolean shownBy(DaemonSet ds) {
    DaemonSetStatus s = ds.getStatus();
    if (s == null) return false;
    long generation = ds.getMetadata().getGeneration() == null ? 0 : ds.getMetadata().getGeneration();
    return n(s.getDesiredNumberScheduled()) == desiredNumberScheduled
        && n(s.getCurrentNumberScheduled()) == currentNumberScheduled
        && n(s.getNumberMisscheduled()) == numberMisscheduled
        && n(s.getNumberReady()) == numberReady
        && n(s.getUpdatedNumberScheduled()) == updatedNumberScheduled
        && n(s.getNumberAvailable()) == numberAvailable
        && n(s.getNumberUnavailable()) == numberUnavailable
        && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration()) >= generation;
  }

  /**
   * The status with these counts, as Kubernetes' JSON shows it: the first four always, the other
   * counts (omitempty) only when not zero; observedGeneration raised only when asked.
   */
  DaemonSetStatus applyTo(DaemonSet ds, boolean updateObservedGeneration) {
    DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
    if (updateObservedGeneration) s.setObservedGeneration(ds.getMetadata().getGeneration());
    s.setDesiredNumberScheduled(desiredNumberScheduled);
    s.setCurrentNumberScheduled(currentNumberScheduled);
    s.setNumberMisscheduled(numberMisscheduled);
    s.setNumberReady(numberReady);
    s.setUpdatedNumberScheduled(orNull(updatedNumberScheduled));
    s.setNumberAvailable(orNull(numberAvailable));
    s.setNumberUnavailable(orNull(numberUnavailable));
    if (Objects.equals(s.getObservedGeneration(), 0L)) s.setObservedGeneration(null);
    return s;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static Integer orNull(int i) {
    return i == 0 ? null : i;
  }
}
