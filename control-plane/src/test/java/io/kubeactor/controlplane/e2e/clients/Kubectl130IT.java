package io.kubeactor.controlplane.e2e.clients;

import org.junit.jupiter.api.DisplayName;

/** The scenario driven by kubectl 1.30. */
@DisplayName("kubectl 1.30")
class Kubectl130IT extends KubectlScenario {
  Kubectl130IT() {
    super("1.30");
  }
}
