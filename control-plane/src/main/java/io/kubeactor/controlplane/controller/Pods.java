package io.kubeactor.controlplane.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Kubernetes' podutil: what controllers ask of a pod's status. */
public final class Pods {
  private Pods() {}

  /** Not finished and not being deleted: counts towards a controller's replicas. */
  public static boolean isActive(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && p.getMetadata().getDeletionTimestamp() == null;
  }

  public static boolean isTerminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  public static Optional<PodCondition> condition(Pod p, String type) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) return Optional.empty();
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** The Ready condition is True. */
  public static boolean isReady(Pod p) {
    return condition(p, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
  public static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
    Optional<PodCondition> ready = condition(p, "Ready").filter(c -> "True".equals(c.getStatus()));
    if (ready.isEmpty()) return false;
    if (minReadySeconds <= 0) return true;
    Instant since = ready.get().getLastTransitionTime() == null ? null : Instant.parse(ready.get().getLastTransitionTime());
    return since != null && !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
  }

  /** When a ready pod becomes available, for requeueing at that moment; null if not ready. */
  public static Instant availableAt(Pod p, int minReadySeconds) {
    return condition(p, "Ready").filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()).plusSeconds(Math.max(0, minReadySeconds)))
        .orElse(null);
  }

  public static String nodeName(Pod p) {
    return p.getSpec() == null ? null : p.getSpec().getNodeName();
  }
}
