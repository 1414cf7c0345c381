package io.kubeactor.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubeactor.common.Json;
import org.junit.jupiter.api.Test;

/** The rolling update's fenceposts as Kubernetes resolves them. */
class DeploymentsTest {

  private static Deployment rolling(int replicas, String maxSurge, String maxUnavailable) {
    String yaml = "{spec: {replicas: " + replicas + ", strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: "
        + maxSurge + ", maxUnavailable: " + maxUnavailable + "}}}}";
    try {
      return Json.fromTree(Json.YAML.readTree(yaml), Deployment.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void surgeRoundsUpAndUnavailabilityDown() {
    Deployment d = rolling(3, "'25%'", "'25%'");
    assertThat(Deployments.maxSurge(d)).isEqualTo(1);
    assertThat(Deployments.maxUnavailable(d)).isEqualTo(0);
    Deployment ten = rolling(10, "'25%'", "'25%'");
    assertThat(Deployments.maxSurge(ten)).isEqualTo(3);
    assertThat(Deployments.maxUnavailable(ten)).isEqualTo(2);
  }

  @Test
  void bothRoundingToZeroAllowOneUnavailableAndUnavailabilityNeverExceedsReplicas() {
    Deployment d = rolling(2, "'1%'", "'1%'");
    assertThat(Deployments.maxSurge(d)).isEqualTo(1);
    Deployment noSurge = rolling(2, "0", "'1%'");
    assertThat(Deployments.maxSurge(noSurge)).isEqualTo(0);
    assertThat(Deployments.maxUnavailable(noSurge)).isEqualTo(1);
    assertThat(Deployments.maxUnavailable(rolling(2, "0", "5"))).isEqualTo(2);
    assertThat(Deployments.maxUnavailable(rolling(0, "1", "1"))).isEqualTo(0);
  }
}
