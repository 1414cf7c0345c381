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
  /** An image with a TLS client: the ingress controller's, which ClusterWithNodes builds. */
  static final String IMAGE = "kubeactor/ingress-nginx-controller:0.1.0";

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("serviceaccount",
        Map.of("kubeactor.api.advertise-address", ClusterWithNodes.dockerBridgeAddress()), List.of("sa-node"));
    c.buildImages();
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  /**
   * GET of a path of the API from inside the pod, with its mounted token, trusting the API server by
   * the mounted CA: openssl (in the ingress controller's image; busybox's wget speaks no TLS a modern
   * server accepts) writes the HTTP response.
   */
  static String fromThePod(String pod, String path) {
    return c.kubectl("exec", pod, "--", "sh", "-c", "printf 'GET " + path + " HTTP/1.1\\r\\nHost: kubernetes\\r\\n"
        + "Authorization: Bearer %s\\r\\nConnection: close\\r\\n\\r\\n' \"$(cat " + MOUNT + "/token)\" | openssl s_client "
        + "-quiet -verify_return_error -CAfile " + MOUNT + "/ca.crt -connect $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT "
        + "2>/dev/null").out();
  }

  @Test
  void aPodReadsItsNamespacesPodsWithItsOwnTokenOnlyWhenARoleBindingAllows() {
    c.ok("run", "client", "--image=" + IMAGE, "--image-pull-policy=IfNotPresent", "--restart=Never", "--command", "--",
        "sleep", "3600");
    c.awaitRunning("client");

    assertThat(c.jsonpath("pod/client", "{.spec.volumes[0].name}")).startsWith("kube-api-access-");
    assertThat(c.ok("exec", "client", "--", "cat", MOUNT + "/namespace")).isEqualTo("default");
    assertThat(c.ok("exec", "client", "--", "cat", MOUNT + "/ca.crt")).startsWith("-----BEGIN CERTIFICATE-----");
    String token = c.ok("exec", "client", "--", "cat", MOUNT + "/token");
    String review = c.kubectlWithInput("""
        {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "%s"}}""".formatted(token),
        "create", "--raw", "/apis/authentication.k8s.io/v1/tokenreviews", "-f", "-").outOrFail();
    assertThat(review).contains("\"authenticated\":true", "\"username\":\"system:serviceaccount:default:default\"",
        "\"authentication.kubernetes.io/pod-name\":[\"client\"]");

    assertThat(fromThePod("client", "/api/v1/namespaces/default/pods")).contains("HTTP/1.1 403 Forbidden");
    c.ok("create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=default:default");
    ClusterWithNodes.awaitTrue(Duration.ofSeconds(20),
        () -> fromThePod("client", "/api/v1/namespaces/default/pods").contains("\"kind\":\"PodList\""));
    assertThat(fromThePod("client", "/api/v1/namespaces/kube-system/pods")).as("another namespace").contains("HTTP/1.1 403 Forbidden");
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
