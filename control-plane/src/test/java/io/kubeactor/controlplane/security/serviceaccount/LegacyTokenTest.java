package io.kubeactor.controlplane.security.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.nodelifecycle.MutableClock;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.serviceaccount.ServiceAccountTokenAuthenticator.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyTokenTest {

  private static final SigningKey KEY = SigningKey.generate();
  private static final String ISSUER = TokenSettings.DEFAULT_ISSUER;

  private final FakeCluster cluster = new FakeCluster();
  private final ServiceAccountTokenAuthenticator authenticator = new ServiceAccountTokenAuthenticator(
      List.of(ISSUER), List.of(KEY.publicKey()), List.of(ISSUER), cluster, new MutableClock(Instant.now()));
  private final ServiceAccount account = cluster.addAccount("default", "dashboard");
  private final String token = TokenIssuer.generateLegacy(KEY, account, "dashboard-token");

  private Secret holding(String token, Map<String, String> labels) {
    return cluster.put(new SecretBuilder().withNewMetadata().withNamespace("default").withName("dashboard-token")
        .withUid("s-1").withLabels(labels).endMetadata().withType("kubernetes.io/service-account-token")
        .withData(Map.of("token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))).build());
  }

  @Test
  void aSecretsTokenAuthenticatesItsAccountWithoutExpiry() {
    holding(token, Map.of());

    UserInfo user = authenticator.authenticate(token).user().orElseThrow();

    assertThat(user.name()).isEqualTo("system:serviceaccount:default:dashboard");
    assertThat(user.uid()).isEqualTo(account.getMetadata().getUid());
    assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:default",
        "system:authenticated");
    assertThat(user.extra()).isEmpty();
    assertThat(Json.string(Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1])))).isEqualTo(
        "{\"iss\":\"kubernetes/serviceaccount\",\"kubernetes.io/serviceaccount/namespace\":\"default\","
            + "\"kubernetes.io/serviceaccount/secret.name\":\"dashboard-token\","
            + "\"kubernetes.io/serviceaccount/service-account.name\":\"dashboard\","
            + "\"kubernetes.io/serviceaccount/service-account.uid\":\"" + account.getMetadata().getUid() + "\","
            + "\"sub\":\"system:serviceaccount:default:dashboard\"}");
  }

  @Test
  void theTokenDiesWithItsSecret() {
    Secret secret = holding(token, Map.of());
    cluster.remove(secret);

    assertThat(authenticator.authenticate(token, List.of())).isEqualTo(new Outcome.Refused("Token has been invalidated"));
  }

  @Test
  void aTokenTheSecretNoLongerHoldsIsRefused() {
    holding(TokenIssuer.generateLegacy(KEY, account, "dashboard-token") + "x", Map.of());

    assertThat(authenticator.authenticate(token, List.of()))
        .isEqualTo(new Outcome.Refused("Token does not match server's copy"));
  }

  @Test
  void theTokenOfARecreatedAccountIsRefused() {
    holding(token, Map.of());
    cluster.remove(account);
    ServiceAccount recreated = cluster.addAccount("default", "dashboard");

    assertThat(authenticator.authenticate(token, List.of())).isEqualTo(new Outcome.Refused(
        "ServiceAccount UID (" + recreated.getMetadata().getUid() + ") does not match claim ("
            + account.getMetadata().getUid() + ")"));
  }

  @Test
  void aTokenMarkedInvalidByTheCleanerIsRefused() {
    holding(token, Map.of("kubernetes.io/legacy-token-invalid-since", "2026-01-01"));

    assertThat(authenticator.authenticate(token).user()).isEmpty();
  }
}
