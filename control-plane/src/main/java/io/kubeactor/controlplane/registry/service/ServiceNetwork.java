package io.kubeactor.controlplane.registry.service;

import com.typesafe.config.Config;

/**
 * The cluster's Service ranges (kubeactor.services in application.conf), as kube-apiserver's
 * --service-cluster-ip-range and --service-node-port-range: the ClusterIPs come from the one,
 * NodePorts from the other. Checked when made, so a bad setting stops the control plane at start.
 */
public record ServiceNetwork(String clusterIpRange, String nodePortRange) {

  public ServiceNetwork {
    new ClusterIpAllocator(clusterIpRange);
    new NodePortAllocator(nodePortRange);
  }

  public static ServiceNetwork defaults() {
    return new ServiceNetwork("10.96.0.0/12", "30000-32767");
  }

  public static ServiceNetwork from(Config kubeactor) {
    return new ServiceNetwork(kubeactor.getString("services.cluster-ip-range"), kubeactor.getString("services.node-port-range"));
  }

  /** The kubernetes Service's address: the range's first (10.96.0.1), as kube-apiserver takes it. */
  public String kubernetesServiceIp() {
    return new ClusterIpAllocator(clusterIpRange).address(1);
  }

  /** The cluster DNS Service's address: the range's tenth (10.96.0.10), as kubeadm takes it. */
  public String dnsServiceIp() {
    return new ClusterIpAllocator(clusterIpRange).address(10);
  }
}
