package io.kubeactor.controlplane.registry.admission;

/**
 * What the cluster configures in its admission plugins (kube-apiserver flags).
 *
 * @param defaultTolerationSeconds DefaultTolerationSeconds: how long a new pod tolerates its node
 *     being not-ready or unreachable (--default-not-ready-toleration-seconds and
 *     --default-unreachable-toleration-seconds, 300 s)
 */
public record AdmissionSettings(long defaultTolerationSeconds) {

  public static AdmissionSettings defaults() {
    return new AdmissionSettings(300);
  }
}
