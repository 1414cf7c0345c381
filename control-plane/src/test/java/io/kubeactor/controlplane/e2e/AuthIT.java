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

  static HttpResponse<String> get(String path, String token) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(cluster.controlPlane().certificates().clientContext()).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.server() + path));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutCredentialsOnlyHealthAndVersionAreAnswered() throws Exception {
    HttpResponse<String> api = get("/api/v1/pods", null);
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).contains("\"reason\":\"Unauthorized\"");
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get("/readyz", null).body()).as("ready: the bootstrap roles are in place").isEqualTo("ok");
    assertThat(get("/version", null).body()).contains("\"gitVersion\"");
  }

  @Test
  void aServiceAccountTokenReadsWhatARoleBindingAllowsAndNothingElse() throws Exception {
    kubectl("create", "namespace", "team-a").outOrFail();
    kubectl("-n", "team-a", "create", "serviceaccount", "reader").outOrFail();
    String token = kubectl("-n", "team-a", "create", "token", "reader", "--duration=10m").outOrFail().strip();
    HttpResponse<String> denied = get("/api/v1/namespaces/team-a/pods", token);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("pods is forbidden: User \\\"system:serviceaccount:team-a:reader\\\" cannot list "
        + "resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"team-a\\\"");

    kubectl("-n", "team-a", "create", "rolebinding", "reader-view", "--clusterrole=view", "--serviceaccount=team-a:reader")
        .outOrFail();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> get("/api/v1/namespaces/team-a/pods", token).statusCode() == 200);
    assertThat(get("/api/v1/namespaces/default/pods", token).statusCode()).as("another namespace").isEqualTo(403);
    assertThat(get("/api/v1/namespaces/team-a/secrets", token).statusCode()).as("view reads no secrets").isEqualTo(403);
    assertThat(kubectl("auth", "can-i", "list", "pods", "-n", "team-a", "--as", "system:serviceaccount:team-a:reader")
        .out().strip()).isEqualTo("yes");

    String rules = kubectl("auth", "can-i", "--list", "-n", "team-a", "--as", "system:serviceaccount:team-a:reader").outOrFail();
    assertThat(rules).containsPattern("Resources\\s+Non-Resource URLs\\s+Resource Names\\s+Verbs")
        .containsPattern("pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]")
        .containsPattern("selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]");
  }

  @Test
  void aTokenThatDoesNotHoldIsUnauthorized() throws Exception {
    kubectl("create", "namespace", "team-b").outOrFail();
    kubectl("-n", "team-b", "create", "serviceaccount", "gone").outOrFail();
    String token = kubectl("-n", "team-b", "create", "token", "gone").outOrFail().strip();
    assertThat(get("/api", token).statusCode()).isEqualTo(200);
    String[] parts = token.split("\\.");
    assertThat(get("/api", parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA")
        .statusCode()).as("forged signature").isEqualTo(401);
    kubectl("-n", "team-b", "delete", "serviceaccount", "gone").outOrFail();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> get("/api", token).statusCode() == 401);
    TestCluster.Result tooShort = kubectl("-n", "team-b", "create", "token", "default", "--duration=5m");
    assertThat(tooShort.err()).contains("may not specify a duration less than 10 minutes");
  }

  @Test
  void anRbacObjectThatDoesNotValidateIsRefusedAndNothingIsStored() {
    TestCluster.Result r = cluster.kubectlWithInput("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: broken, namespace: default}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ""}
        subjects: [{kind: User, name: jane}]
        """, "apply", "-f", "-");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("The RoleBinding \"broken\" is invalid: roleRef.name: Required value");
    assertThat(kubectl("get", "rolebinding", "broken").err()).contains("NotFound");
  }

  @Test
  void anRbacNameOfAnyPathSegmentReadsBackByItsEscapedUrl() {
    // RBAC names are path segments (upstream's rule): kubectl escapes this one in the URL
    kubectl("create", "clusterrole", "\u202Eréader+1", "--verb=get", "--resource=pods").outOrFail();
    assertThat(kubectl("get", "clusterrole", "\u202Eréader+1", "-o", "jsonpath={.rules[0].verbs[0]}").outOrFail())
        .isEqualTo("get");
    kubectl("delete", "clusterrole", "\u202Eréader+1").outOrFail();
  }

  @Test
  void grantingWhatOneDoesNotHoldIsRefused() {
    kubectl("create", "namespace", "team-c").outOrFail();
    kubectl("-n", "team-c", "create", "rolebinding", "jane-admin", "--clusterrole=admin", "--user=jane").outOrFail();
    // admin may bind roles in its namespace, but not grant what it does not hold itself
    kubectl("-n", "team-c", "create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "--as", "jane").outOrFail();
    TestCluster.Result r = kubectl("-n", "team-c", "create", "rolebinding", "jane-root", "--clusterrole=cluster-admin",
        "--user=jane", "--as", "jane");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io \"jane-root\" is "
        + "forbidden: user \"jane\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:");
  }
}
