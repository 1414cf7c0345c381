package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.security.EncryptionConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which objects a configuration seals: a resource's own entry before its group's and every group's, as upstream. */
class AtRestTest {

  static String sealedAs(AtRest atRest, String key) {
    byte[] stored = atRest.store(key, SecretsAtRestTest.configMap("x")).journalValue();
    String text = new String(stored, StandardCharsets.ISO_8859_1);
    return text.startsWith("k8s:enc:") ? text.substring(0, text.indexOf(':', "k8s:enc:aesgcm:v1:".length()) + 1) : "plain";
  }

  @Test
  void theMostSpecificResourceEntryDecides() {
    AtRest atRest = EncryptionConfiguration.parse("""
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: ["*.*"]
            providers: [{aesgcm: {keys: [{name: everything, secret: "%1$s"}]}}]
          - resources: ["*.apps"]
            providers: [{identity: {}}]
          - resources: [secrets, deployments.apps]
            providers: [{aesgcm: {keys: [{name: own, secret: "%1$s"}]}}]
        """.formatted(EncryptionConfiguration.newKey()), Path.of("encryption-config.yaml")).atRest();

    assertThat(sealedAs(atRest, "core/secrets/default/a")).isEqualTo("k8s:enc:aesgcm:v1:own:");
    assertThat(sealedAs(atRest, "apps/deployments/default/a")).isEqualTo("k8s:enc:aesgcm:v1:own:");
    assertThat(sealedAs(atRest, "apps/statefulsets/default/a")).isEqualTo("plain");
    assertThat(sealedAs(atRest, "core/configmaps/default/a")).isEqualTo("k8s:enc:aesgcm:v1:everything:");
    // no configuration: nothing sealed
    assertThat(sealedAs(AtRest.PLAIN, "core/secrets/default/a")).isEqualTo("plain");
  }
}
