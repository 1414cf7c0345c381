package io.kubeactor.agent.pod;

/**
 * What the agent knows of one of a pod's containers after a sync: its current instance (containerId
 * null when none was created yet), the state, the previous instance's end, and how often it restarted.
 */
public record ObservedContainer(String name, String image, String imageId, String containerId, int restartCount,
    ContainerState state, ContainerState.Terminated lastTerminated) {

  public boolean running() {
    return state instanceof ContainerState.Running;
  }
}
