package io.kubeactor.agent.stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.kubeactor.agent.runtime.ContainerLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Docker containers of a pod's container by the {@link ContainerLabels} the pod worker puts
 * on every container it creates. After restarts several instances exist: the newest is the current one, the
 * one before it is the previous one ({@code kubectl logs --previous}).
 */
public final class PodContainers {
  /** One Docker container of a pod's container: its id, when it was created, whether it runs and has a terminal. */
  public record Instance(String id, Instant created, boolean running, boolean tty) {}

  private final DockerClient docker;
  private final String nodeName;

  public PodContainers(DockerClient docker, String nodeName) {
    this.docker = docker;
    this.nodeName = nodeName;
  }

  /**
   * The instances of a pod's container, newest first. When a pod was deleted and created again under
   * the same name, only the newest pod's instances count.
   */
  public List<Instance> instances(String namespace, String pod, String container) {
    List<Container> found = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerLabels.NODE, nodeName, ContainerLabels.POD_NAMESPACE, namespace,
            ContainerLabels.POD_NAME, pod, ContainerLabels.CONTAINER_NAME, container,
            ContainerLabels.TYPE, ContainerLabels.TYPE_CONTAINER))
        .exec();
    // Docker lists creation times in whole seconds: the inspected time orders restarts within a second
    List<InspectedInstance> inspected = new ArrayList<>();
    for (Container c : found) {
      try {
        InspectContainerResponse i = docker.inspectContainerCmd(c.getId()).exec();
        inspected.add(new InspectedInstance(c.getLabels().getOrDefault(ContainerLabels.POD_UID, ""), new Instance(i.getId(),
            Instant.parse(i.getCreated()), Boolean.TRUE.equals(i.getState().getRunning()),
            i.getConfig() != null && Boolean.TRUE.equals(i.getConfig().getTty()))));
      } catch (NotFoundException removedMeanwhile) {
        // the pod worker removed an old instance while we looked
      }
    }
    inspected.sort(Comparator.comparing((InspectedInstance i) -> i.instance().created()).reversed());
    if (inspected.isEmpty()) return List.of();
    String newestPod = inspected.get(0).podUid();
    return inspected.stream().filter(i -> i.podUid().equals(newestPod)).map(InspectedInstance::instance).toList();
  }

  private record InspectedInstance(String podUid, Instance instance) {}

  /** The instance whose logs kubelet would show: the current one, or with previous the one before it. */
  public Instance forLogs(String namespace, String pod, String container, boolean previous) {
    List<Instance> all = instances(namespace, pod, container);
    if (previous) {
      if (all.size() < 2) {
        throw StreamException.badRequest("previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found");
      }
      return all.get(1);
    }
    if (all.isEmpty()) {
      // the pod worker has not created it yet: kubelet reports the waiting reason it would show
      throw StreamException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: ContainerCreating");
    }
    return all.get(0);
  }

  /** The running instance, for exec and attach; kubelet's words when there is none. */
  public Instance running(String namespace, String pod, String container) {
    Optional<Instance> current = instances(namespace, pod, container).stream().findFirst().filter(Instance::running);
    return current.orElseThrow(() -> StreamException.notFound("container not found (\"" + container + "\")"));
  }
}
