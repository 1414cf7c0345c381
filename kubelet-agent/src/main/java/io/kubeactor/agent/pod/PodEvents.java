package io.kubeactor.agent.pod;

/** Where a pod's events go (to the control plane, which stores them as core/v1 Events). */
public interface PodEvents {

  /** fieldPath names the container ("spec.containers{main}") or is null for the pod itself. */
  void record(String type, String reason, String message, String fieldPath);

  default void normal(String reason, String message, String fieldPath) {
    record("Normal", reason, message, fieldPath);
  }

  default void warning(String reason, String message, String fieldPath) {
    record("Warning", reason, message, fieldPath);
  }
}
