package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A StatefulSet's status from its pods (stateful_set_control.go's updateStatus and
 * stateful_set_utils.go's completeRollingUpdate and inconsistentStatus). Counts are kept in a
 * mutable tally while a sync runs and written as the API writes them: zero counts that Go omits
 * ({@code omitempty}) are left out.
 */
final class StatefulSetStatuses {
  private StatefulSetStatuses() {}

  /** The status a sync computes. */
  static final class Tally {
    long observedGeneration;
    int replicas;
    int readyReplicas;
    int availableReplicas;
    int currentReplicas;
    int updatedReplicas;
    String currentRevision;
    String updateRevision;
    int collisionCount;

    /** Counts the pods (created ones only) against the current and update revisions. */
    void count(int minReadySeconds, Instant now, List<List<Pod>> podLists) {
      replicas = 0;
      readyReplicas = 0;
      availableReplicas = 0;
      currentReplicas = 0;
      updatedReplicas = 0;
      for (List<Pod> pods : podLists) {
        for (Pod pod : pods) {
          boolean created = StatefulPods.isCreated(pod);
          if (created) replicas++;
          if (StatefulPods.isRunningAndReady(pod)) {
            readyReplicas++;
            if (StatefulPods.isRunningAndAvailable(pod, minReadySeconds, now)) availableReplicas++;
          }
          if (created && !StatefulPods.isTerminating(pod)) {
            String revision = StatefulPods.revisionOf(pod);
            if (revision.equals(currentRevision)) currentReplicas++;
            if (revision.equals(updateRevision)) updatedReplicas++;
          }
        }
      }
    }

    /**
     * A rolling update whose pods are all updated and ready is complete: the update revision becomes
     * the current one.
     */
    void completeRollingUpdate(StatefulSet set) {
      var strategy = set.getSpec().getUpdateStrategy();
      int want = StatefulIdentity.replicas(set);
      if (strategy != null && "RollingUpdate".equals(strategy.getType())
          && updatedReplicas == want && readyReplicas == want && replicas == want) {
        currentReplicas = updatedReplicas;
        currentRevision = updateRevision;
      }
    }

    /** Whether the set's stored status differs from this one (collisionCount aside, as upstream). */
    boolean differsFrom(StatefulSetStatus stored) {
      if (stored == null) return true;
      return observedGeneration > value(stored.getObservedGeneration())
          || replicas != value(stored.getReplicas())
          || currentReplicas != value(stored.getCurrentReplicas())
          || readyReplicas != value(stored.getReadyReplicas())
          || updatedReplicas != value(stored.getUpdatedReplicas())
          || !Objects.equals(nullIfEmpty(currentRevision), nullIfEmpty(stored.getCurrentRevision()))
          || availableReplicas != value(stored.getAvailableReplicas())
          || !Objects.equals(nullIfEmpty(updateRevision), nullIfEmpty(stored.getUpdateRevision()));
    }

    /** The status as stored, keeping the stored conditions (this controller sets none). */
    StatefulSetStatus toStatus(StatefulSetStatus stored) {
      StatefulSetStatus s = new StatefulSetStatus();
      s.setObservedGeneration(observedGeneration == 0 ? null : observedGeneration);
      s.setReplicas(replicas);
      s.setReadyReplicas(readyReplicas == 0 ? null : readyReplicas);
      s.setCurrentReplicas(currentReplicas == 0 ? null : currentReplicas);
      s.setUpdatedReplicas(updatedReplicas == 0 ? null : updatedReplicas);
      s.setAvailableReplicas(availableReplicas);
      s.setCurrentRevision(nullIfEmpty(currentRevision));
      s.setUpdateRevision(nullIfEmpty(updateRevision));
      s.setCollisionCount(collisionCount);
      if (stored != null && stored.getConditions() != null && !stored.getConditions().isEmpty()) {
        s.setConditions(stored.getConditions());
      }
      return s;
    }
  }

  private static long value(Number n) {
    return n == null ? 0 : n.longValue();
  }

  private static String nullIfEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
