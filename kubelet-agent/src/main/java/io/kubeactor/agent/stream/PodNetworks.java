package io.kubeactor.agent.stream;

/**
 * Where the node reaches a pod's ports for port-forward: the IP of the pod's network namespace, and
 * the id of the sandbox that owns it (the name kubelet's CRI runtime gives the pod in its errors).
 */
public interface PodNetworks {

  record PodNetwork(String sandboxId, String ip) {}

  /**
   * The pod's network, looked up when a port-forward starts; a {@link StreamException} with kubelet's
   * status and words when the pod has none here. May block.
   */
  PodNetwork of(String namespace, String pod);
}
