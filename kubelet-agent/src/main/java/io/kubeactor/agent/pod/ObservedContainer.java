package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the agent knows of one of a pod's containers after a sync: its current instance (containerId
 * null when none was created yet), the state, the previous instance's end, and how often it restarted;
 * for a running container also its allocated requests, the resources its cgroup applies (as kubelet's
 * status reports them), and why its last in-place resize failed (null if it did not).
 */
public record ObservedContainer(String name, String image, String imageId, String containerId, int restartCount,
    ContainerState state, ContainerState.Terminated lastTerminated, ObjectNode allocatedResources, ObjectNode resources,
    String resizeError) {

  /** A container without applied resources (not running). */
  public ObservedContainer(String name, String image, String imageId, String containerId, int restartCount,
      ContainerState state, ContainerState.Terminated lastTerminated) {
    this(name, image, imageId, containerId, restartCount, state, lastTerminated, null, null, null);
  }

  /** The same without the resources, as an ephemeral container reports none (it has no resources of its own). */
  public ObservedContainer withoutResources() {
    return new ObservedContainer(name, image, imageId, containerId, restartCount, state, lastTerminated);
  }

  public boolean running() {
    return state instanceof ContainerState.Running;
  }
}
