package io.kubeactor.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.security.EncryptionConfiguration;
import io.kubeactor.controlplane.store.UnreadableAtRestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane keeps Secrets encrypted with the key in its data directory, and will not start without it. */
class ControlPlaneSecretsAtRestTest {

  @TempDir
  Path dir;

  private ControlPlane start() throws Exception {
    return ControlPlane.start(ConfigFactory.parseMap(Map.of("kubeactor.data-dir", dir.resolve("data").toString(),
        "kubeactor.api.port", 0, "kubeactor.cluster.port", 0, "kubeactor.dns.port", 0)));
  }

  private Path configFile() {
    return dir.resolve("data").resolve("pki").resolve(EncryptionConfiguration.FILE_NAME);
  }

  private static ResourceType secrets(ControlPlane cp) {
    return cp.registry().types().find("/api/v1", "secrets").orElseThrow();
  }

  @Test
  void secretsReadBackPlainAcrossRestartsAndAnotherKeyOrABrokenFileStopsTheStart() throws Exception {
    String password = Base64.getEncoder().encodeToString("hunter2-but-longer".getBytes());
    try (ControlPlane cp = start()) {
      assertThat(configFile()).exists();
      ObjectNode secret = Json.object().put("apiVersion", "v1").put("kind", "Secret");
      secret.putObject("metadata").put("name", "db");
      secret.putObject("data").put("password", password);
      cp.registry().create(secrets(cp), "default", secret, WriteOptions.internal()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    try (ControlPlane cp = start()) {
      assertThat(cp.registry().get(secrets(cp), "default", "db").at("/data/password").asText()).isEqualTo(password);
    }

    String config = Files.readString(configFile());
    String key = Json.YAML.readTree(config).at("/resources/0/providers/0/aesgcm/keys/0/secret").asText();
    Files.writeString(configFile(), config.replace(key, EncryptionConfiguration.newKey()));
    // at once, not after the start's timeout; the launcher shows this message (Main: an IllegalArgumentException's)
    assertThatThrownBy(this::start)
        .cause().isInstanceOf(UnreadableAtRestException.class)
        .hasMessageStartingWith("unable to transform key \"core/secrets/default/db\": cipher: message authentication failed "
            + "(the aesgcm key \"key1\" in " + configFile() + " is not the key it was encrypted with");

    Files.writeString(configFile(), config.replace("aesgcm:", "aesgsm:"));
    assertThatThrownBy(this::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(configFile() + " is not a valid EncryptionConfiguration: resources[0].providers[0]: ");
  }
}
