package io.kubeactor.controlplane.controller.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import io.kubeactor.controlplane.security.serviceaccount.BoundObjects;
import io.kubeactor.controlplane.security.serviceaccount.ServiceAccountTokenAuthenticator;
import io.kubeactor.controlplane.security.serviceaccount.SigningKey;
import io.kubeactor.controlplane.security.serviceaccount.TokenSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokensControllerTest {

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBcluster\n-----END CERTIFICATE-----\n";
  private static final SigningKey KEY = SigningKey.generate();

  private final ControllerFixture fixture =
      new ControllerFixture(ControllerSettings.defaults().withRootCa(CA), Clock.systemUTC());

  @AfterEach
  void close() {
    fixture.close();
  }

  private Secret secret(String name) {
    return fixture.get(Secret.class, "default", name);
  }

  private static String data(Secret secret, String key) {
    String value = secret.getData() == null ? null : secret.getData().get(key);
    return value == null ? "" : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  @Test
  void aTokenSecretIsFilledWithAWorkingTokenAndGoesWithItsAccount() {
    fixture.start(new TokensController(fixture.context, KEY));
    fixture.apply("{apiVersion: v1, kind: ServiceAccount, metadata: {name: dashboard, namespace: default}}");
    String uid = fixture.get(ServiceAccount.class, "default", "dashboard").getMetadata().getUid();
    fixture.apply("{apiVersion: v1, kind: Secret, type: kubernetes.io/service-account-token, metadata: "
        + "{name: dashboard-token, namespace: default, annotations: {kubernetes.io/service-account.name: dashboard}}}");

    await().until(() -> !data(secret("dashboard-token"), "token").isEmpty());
    Secret filled = secret("dashboard-token");
    assertThat(data(filled, "ca.crt")).isEqualTo(CA);
    assertThat(data(filled, "namespace")).isEqualTo("default");
    assertThat(filled.getMetadata().getAnnotations()).containsEntry("kubernetes.io/service-account.uid", uid);
    var authenticator = new ServiceAccountTokenAuthenticator(List.of(TokenSettings.DEFAULT_ISSUER),
        List.of(KEY.publicKey()), List.of(TokenSettings.DEFAULT_ISSUER),
        BoundObjects.of(fixture.context.informers(), fixture.context.fresh()), Clock.systemUTC());
    // the authenticator reads the informers, which may be a moment behind the store the test just read
    await().until(() -> fixture.context.informers().caughtUp());
    assertThat(authenticator.authenticate(data(filled, "token"), List.of()))
        .isInstanceOfSatisfying(ServiceAccountTokenAuthenticator.Outcome.Authenticated.class,
            ok -> assertThat(ok.user().name()).isEqualTo("system:serviceaccount:default:dashboard"));

    fixture.delete("v1", "ServiceAccount", "default", "dashboard", null);
    await().until(() -> secret("dashboard-token") == null);
  }

  @Test
  void aTokenSecretForAMissingAccountIsDeleted() {
    fixture.start(new TokensController(fixture.context, KEY));
    fixture.apply("{apiVersion: v1, kind: Secret, type: kubernetes.io/service-account-token, metadata: "
        + "{name: ghost-token, namespace: default, annotations: {kubernetes.io/service-account.name: ghost}}}");

    await().until(() -> secret("ghost-token") == null);
  }
}
