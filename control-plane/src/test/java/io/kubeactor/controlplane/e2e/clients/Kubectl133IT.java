package io.kubeactor.controlplane.e2e.clients;

import org.junit.jupiter.api.DisplayName;

/** The scenario driven by kubectl 1.33. */
@DisplayName("kubectl 1.33")
class Kubectl133IT extends KubectlScenario {
  Kubectl133IT() {
    super("1.33");
  }
}
