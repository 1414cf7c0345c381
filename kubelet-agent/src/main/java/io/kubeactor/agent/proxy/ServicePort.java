package io.kubeactor.agent.proxy;

import java.util.List;

/**
 * One port of one Service as the proxy programs it (kube-proxy's ServicePort): where traffic is
 * captured (cluster IP, node port, external and load-balancer addresses) and how it is spread.
 *
 * @param protocol "tcp", "udp" or "sctp", as nftables spells it
 * @param affinitySeconds ClientIP session affinity's timeout; 0 without affinity
 * @param externalLocal externalTrafficPolicy Local: node ports and load-balancer addresses reach only
 *     endpoints on the node whose address was used, and keep the client's address
 * @param internalLocal internalTrafficPolicy Local: the cluster IP reaches only endpoints on the client's node
 */
public record ServicePort(String namespace, String name, String portName, String protocol, String clusterIp, int port,
    int nodePort, List<String> externalIps, List<String> loadBalancerIps, int affinitySeconds, boolean externalLocal,
    boolean internalLocal) {

  /** "namespace/name:port", as kube-proxy names a service port in its logs and comments. */
  public String displayName() {
    return namespace + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
  }

  /** The part of its chains' names that says which port of which Service they are. */
  String chainBase() {
    return namespace + "/" + name + "/" + protocol + "/" + portName;
  }

  boolean externallyAccessible() {
    return nodePort > 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
  }
}
