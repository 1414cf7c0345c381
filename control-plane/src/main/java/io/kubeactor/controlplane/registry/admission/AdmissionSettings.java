package io.kubeactor.controlplane.registry.admission;

/**
 * What the cluster configures in its admission plugins (kube-apiserver flags).
 *
 * @param defaultTolerationSeconds DefaultTolerationSeconds: how long a new pod tolerates its node
 *     being not-ready or unreachable (--default-not-ready-toleration-seconds and
 *     --default-unreachable-toleration-seconds, 300 s)
 * @param serviceAccountTokens the ServiceAccount plugin's token part: a pod's ServiceAccount must
 *     exist, and pods that automount get the kube-api-access projected volume. Off until the node
 *     agents mount projected ServiceAccount tokens; the plugin then only names "default" and copies
 *     the account's imagePullSecrets.
 */
public record AdmissionSettings(long defaultTolerationSeconds, boolean serviceAccountTokens) {

  public AdmissionSettings(long defaultTolerationSeconds) {
    this(defaultTolerationSeconds, false);
  }

  public static AdmissionSettings defaults() {
    return new AdmissionSettings(300);
  }

  public AdmissionSettings withServiceAccountTokens(boolean on) {
    return new AdmissionSettings(defaultTolerationSeconds, on);
  }
}
