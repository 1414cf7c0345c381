package io.kubeactor.controlplane.security.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.Tokens;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestAuthenticatorTest {

  @TempDir Path dataDir;
  @TempDir Path otherClusterDir;

  private ClusterCertificates certificates;
  private Tokens tokens;
  private RequestAuthenticator authenticator;

  @BeforeEach
  void start() {
    certificates = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    tokens = Tokens.loadOrCreate(dataDir);
    authenticator = new RequestAuthenticator(new X509Authenticator(certificates.ca(), Clock.systemUTC()), List.of(tokens));
  }

  private static X509Certificate[] chain(ClusterCertificates.ClientCredential c) {
    return new X509Certificate[] {c.certificate()};
  }

  @Test
  void aClientCertificateOfTheClusterCaNamesTheUserAndGroups() {
    var admin = certificates.loadOrIssueClient("admin", "kubernetes-admin", List.of("system:masters"));

    Authentication a = authenticator.authenticate(chain(admin), null, "/api/v1/pods");

    assertThat(a.user()).contains(new UserInfo("kubernetes-admin", "",
        List.of("system:masters", "system:authenticated"), java.util.Map.of()));
  }

  @Test
  void theClientCertificateIsKeptUntilItNearsExpiryOrChangesSubject() {
    var first = certificates.loadOrIssueClient("admin", "kubernetes-admin", List.of("system:masters"));
    assertThat(certificates.loadOrIssueClient("admin", "kubernetes-admin", List.of("system:masters")).certificate())
        .isEqualTo(first.certificate());
    assertThat(certificates.loadOrIssueClient("admin", "jane", List.of()).certificate()).isNotEqualTo(first.certificate());
  }

  @Test
  void aCertificateOfAnotherCaIsRefusedEvenBesideNoToken() {
    var stranger = ClusterCertificates.loadOrCreate(otherClusterDir, List.of(), List.of())
        .loadOrIssueClient("admin", "kubernetes-admin", List.of("system:masters"));

    Authentication a = authenticator.authenticate(chain(stranger), null, "/api/v1/pods");

    assertThat(a.user()).isEmpty();
    assertThat(a.failed()).isTrue();
    assertThat(authenticator.authenticate(chain(stranger), null, "/healthz").failed())
        .as("a bad credential is never anonymous").isTrue();
  }

  @Test
  void aValidTokenBesideABadCertificateAuthenticates() {
    var stranger = ClusterCertificates.loadOrCreate(otherClusterDir, List.of(), List.of())
        .loadOrIssueClient("admin", "mallory", List.of());

    Authentication a = authenticator.authenticate(chain(stranger), "Bearer " + tokens.adminToken(), "/api");

    assertThat(a.user().orElseThrow().name()).isEqualTo(Tokens.ADMIN_USER);
  }

  @Test
  void theBearerHeaderIsReadAsKubernetesReadsIt() {
    String token = tokens.adminToken();
    for (String header : List.of("Bearer " + token, "bearer " + token, "  BEARER " + token + "  ")) {
      assertThat(authenticator.authenticate(null, header, "/api").user()).as(header).contains(Tokens.ADMIN);
    }
    for (String header : List.of("Bearer x", "Bearer " + token + "x", "Bearer  " + token)) {
      assertThat(authenticator.authenticate(null, header, "/api").failed()).as(header).isTrue();
    }
  }

  @Test
  void withoutCredentialsOnlyHealthAndVersionAreAnonymous() {
    for (String path : List.of("/healthz", "/livez", "/readyz", "/version", "/livez/ping")) {
      UserInfo user = authenticator.authenticate(null, null, path).user().orElseThrow();
      assertThat(user.name()).isEqualTo("system:anonymous");
      assertThat(user.groups()).containsExactly("system:unauthenticated");
    }
    for (String path : List.of("/api", "/apis", "/api/v1/pods", "/metrics", "/healthzx")) {
      assertThat(authenticator.authenticate(null, null, path).failed()).as(path).isTrue();
    }
    assertThat(authenticator.authenticate(null, "Basic abc", "/api").failed()).as("another scheme is no credential").isTrue();
  }
}
