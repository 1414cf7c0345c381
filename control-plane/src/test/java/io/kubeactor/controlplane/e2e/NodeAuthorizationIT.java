package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.ClusterCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's credential through the real kubectl (a client certificate of the cluster CA for
 * system:node:n1 in system:nodes): the Node authorizer lets it read the Secret of a pod bound to it and
 * nothing else, and NodeRestriction lets it change only its own Node and pods, with upstream's 403s.
 */
class NodeAuthorizationIT {

  static TestCluster cluster;
  static Path nodeKubeconfig;
  static Path dir;
  static HttpClient nodeHttp;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    cluster.kubectlWithInput("""
        apiVersion: v1
        kind: Node
        metadata: {name: n1}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: n2}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: mine, namespace: default}
        stringData: {key: n1's}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: theirs, namespace: default}
        stringData: {key: n2's}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: on-n1, namespace: default}
        spec:
          nodeName: n1
          containers: [{name: c, image: busybox, envFrom: [{secretRef: {name: mine}}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: on-n2, namespace: default}
        spec:
          nodeName: n2
          containers: [{name: c, image: busybox}]
          volumes: [{name: s, secret: {secretName: theirs}}]
        """, "apply", "-f", "-").outOrFail();
    dir = Files.createTempDirectory("node-n1");
    ClusterCertificates.ClientCredential n1 = cluster.controlPlane().certificates()
        .loadOrIssueClient("node-n1", "system:node:n1", List.of("system:nodes"));
    nodeHttp = HttpClient.newBuilder().sslContext(clientContext(n1, cluster.controlPlane().certificates().ca())).build();
    nodeKubeconfig = dir.resolve("kubeconfig");
    Files.writeString(nodeKubeconfig, Files.readString(cluster.kubeconfig())
        .replace(cluster.controlPlane().admin().certificateFile().toString(), n1.certificateFile().toString())
        .replace(cluster.controlPlane().admin().keyFile().toString(), n1.keyFile().toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  /** TLS presenting the node's certificate, trusting the cluster CA: what an agent holds. */
  static SSLContext clientContext(ClusterCertificates.ClientCredential credential, X509Certificate ca) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("node", credential.key(), new char[0], new Certificate[] {credential.certificate()});
    KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    km.init(keys, new char[0]);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tm.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
    return context;
  }

  /**
   * A merge patch of a status as a kubelet sends it (kubectl patch --subresource=status reads the
   * subresource first, which the system:node role does not grant: upstream refuses that GET too).
   */
  static HttpResponse<String> patchStatus(String path, String patch) throws Exception {
    return nodeHttp.send(HttpRequest.newBuilder(URI.create(cluster.server() + path + "/status"))
        .header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static TestCluster.Result asNode(String... args) {
    return TestCluster.kubectl(nodeKubeconfig, dir, null, args);
  }

  @Test
  void theNodeIsWhoItsCertificateSays() {
    assertThat(asNode("auth", "whoami").outOrFail()).containsPattern("Username\\s+system:node:n1")
        .containsPattern("Groups\\s+\\[system:nodes system:authenticated\\]");
  }

  @Test
  void theNodeReadsTheSecretOfItsOwnPodOnly() {
    // the graph follows the informers: the pod's Secret becomes readable a moment after the pod is stored
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> asNode("get", "secret", "mine", "-o", "jsonpath={.metadata.name}").out().equals("mine"));
    TestCluster.Result theirs = asNode("get", "secret", "theirs");
    assertThat(theirs.exitCode()).isNotZero();
    assertThat(theirs.err()).contains("Error from server (Forbidden): secrets \"theirs\" is forbidden: User \"system:node:n1\" "
        + "cannot get resource \"secrets\" in API group \"\" in the namespace \"default\": "
        + "no relationship found between node 'n1' and this object");
    TestCluster.Result all = asNode("get", "secrets");
    assertThat(all.err()).contains("secrets is forbidden: User \"system:node:n1\" cannot list resource \"secrets\" in API group \"\" "
        + "in the namespace \"default\": No Object name found");
  }

  @Test
  void theNodeListsThePodsBoundToItByFieldSelectorOnly() {
    assertThat(asNode("get", "pods", "-A", "--field-selector", "spec.nodeName=n1", "-o", "name").outOrFail().strip())
        .isEqualTo("pod/on-n1");
    TestCluster.Result unselected = asNode("get", "pods", "-A");
    assertThat(unselected.err()).contains("pods is forbidden: User \"system:node:n1\" cannot list resource \"pods\" in API group \"\" "
        + "at the cluster scope: can only list/watch pods with spec.nodeName field selector");
  }

  @Test
  void theNodeChangesItsOwnNodeStatusButNotAnothers() throws Exception {
    String widgets = "{\"status\":{\"capacity\":{\"example.com/widgets\":\"2\"}}}";
    assertThat(patchStatus("/api/v1/nodes/n1", widgets).statusCode()).isEqualTo(200);
    HttpResponse<String> other = patchStatus("/api/v1/nodes/n2", widgets);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("\"message\":\"nodes \\\"n2\\\" is forbidden: node \\\"n1\\\" is not allowed to "
        + "modify node \\\"n2\\\"\"", "\"reason\":\"Forbidden\"");
    assertThat(cluster.kubectl("get", "node", "n2", "-o", "jsonpath={.status.capacity}").outOrFail()).doesNotContain("widgets");
    assertThat(cluster.kubectl("get", "node", "n1", "-o", "jsonpath={.status.capacity}").outOrFail()).contains("widgets");
  }

  @Test
  void theNodeDeletesAndWritesTheStatusOfItsOwnPodsOnly() throws Exception {
    String message = "{\"status\":{\"message\":\"seen\"}}";
    HttpResponse<String> status = patchStatus("/api/v1/namespaces/default/pods/on-n2", message);
    assertThat(status.statusCode()).isEqualTo(403);
    assertThat(status.body()).contains("pods \\\"on-n2\\\" is forbidden: node \\\"n1\\\" can only update "
        + "pod status for pods with spec.nodeName set to itself");
    assertThat(patchStatus("/api/v1/namespaces/default/pods/on-n1", message).statusCode()).isEqualTo(200);
    TestCluster.Result delete = asNode("delete", "pod", "on-n2", "--wait=false");
    assertThat(delete.err()).contains("Error from server (Forbidden): pods \"on-n2\" is forbidden: node \"n1\" can only delete "
        + "pods with spec.nodeName set to itself");
    assertThat(cluster.kubectl("get", "pod", "on-n2", "-o", "name").outOrFail().strip()).isEqualTo("pod/on-n2");
  }
}
