package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.kubeactor.controlplane.controller.PodControl;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * What the DaemonSet controller asks of a DaemonSet and its pods (pkg/controller/daemon/util): the
 * template generation, the update strategy's numbers, whether a pod is of the current template,
 * and which of a node's pods counts first.
 */
final class DaemonSets {
  private DaemonSets() {}

  /** The label naming the ControllerRevision a daemon pod was made from (apps.DefaultDaemonSetUniqueLabelKey). */
  static final String REVISION_HASH_LABEL = "controller-revision-hash";
  /** The label with the template generation a daemon pod was made from (kept for old clients). */
  static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";
  /** The annotation the API server keeps the template generation in (apps/v1 has no field for it). */
  static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

  static final String ROLLING_UPDATE = "RollingUpdate";
  static final String ON_DELETE = "OnDelete";

  /** The template generation, or null when the annotation is missing or not a number. */
  static Long templateGeneration(DaemonSet ds) {
    Map<String, String> annotations = ds.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(TEMPLATE_GENERATION_ANNOTATION);
    if (value == null) return null;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Whether the pod was made from the current template: its revision hash is the current one.
   * (Upstream also compares the template generation, but compares it in a way that never matches,
   * so in effect only the hash counts; so it does here.)
   */
  static boolean isUpdated(Pod pod, String hash) {
    return hash != null && !hash.isEmpty() && hash.equals(PodControl.labels(pod).get(REVISION_HASH_LABEL));
  }

  static boolean isRollingUpdate(DaemonSet ds) {
    DaemonSetUpdateStrategy s = ds.getSpec().getUpdateStrategy();
    return s != null && ROLLING_UPDATE.equals(s.getType());
  }

  /** maxSurge of the nodes to schedule, rounded up; 0 unless the strategy is RollingUpdate (util.SurgeCount). */
  static int surgeCount(DaemonSet ds, int numberToSchedule) {
    RollingUpdateDaemonSet r = rollingUpdate(ds);
    return r == null ? 0 : scaled(r.getMaxSurge(), numberToSchedule);
  }

  /** maxUnavailable of the nodes to schedule, rounded up; 0 unless the strategy is RollingUpdate. */
  static int unavailableCount(DaemonSet ds, int numberToSchedule) {
    RollingUpdateDaemonSet r = rollingUpdate(ds);
    return r == null ? 0 : scaled(r.getMaxUnavailable(), numberToSchedule);
  }

  /** Whether a node may run more than one pod of the DaemonSet during an update (util.AllowsSurge). */
  static boolean allowsSurge(DaemonSet ds) {
    return surgeCount(ds, 1) > 0;
  }

  private static RollingUpdateDaemonSet rollingUpdate(DaemonSet ds) {
    return isRollingUpdate(ds) ? ds.getSpec().getUpdateStrategy().getRollingUpdate() : null;
  }

  /** intstr.GetScaledValueFromIntOrPercent rounding up; a malformed percentage counts as 0 (validation refuses it). */
  static int scaled(IntOrString value, int total) {
    if (value == null) return 0;
    if (value.getIntVal() != null) return value.getIntVal();
    String s = value.getStrVal();
    if (s == null || !s.endsWith("%")) return 0;
    try {
      int percent = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(percent * (double) total / 100);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static int minReadySeconds(DaemonSet ds) {
    Integer m = ds.getSpec().getMinReadySeconds();
    return m == null ? 0 : m;
  }

  /**
   * podByCreationTimestampAndPhase: pods bound to a node before pending ones, then the oldest first,
   * then by name. The first of a node's pods is the one that stays and that the status counts.
   */
  static final Comparator<Pod> OLDEST_SCHEDULED_FIRST = Comparator
      .comparing((Pod p) -> isBlank(p.getSpec().getNodeName()))
      .thenComparing(p -> created(p))
      .thenComparing(p -> p.getMetadata().getName());

  private static Instant created(Pod p) {
    String ts = p.getMetadata().getCreationTimestamp();
    return ts == null ? Instant.EPOCH : Instant.parse(ts);
  }

  static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
