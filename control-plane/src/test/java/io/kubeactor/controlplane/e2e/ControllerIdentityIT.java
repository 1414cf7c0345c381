package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controllers act as their own ServiceAccounts, with upstream's roles (kube-controller-manager's
 * --use-service-account-credentials): shown with the real kubectl by taking a right away from one
 * controller's role and seeing that controller, and only it, refused.
 */
class ControllerIdentityIT {

  static final String REPLICASET_CONTROLLER = "system:serviceaccount:kube-system:replicaset-controller";
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static TestCluster.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  @Test
  void eachControllerHasItsServiceAccountAndItsRoleOnly() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        kubectl("get", "serviceaccounts", "-n", "kube-system", "-o", "name").outOrFail().lines())
        .contains("serviceaccount/replicaset-controller", "serviceaccount/deployment-controller",
            "serviceaccount/generic-garbage-collector", "serviceaccount/node-controller",
            "serviceaccount/certificate-controller", "serviceaccount/vpa-recommender"));
    assertThat(kubectl("auth", "can-i", "create", "pods", "--as", REPLICASET_CONTROLLER).out()).isEqualTo("yes\n");
    assertThat(kubectl("auth", "can-i", "create", "secrets", "--as", REPLICASET_CONTROLLER).out()).isEqualTo("no\n");
    assertThat(kubectl("auth", "can-i", "delete", "nodes", "--as", REPLICASET_CONTROLLER).out()).isEqualTo("no\n");
  }

  @Test
  void aReplicaSetControllerWithoutTheRightToCreatePodsIsRefusedAsAnyClientIs() {
    kubectl("create", "namespace", "identity").outOrFail();
    // the role's pod rule, as the bootstrap policy writes it, less "create"
    String role = "clusterrole/system:controller:replicaset-controller";
    String podRule = kubectl("get", role, "-o", "jsonpath={.rules[3]}").outOrFail();
    assertThat(podRule).contains("\"resources\":[\"pods\"]").contains("\"create\"");
    kubectl("patch", role, "--type=json",
        "-p", "[{\"op\":\"replace\",\"path\":\"/rules/3/verbs\",\"value\":[\"delete\",\"list\",\"patch\",\"watch\"]}]").outOrFail();
    try {
      cluster.kubectlWithInput("""
          apiVersion: apps/v1
          kind: ReplicaSet
          metadata: {name: web, namespace: identity}
          spec:
            replicas: 1
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec: {containers: [{name: main, image: nginx}]}
          """, "apply", "-f", "-").outOrFail();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          kubectl("get", "events", "-n", "identity", "--field-selector", "reason=FailedCreate",
              "-o", "jsonpath={.items[*].message}").outOrFail())
          .contains("Error creating: pods is forbidden: User \"" + REPLICASET_CONTROLLER
              + "\" cannot create resource \"pods\" in API group \"\" in the namespace \"identity\""));
      assertThat(kubectl("get", "pods", "-n", "identity", "-o", "name").outOrFail()).isEmpty();
    } finally {
      kubectl("patch", role, "--type=json",
          "-p", "[{\"op\":\"replace\",\"path\":\"/rules/3/verbs\",\"value\":[\"create\",\"delete\",\"list\",\"patch\",\"watch\"]}]")
          .outOrFail();
    }
    // given back the right, the controller makes its pod
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        kubectl("get", "pods", "-n", "identity", "-l", "app=web", "-o", "name").outOrFail()).startsWith("pod/web-"));
  }
}
