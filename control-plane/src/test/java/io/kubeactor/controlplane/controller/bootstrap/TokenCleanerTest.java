package io.kubeactor.controlplane.controller.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.security.bootstrap.BootstrapTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** tokencleaner.go: an expired bootstrap token's Secret is deleted, one still valid stays. */
class TokenCleanerTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  @Test
  void anExpiredTokenGoesAndAValidOneStays() {
    Secret expired = BootstrapTokens.secret(new BootstrapTokens.Token("old000", "0123456789abcdef"),
        Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1), "", List.of());
    Secret valid = BootstrapTokens.nodeJoinSecret(new BootstrapTokens.Token("new000", "0123456789abcdef"), Instant.now(), "");
    fixture.apply(Json.toTree(expired).toString());
    fixture.apply(Json.toTree(valid).toString());
    var cleaner = fixture.start(new TokenCleaner(fixture.context));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> fixture.get(Secret.class, "kube-system", "bootstrap-token-old000") == null);
    fixture.awaitReconciled(cleaner, "kube-system/bootstrap-token-new000");
    assertThat(fixture.get(Secret.class, "kube-system", "bootstrap-token-new000")).isNotNull();
  }
}
