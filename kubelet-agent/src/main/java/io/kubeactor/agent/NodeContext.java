package io.kubeactor.agent;

import io.kubeactor.agent.pod.ObjectReader;
import io.kubeactor.agent.pod.PodResolvConf;
import io.kubeactor.agent.pod.ServiceLister;
import io.kubeactor.agent.probe.Prober;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.agent.volume.VolumeManager;
import java.util.concurrent.ExecutorService;

/**
 * What every pod worker of a node shares: the node's name and address, the Docker runtime, the
 * volume manager, the prober, a way to read the objects pods refer to, the cluster's Services (for
 * the containers' service variables), the threads that may block on Docker, and the pods'
 * resolv.conf writer.
 */
public record NodeContext(String nodeName, String hostIp, java.nio.file.Path dataDir, DockerRuntime docker, VolumeManager volumes, Prober prober,
    ObjectReader reader, ServiceLister services, String podNetwork, String pauseImage, String dockerVersion,
    ExecutorService blocking, PodResolvConf resolvConf) {

  /** The same node once its pod network exists: the Docker network's name and the node's address on it. */
  public NodeContext withNetwork(String network, String address) {
    return new NodeContext(nodeName, address, dataDir, docker, volumes, prober, reader, services, network, pauseImage,
        dockerVersion, blocking, resolvConf);
  }
}
