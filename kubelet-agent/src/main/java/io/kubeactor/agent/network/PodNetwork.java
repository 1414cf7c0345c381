package io.kubeactor.agent.network;

import com.github.dockerjava.api.model.Network;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.common.Cidr;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's pod network, the part a CNI plugin such as kindnet's bridge plays: a Docker bridge of the
 * node's own whose subnet is the node's PodCIDR, so pods take their addresses from it, and whose
 * host side (the PodCIDR's first address) is the node's InternalIP. Docker's own masquerading is off
 * on it: pods reach pods of other nodes with their own addresses (the host routes between the
 * bridges; {@link HostNetworkRules} lets that through and masquerades only what leaves the cluster).
 */
public final class PodNetwork {

  private static final Logger log = LoggerFactory.getLogger(PodNetwork.class);

  /** The one shared network of earlier versions (10.244.0.0/16): it overlaps every node's, so it goes. */
  static final String LEGACY_NETWORK = "kubeactor";

  private final DockerRuntime docker;
  private final String nodeName;

  public PodNetwork(DockerRuntime docker, String nodeName) {
    this.docker = docker;
    this.nodeName = nodeName;
  }

  /** The Docker network of this node's pods. */
  public String name() {
    return "kubeactor-" + nodeName;
  }

  /** The node's address on its pod network: the bridge's, the PodCIDR's first address. */
  public static String gateway(String podCidr) {
    return Cidr.parse(podCidr).address(1);
  }

  /**
   * Makes the node's network match its PodCIDR (blocking): kept if it does already (an agent that
   * restarts keeps its pods' addresses), made otherwise; one left from another PodCIDR (the Node
   * was deleted and registered again) goes, with the containers on it, whose pods are not this
   * node's any more. Returns the node's address.
   */
  public String ensure(String podCidr) {
    removeLegacyNetwork();
    String gateway = gateway(podCidr);
    Network existing = docker.network(name());
    if (existing != null) {
      if (subnetOf(existing).equals(podCidr)) return gateway;
      log.info("the pod network of node {} was {}, its PodCIDR is now {}: making it again", nodeName, subnetOf(existing), podCidr);
      removeWithContainers(existing);
    }
    try {
      create(podCidr, gateway);
    } catch (RuntimeException overlap) {
      // a node network left behind on this host (its cluster gone without `down`) may hold the range
      if (!removeAbandoned(podCidr)) throw overlap;
      create(podCidr, gateway);
    }
    return gateway;
  }

  private void create(String podCidr, String gateway) {
    docker.createBridge(name(), podCidr, gateway,
        Map.of("com.docker.network.bridge.enable_ip_masquerade", "false"),
        Map.of(ContainerLabels.NODE, nodeName));
  }

  /**
   * Removes another node's network on the same range if nothing runs on it any more; false when
   * there is none, or when it is in use (then the range is truly taken: two clusters on one host).
   */
  private boolean removeAbandoned(String podCidr) {
    for (Network n : docker.networks(ContainerLabels.NODE)) {
      if (n.getName().equals(name()) || !subnetOf(n).equals(podCidr)) continue;
      Network full = docker.network(n.getName());
      if (full == null) return true;
      if (full.getContainers() != null && !full.getContainers().isEmpty()) {
        throw new IllegalStateException("the pod network " + podCidr + " is taken on this host by " + n.getName()
            + ", which has containers: is another kubeactor cluster running here? (./kubeactor down stops it)");
      }
      log.info("removing {}, a pod network left behind on {}", n.getName(), podCidr);
      docker.removeNetwork(full.getId());
      return true;
    }
    return false;
  }

  /** The network left by an earlier version, shared by every node, and the pods' containers on it. */
  private void removeLegacyNetwork() {
    Network legacy = docker.network(LEGACY_NETWORK);
    if (legacy == null || !"10.244.0.0/16".equals(subnetOf(legacy))) return;
    log.info("removing the shared pod network of an earlier kubeactor ({}); its pods start again on their nodes' networks",
        LEGACY_NETWORK);
    removeWithContainers(legacy);
  }

  private void removeWithContainers(Network network) {
    if (network.getContainers() != null) {
      for (String id : network.getContainers().keySet()) {
        docker.stop(id, 2);
        docker.remove(id);
      }
    }
    docker.removeNetwork(network.getId());
  }

  private static String subnetOf(Network n) {
    if (n.getIpam() == null || n.getIpam().getConfig() == null) return "";
    for (var c : n.getIpam().getConfig()) {
      if (c.getSubnet() != null) return c.getSubnet();
    }
    return "";
  }
}
