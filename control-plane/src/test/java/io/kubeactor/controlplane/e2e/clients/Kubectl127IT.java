package io.kubeactor.controlplane.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.e2e.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scenario driven by kubectl 1.27. Its exec speaks SPDY/3.1 only (WebSocket came in kubectl
 * 1.29 behind a flag, on by default from 1.30), which kubeactor does not serve for exec: the request
 * reaches the agent, which speaks WebSocket only, and its refusal reaches kubectl. Its logs work.
 */
@DisplayName("kubectl 1.27")
class Kubectl127IT extends KubectlScenario {
  Kubectl127IT() {
    super("1.27");
  }

  @Test
  @Override
  void logsAndExecReachTheRunningPod() {
    runningPod("streams");
    assertThat(kubectl("logs", "runner", "-n", "streams").outOrFail()).isEqualTo("query=\nhello from main\n");
    TestCluster.Result exec = kubectl("exec", "runner", "-n", "streams", "--", "echo", "hello");
    assertThat(exec.exitCode()).isEqualTo(1);
    assertThat(exec.out()).isEmpty();
    // the agent's refusal is text ("unable to upgrade: only WebSocket is served here ..."), which
    // client-go 1.27 decodes as YAML into a Status without a message: kubectl says no more than this
    assertThat(exec.err()).isEqualTo("Error from server: \n");
  }
}
