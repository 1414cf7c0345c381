package io.kubeactor.agent.stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.kubeactor.agent.runtime.ContainerLabels;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A pod's network from Docker: its newest sandbox (pause) container, found by the labels the pod worker sets. */
final class DockerPodNetworks implements PodNetworks {
  private final DockerClient docker;
  private final String nodeName;

  DockerPodNetworks(DockerClient docker, String nodeName) {
    this.docker = docker;
    this.nodeName = nodeName;
  }

  @Override
  public PodNetwork of(String namespace, String pod) {
    List<Container> sandboxes = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerLabels.NODE, nodeName, ContainerLabels.POD_NAMESPACE, namespace,
            ContainerLabels.POD_NAME, pod, ContainerLabels.TYPE, ContainerLabels.TYPE_SANDBOX))
        .exec();
    Container newest = sandboxes.stream().max(Comparator.comparing(Container::getCreated))
        .orElseThrow(() -> StreamException.notFound("pod does not exist"));
    InspectContainerResponse sandbox = docker.inspectContainerCmd(newest.getId()).exec();
    if (!Boolean.TRUE.equals(sandbox.getState().getRunning())) {
      // containerd's words for a sandbox that is not ready
      throw new StreamException(500, "sandbox container \"" + sandbox.getId() + "\" is not running");
    }
    // the sandbox is on the node's one pod network
    Map<String, ContainerNetwork> networks = sandbox.getNetworkSettings() == null ? Map.of()
        : sandbox.getNetworkSettings().getNetworks();
    String ip = networks == null ? null : networks.values().stream().map(ContainerNetwork::getIpAddress)
        .filter(a -> a != null && !a.isEmpty()).findFirst().orElse(null);
    if (ip == null) throw new StreamException(500, "sandbox container \"" + sandbox.getId() + "\" has no IP address");
    return new PodNetwork(sandbox.getId(), ip);
  }
}
