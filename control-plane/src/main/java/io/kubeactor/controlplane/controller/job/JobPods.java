package io.kubeactor.controlplane.controller.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Job's pods as its controller counts them: the active ones (neither finished nor being
 * deleted), how many succeeded, failed, are terminating and are ready, the container restarts of
 * the active ones (what restartPolicy OnFailure spends of the backoffLimit), and when the last
 * failure happened (where the back-off before a replacement starts).
 */
record JobPods(List<Pod> active, int succeeded, int failed, int terminating, int ready, int restarts, Instant lastFailure) {

  static JobPods of(List<Pod> owned, Job job) {
    List<Pod> active = new ArrayList<>();
    int succeeded = 0;
    int failed = 0;
    int terminating = 0;
    int ready = 0;
    int restarts = 0;
    Instant lastFailure = null;
    for (Pod p : owned) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if ("Succeeded".equals(phase)) {
        succeeded++;
      } else if ("Failed".equals(phase)) {
        failed++;
        Instant at = finishedAt(p);
        if (lastFailure == null || at.isAfter(lastFailure)) lastFailure = at;
      } else if (OwnerReferences.beingDeleted(p)) {
        terminating++;
      } else {
        active.add(p);
        if (Pods.isReady(p)) ready++;
        if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
          for (ContainerStatus s : p.getStatus().getContainerStatuses()) {
            restarts += s.getRestartCount() == null ? 0 : s.getRestartCount();
          }
        }
      }
    }
    return new JobPods(List.copyOf(active), succeeded, failed, terminating, ready, restarts, lastFailure);
  }

  /** Upstream's getFinishedTime: the last container's end, else when the pod stopped being ready, else its creation. */
  private static Instant finishedAt(Pod p) {
    Instant latest = null;
    if (p.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus s : p.getStatus().getContainerStatuses()) {
        if (s.getState() == null || s.getState().getTerminated() == null) continue;
        String at = s.getState().getTerminated().getFinishedAt();
        if (at == null) continue;
        Instant t = Instant.parse(at);
        if (latest == null || t.isAfter(latest)) latest = t;
      }
    }
    if (latest != null) return latest;
    return Pods.condition(p, "Ready").filter(c -> "False".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .orElseGet(() -> Instant.parse(p.getMetadata().getCreationTimestamp()));
  }
}
