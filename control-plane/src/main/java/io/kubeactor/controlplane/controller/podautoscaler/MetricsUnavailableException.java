package io.kubeactor.controlplane.controller.podautoscaler;

/** Why a replica count could not be computed from a metric; its message is upstream's wording. */
final class MetricsUnavailableException extends Exception {
  MetricsUnavailableException(String message) {
    super(message, null, false, false);
  }
}
