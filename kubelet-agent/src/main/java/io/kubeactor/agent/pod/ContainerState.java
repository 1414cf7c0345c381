package io.kubeactor.agent.pod;

import java.time.Instant;

/** A container's state as the pod's status reports it (core/v1 ContainerState). */
public sealed interface ContainerState {

  record Waiting(String reason, String message) implements ContainerState {}

  record Running(Instant startedAt) implements ContainerState {}

  record Terminated(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt, String containerId)
      implements ContainerState {}
}
