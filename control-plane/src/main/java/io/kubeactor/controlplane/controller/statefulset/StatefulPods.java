package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What the StatefulSet controller asks of its pods (stateful_set_utils.go): whether one exists yet,
 * runs, is ready, available or terminating, which revision it was made from, and how a new one is
 * made from the set at a revision.
 */
final class StatefulPods {
  private StatefulPods() {}

  /** The label naming the ControllerRevision a pod was made from. */
  static final String REVISION_LABEL = "controller-revision-hash";

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
  }

  /** The API server has the pod: it has a phase (a pod the controller only means to create has none). */
  static boolean isCreated(Pod pod) {
    return !phase(pod).isEmpty();
  }

  static boolean isPending(Pod pod) {
    return phase(pod).equals("Pending");
  }

  static boolean isFailed(Pod pod) {
    return phase(pod).equals("Failed");
  }

  static boolean isSucceeded(Pod pod) {
    return phase(pod).equals("Succeeded");
  }

  static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean isRunningAndReady(Pod pod) {
    return phase(pod).equals("Running") && Pods.isReady(pod);
  }

  static boolean isRunningAndAvailable(Pod pod, int minReadySeconds, Instant now) {
    return Pods.isAvailable(pod, minReadySeconds, now);
  }

  static boolean isHealthy(Pod pod) {
    return isRunningAndReady(pod) && !isTerminating(pod);
  }

  static boolean isUnavailable(Pod pod, int minReadySeconds, Instant now) {
    return !isHealthy(pod) || !isRunningAndAvailable(pod, minReadySeconds, now);
  }

  static String revisionOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(REVISION_LABEL, "");
  }

  static void setRevision(Pod pod, String revision) {
    Map<String, String> labels = new HashMap<>(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    labels.put(REVISION_LABEL, revision);
    pod.getMetadata().setLabels(labels);
  }

  static int minReadySeconds(StatefulSet set) {
    Integer m = set.getSpec().getMinReadySeconds();
    return m == null ? 0 : m;
  }

  /** A pod of the set's template, with the identity and storage of the ordinal, controlled by the set. */
  static Pod newPod(StatefulSet set, int ordinal) {
    String name = StatefulIdentity.podName(set, ordinal);
    Pod pod = PodControl.fromTemplate(set.getSpec().getTemplate(), set, name, null);
    // as GetPodFromTemplate, the pod also carries the generateName the set's pods would have
    pod.getMetadata().setGenerateName(set.getMetadata().getName() + "-");
    StatefulIdentity.initIdentity(set, pod);
    StatefulIdentity.updateStorage(set, pod);
    return pod;
  }

  /**
   * The pod of an ordinal the set is missing: made from the current revision when the ordinal is
   * below the rolling update's partition, from the update revision otherwise. The condition keeps
   * upstream's operator precedence (newVersionedStatefulSetPod).
   */
  static Pod newVersionedPod(StatefulSet currentSet, StatefulSet updateSet, String currentRevision, String updateRevision,
      int ordinal) {
    var strategy = currentSet.getSpec().getUpdateStrategy();
    boolean rolling = strategy != null && "RollingUpdate".equals(strategy.getType());
    var rollingUpdate = strategy == null ? null : strategy.getRollingUpdate();
    int start = StatefulIdentity.startOrdinal(currentSet);
    int currentReplicas = currentSet.getStatus() == null || currentSet.getStatus().getCurrentReplicas() == null
        ? 0 : currentSet.getStatus().getCurrentReplicas();
    boolean atCurrent = (rolling && rollingUpdate == null && ordinal < start + currentReplicas)
        || (rollingUpdate != null && ordinal < start + partition(currentSet));
    Pod pod = newPod(atCurrent ? currentSet : updateSet, ordinal);
    setRevision(pod, atCurrent ? currentRevision : updateRevision);
    return pod;
  }

  /** The rolling update's partition, 0 when unset. */
  static int partition(StatefulSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    if (strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null) return 0;
    return strategy.getRollingUpdate().getPartition();
  }
}
