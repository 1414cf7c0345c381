package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.ClusterCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who a request is from and what it may do, through the real kubectl: the admin's client
 * certificate, impersonation, the review APIs (auth whoami, auth can-i) and the 401 and 403 answers.
 */
class AuthIT {

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
  void theAdminIsKubernetesAdminInSystemMasters() {
    String whoami = kubectl("auth", "whoami").outOrFail();
    assertThat(whoami).containsPattern("ATTRIBUTE\\s+VALUE")
        .containsPattern("Username\\s+kubernetes-admin")
        .containsPattern("Groups\\s+\\[system:masters system:authenticated\\]");
    assertThat(kubectl("auth", "can-i", "create", "pods").outOrFail().strip()).isEqualTo("yes");
    assertThat(kubectl("auth", "can-i", "delete", "nodes", "--all-namespaces").outOrFail().strip()).isEqualTo("yes");
  }

  @Test
  void impersonatedUsersAreRefusedWhatNoRoleGivesThem() {
    String whoami = kubectl("auth", "whoami", "--as", "jane", "--as-group", "devs").outOrFail();
    assertThat(whoami).containsPattern("Username\\s+jane").containsPattern("Groups\\s+\\[devs system:authenticated\\]");
    TestCluster.Result list = kubectl("get", "configmaps", "--as", "jane");
    assertThat(list.exitCode()).isNotZero();
    assertThat(list.err()).contains("Error from server (Forbidden): configmaps is forbidden: User \"jane\" cannot list "
        + "resource \"configmaps\" in API group \"\" in the namespace \"default\"");
    TestCluster.Result canI = kubectl("auth", "can-i", "create", "configmaps", "--as", "jane");
    assertThat(canI.exitCode()).isEqualTo(1);
    assertThat(canI.out().strip()).isEqualTo("no");
  }

  @Test
  void aServiceAccountIsImpersonatedWithItsGroups() {
    String whoami = kubectl("auth", "whoami", "--as", "system:serviceaccount:default:default").outOrFail();
    assertThat(whoami).containsPattern("Username\\s+system:serviceaccount:default:default")
        .containsPattern("Groups\\s+\\[system:serviceaccounts system:serviceaccounts:default system:authenticated\\]");
  }

  @Test
  void aCertificateOfAnotherCaIsUnauthorized() throws Exception {
    Path other = Files.createTempDirectory("other-cluster");
    var stranger = ClusterCertificates.loadOrCreate(other, List.of(), List.of())
        .loadOrIssueClient("admin", "kubernetes-admin", List.of("system:masters"));
    Path kubeconfig = other.resolve("kubeconfig");
    Files.writeString(kubeconfig, Files.readString(cluster.kubeconfig())
        .replace(cluster.controlPlane().admin().certificateFile().toString(), stranger.certificateFile().toString())
        .replace(cluster.controlPlane().admin().keyFile().toString(), stranger.keyFile().toString()));
    TestCluster.Result r = TestCluster.kubectl(kubeconfig, other, null, "get", "pods");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("error: You must be logged in to the server");
  }

  @Test
  void withoutCredentialsOnlyHealthIsAnswered() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(cluster.server() + "/api/v1/pods")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).contains("\"reason\":\"Unauthorized\"");
  }
}
