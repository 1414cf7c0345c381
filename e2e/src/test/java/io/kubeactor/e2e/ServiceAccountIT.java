package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod's own credentials, as a pod on kind has them: the ServiceAccount volume (token, ca.crt,
 * namespace) mounted by its node's agent, with which the pod reaches the API server through the
 * kubernetes Service and may do what RBAC gives its ServiceAccount, no more.
 */
class ServiceAccountIT {
  static ClusterWithNodes c;
  static final String MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("serviceaccount",
        Map.of("kubeactor.api.advertise-address", ClusterWithNodes.dockerBridgeAddress()), List.of("sa-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  /** GET of a path of the API from inside the pod with its mounted token; wget's error line on a refusal. */
  static String fromThePod(String pod, String path) {
    return c.kubectl("exec", pod, "--", "sh", "-c", "wget -q -O - --no-check-certificate --header \"Authorization: Bearer "
        + "$(cat " + MOUNT + "/token)\" https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT" + path + " 2>&1").out();
  }

  @Test
  void aPodReadsItsNamespacesPodsWithItsOwnTokenOnlyWhenARoleBindingAllows() {
    c.ok("run", "client", "--image=busybox", "--restart=Never", "--", "sleep", "3600");
    c.awaitRunning("client");

    assertThat(c.jsonpath("pod/client", "{.spec.volumes[0].name}")).startsWith("kube-api-access-");
    assertThat(c.ok("exec", "client", "--", "cat", MOUNT + "/namespace")).isEqualTo("default");
    assertThat(c.ok("exec", "client", "--", "cat", MOUNT + "/ca.crt")).startsWith("-----BEGIN CERTIFICATE-----");
    String token = c.ok("exec", "client", "--", "cat", MOUNT + "/token");
    String review = c.kubectlWithInput("""
        {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "%s"}}""".formatted(token),
        "create", "-f", "-", "-o", "jsonpath={.status.user.username} {.status.user.extra.authentication\\.kubernetes\\.io/pod-name}")
        .outOrFail();
    assertThat(review).isEqualTo("system:serviceaccount:default:default [\"client\"]");

    assertThat(fromThePod("client", "/api/v1/namespaces/default/pods")).contains("403 Forbidden");
    c.ok("create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=default:default");
    ClusterWithNodes.awaitTrue(Duration.ofSeconds(20),
        () -> fromThePod("client", "/api/v1/namespaces/default/pods").contains("\"kind\":\"PodList\""));
    assertThat(fromThePod("client", "/api/v1/namespaces/kube-system/pods")).as("another namespace").contains("403 Forbidden");
  }

  @Test
  void automountOffMountsNothing() {
    c.ok("create", "serviceaccount", "quiet");
    c.ok("patch", "serviceaccount", "quiet", "-p", "{\"automountServiceAccountToken\": false}");
    c.ok("run", "quiet", "--image=busybox", "--restart=Never", "--overrides={\"spec\": {\"serviceAccountName\": \"quiet\"}}",
        "--", "sleep", "3600");
    c.awaitRunning("quiet");
    assertThat(c.ok("get", "pod", "quiet", "-o", "jsonpath={.spec.volumes}")).isEmpty();
    assertThat(c.kubectl("exec", "quiet", "--", "ls", MOUNT).exitCode()).isNotZero();
  }
}
