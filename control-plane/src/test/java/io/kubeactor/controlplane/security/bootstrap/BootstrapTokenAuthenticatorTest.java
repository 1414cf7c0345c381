package io.kubeactor.controlplane.security.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kubeactor.controlplane.security.authentication.Authentication;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bootstrap tokens as plugin/pkg/authenticator/token/bootstrap judges them, and the Secret a token is. */
class BootstrapTokenAuthenticatorTest {

  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
  private static final BootstrapTokens.Token TOKEN = new BootstrapTokens.Token("abcdef", "0123456789abcdef");

  private final Map<String, Secret> secrets = new HashMap<>();
  private final BootstrapTokenAuthenticator authenticator =
      new BootstrapTokenAuthenticator((ns, name) -> secrets.get(ns + "/" + name), Clock.fixed(NOW, ZoneOffset.UTC));

  private void store(Secret secret) {
    secrets.put(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), secret);
  }

  private static Secret withData(Secret secret, String key, String value) {
    Secret copy = new SecretBuilder(secret).build();
    Map<String, String> data = new HashMap<>(copy.getData());
    if (value == null) data.remove(key);
    else data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    copy.setData(data);
    return copy;
  }

  @Test
  void aNodeJoinTokenIsTheBootstrapUserInItsGroups() {
    Secret secret = BootstrapTokens.nodeJoinSecret(TOKEN, NOW, "joins worker-1");
    assertThat(secret.getMetadata().getName()).isEqualTo("bootstrap-token-abcdef");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(BootstrapTokens.data(secret, "expiration")).isEqualTo("2026-12-08T08:00:00Z");
    assertThat(BootstrapTokens.data(secret, "auth-extra-groups")).isEqualTo("system:bootstrappers:kubeadm:default-node-token");
    store(secret);
    Authentication a = authenticator.authenticate("abcdef.0123456789abcdef");
    assertThat(a.user()).contains(new UserInfo("system:bootstrap:abcdef", "",
        List.of("system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token"), Map.of()));
  }

  @Test
  void tokensOfAnotherFormAreNotItsBusiness() {
    for (String other : List.of("admin-token", "ABCDEF.0123456789abcdef", "abcdef.0123456789abcde", "eyJhbGciOi.x.y")) {
      Authentication a = authenticator.authenticate(other);
      assertThat(a.user()).isEmpty();
      assertThat(a.failed()).as(other).isFalse();
    }
  }

  @Test
  void aTokenThatDoesNotHoldIsRefused() {
    Secret good = BootstrapTokens.nodeJoinSecret(TOKEN, NOW, "");
    assertThat(authenticator.authenticate(TOKEN.value()).failed()).as("no Secret").isTrue();

    store(withData(good, "token-secret", "0123456789abcdeX"));
    assertThat(authenticator.authenticate(TOKEN.value()).failure()).endsWith("has invalid value for key token-secret.");

    store(withData(good, "expiration", "2026-12-07T07:59:59Z"));
    assertThat(authenticator.authenticate(TOKEN.value()).failure()).endsWith("has expired.");
    store(withData(good, "expiration", "tomorrow"));
    assertThat(authenticator.authenticate(TOKEN.value()).failed()).as("unparseable expiration").isTrue();

    store(withData(good, "usage-bootstrap-authentication", null));
    assertThat(authenticator.authenticate(TOKEN.value()).failure())
        .endsWith("not marked usage-bootstrap-authentication=true.");

    store(withData(good, "auth-extra-groups", "system:masters"));
    assertThat(authenticator.authenticate(TOKEN.value()).failure()).endsWith("has invalid value for key auth-extra-groups:"
        + " bootstrap group \"system:masters\" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z).");

    Secret opaque = new SecretBuilder(good).withType("Opaque").build();
    store(opaque);
    assertThat(authenticator.authenticate(TOKEN.value()).failure())
        .endsWith("has invalid type, expected bootstrap.kubernetes.io/token.");

    store(good);
    assertThat(authenticator.authenticate(TOKEN.value()).user()).isPresent();
  }

  @Test
  void generatedTokensHaveTheTokenFormAndExpireAfterTheirTtl() {
    BootstrapTokens.Token token = BootstrapTokens.generate();
    assertThat(token.value()).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
    assertThat(BootstrapTokens.parse(token.value())).contains(token);
    Secret secret = BootstrapTokens.secret(token, NOW, Duration.ofMinutes(30), "", List.of());
    assertThat(BootstrapTokens.timeLeft(secret, NOW)).isEqualTo(Duration.ofMinutes(30));
    assertThat(BootstrapTokens.expired(secret, NOW.plus(Duration.ofMinutes(31)))).isTrue();
    assertThat(BootstrapTokens.timeLeft(BootstrapTokens.secret(token, NOW, Duration.ZERO, "", List.of()), NOW)).isNull();
  }
}
