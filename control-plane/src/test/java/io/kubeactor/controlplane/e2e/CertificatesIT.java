package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.bootstrap.BootstrapTokens;
import io.kubeactor.controlplane.security.certificates.TestRequests;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's TLS bootstrap as kubeadm sets it up, through the API and the real kubectl: a bootstrap
 * token's Secret, a kubelet client CSR posted with that token, auto-approved and issued by the
 * cluster CA; kubectl certificate approve of a user's client CSR; a malformed request refused.
 */
class CertificatesIT {

  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/readyz", null, null).body().equals("ok"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.server() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (token != null) request.header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String csrJson(String name, String pem, String signerName, String... usages) {
    com.fasterxml.jackson.databind.node.ObjectNode csr = Json.object()
        .put("apiVersion", "certificates.k8s.io/v1").put("kind", "CertificateSigningRequest");
    csr.putObject("metadata").put("name", name);
    com.fasterxml.jackson.databind.node.ObjectNode spec = csr.putObject("spec")
        .put("request", TestRequests.base64(pem)).put("signerName", signerName);
    for (String usage : usages) spec.withArrayProperty("usages").add(usage);
    return csr.toString();
  }

  private static X509Certificate issued(String name) throws Exception {
    String certificate = cluster.kubectl("get", "csr", name, "-o", "jsonpath={.status.certificate}").outOrFail();
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(certificate)));
  }

  @Test
  void aNodeWithABootstrapTokenGetsItsClientCertificate() throws Exception {
    BootstrapTokens.Token token = BootstrapTokens.generate();
    String secret = Json.toTree(BootstrapTokens.nodeJoinSecret(token, Instant.now(), "CertificatesIT")).toString();
    assertThat(send("POST", "/api/v1/namespaces/kube-system/secrets", cluster.controlPlane().tokens().adminToken(), secret)
        .statusCode()).isEqualTo(201);

    String name = "node-csr-" + token.id();
    HttpResponse<String> created = send("POST", "/apis/certificates.k8s.io/v1/certificatesigningrequests", token.value(),
        csrJson(name, TestRequests.pem("system:node:worker-1", "system:nodes"), "kubernetes.io/kube-apiserver-client-kubelet",
            "digital signature", "client auth"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode spec = Json.parse(created.body().getBytes()).path("spec");
    assertThat(spec.path("username").asText()).isEqualTo("system:bootstrap:" + token.id());

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        cluster.kubectl("get", "csr", name, "--no-headers").out().contains("Approved,Issued"));
    String table = cluster.kubectl("get", "csr", name).outOrFail();
    assertThat(table).containsPattern("NAME\\s+AGE\\s+SIGNERNAME\\s+REQUESTOR\\s+REQUESTEDDURATION\\s+CONDITION")
        .containsPattern(name + "\\s+\\S+\\s+kubernetes.io/kube-apiserver-client-kubelet\\s+system:bootstrap:" + token.id()
            + "\\s+<none>\\s+Approved,Issued");
    X509Certificate certificate = issued(name);
    certificate.verify(cluster.controlPlane().certificates().ca().getPublicKey());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-1,O=system:nodes");

    // the token reaches nothing but what bootstrapping needs; a wrong secret is no one
    assertThat(send("GET", "/api/v1/namespaces/default/pods", token.value(), null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests", token.id() + ".0000000000000000", null)
        .statusCode()).isEqualTo(401);
  }

  @Test
  void kubectlCertificateApproveIssuesAUsersClientCertificate() throws Exception {
    String manifest = csrJson("jane", TestRequests.pem("jane", "devs"), "kubernetes.io/kube-apiserver-client", "client auth");
    cluster.kubectlWithInput(manifest, "create", "-f", "-").outOrFail();
    assertThat(cluster.kubectl("get", "csr", "jane", "--no-headers").outOrFail()).contains("Pending");
    assertThat(cluster.kubectl("certificate", "approve", "jane").outOrFail().strip())
        .isEqualTo("certificatesigningrequest.certificates.k8s.io/jane approved");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        cluster.kubectl("get", "csr", "jane", "--no-headers").out().contains("Approved,Issued"));
    X509Certificate certificate = issued("jane");
    certificate.verify(cluster.controlPlane().certificates().ca().getPublicKey());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=jane,O=devs");

    cluster.kubectlWithInput(csrJson("joe", TestRequests.pem("joe", "devs"), "kubernetes.io/kube-apiserver-client",
        "client auth"), "create", "-f", "-").outOrFail();
    assertThat(cluster.kubectl("certificate", "deny", "joe").outOrFail().strip())
        .isEqualTo("certificatesigningrequest.certificates.k8s.io/joe denied");
    assertThat(cluster.kubectl("get", "csr", "--field-selector", "spec.signerName=kubernetes.io/kube-apiserver-client",
        "-o", "custom-columns=NAME:.metadata.name,CONDITION:.status.conditions[*].type", "--no-headers").outOrFail())
        .containsPattern("jane\\s+Approved").containsPattern("joe\\s+Denied");
  }

  @Test
  void aRequestThatIsNotPemIsInvalid() {
    String manifest = "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
        + "\"metadata\":{\"name\":\"bad\"},\"spec\":{\"request\":\"aGk=\",\"signerName\":\"example.com/x\","
        + "\"usages\":[\"client auth\"]}}";
    TestCluster.Result r = cluster.kubectlWithInput(manifest, "create", "-f", "-");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err().strip()).isEqualTo("The CertificateSigningRequest \"bad\" is invalid: spec.request: Invalid value:"
        + " []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST");
  }
}
