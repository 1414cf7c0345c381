package io.kubeactor.agent.pod;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one sync of a pod: its sandbox, the state of each container (init, regular and
 * ephemeral), and when the worker should sync again even if nothing happens (a back-off expiring),
 * or null.
 */
public record Observation(boolean sandboxReady, String podIp, List<ObservedContainer> initContainers,
    List<ObservedContainer> containers, List<ObservedContainer> ephemeralContainers, Duration syncAgainIn,
    boolean removed) {

  public static Observation removedPod() {
    return new Observation(false, null, List.of(), List.of(), List.of(), null, true);
  }
}
