package io.kubeactor.controlplane.controller.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The garbage collector's finalizers, which the registry adds for a deletion's propagationPolicy:
 * "orphan" (Orphan) and "foregroundDeletion" (Foreground), read from typed objects or stored JSON.
 */
final class DeletionFinalizers {
  private DeletionFinalizers() {}

  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";

  static boolean has(HasMetadata o, String finalizer) {
    return o.getMetadata().getFinalizers() != null && o.getMetadata().getFinalizers().contains(finalizer);
  }

  /** Being deleted, and waiting for its dependents first (foreground deletion). */
  static boolean deletingDependents(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null && has(o, FOREGROUND);
  }

  static boolean deletingDependents(JsonNode meta) {
    if (!meta.hasNonNull("deletionTimestamp")) return false;
    for (JsonNode f : meta.path("finalizers")) if (f.asText().equals(FOREGROUND)) return true;
    return false;
  }

  /** Being deleted with one of the garbage collector's finalizers to act on. */
  static boolean collectorFinalizing(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null && (has(o, ORPHAN) || has(o, FOREGROUND));
  }
}
