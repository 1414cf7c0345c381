package io.kubeactor.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encryption configuration file: written on first start, read on every start, refused in one line when wrong. */
class EncryptionConfigurationTest {

  @TempDir
  Path dir;

  Path file() {
    return dir.resolve("pki").resolve(EncryptionConfiguration.FILE_NAME);
  }

  /** A configuration for secrets with one provider, given as YAML lines indented under "providers:". */
  static String withProviders(String providers) {
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
        """ + providers.indent(6);
  }

  void refused(String yaml, String why) {
    assertThatThrownBy(() -> EncryptionConfiguration.parse(yaml, file()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file() + " is not a valid EncryptionConfiguration: " + why
            + "; correct the file (the README's \"Secrets at rest\" shows its format)")
        .message().doesNotContain("\n");
  }

  @Test
  void firstStartWritesOneNewAesGcmKeyForSecretsOwnerOnlyAndLaterStartsReadIt() throws Exception {
    EncryptionConfiguration first = EncryptionConfiguration.loadOrCreate(dir);

    assertThat(first.file()).isEqualTo(file());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    JsonNode written = Json.YAML.readTree(file().toFile());
    assertThat(written.at("/resources/0/resources").toString()).isEqualTo("[\"secrets\"]");
    assertThat(written.at("/resources/0/providers/0/aesgcm/keys/0/name").asText()).isEqualTo("key1");
    assertThat(Base64.getDecoder().decode(written.at("/resources/0/providers/0/aesgcm/keys/0/secret").asText())).hasSize(32);
    assertThat(written.at("/resources/0/providers/1/identity").isObject()).isTrue();

    String before = Files.readString(file());
    EncryptionConfiguration.loadOrCreate(dir);
    assertThat(Files.readString(file())).isEqualTo(before);
    // another data directory, another key
    assertThat(EncryptionConfiguration.newKey()).isNotEqualTo(written.at("/resources/0/providers/0/aesgcm/keys/0/secret").asText());
  }

  @Test
  void aFileThatIsNotAnEncryptionConfigurationIsRefusedInOneLine() {
    refused("", "it is empty");
    refused("resources: [unclosed", "it is not valid YAML at line 1, column 21 (while parsing a flow sequence: expected ',' or ']', but got <stream end>)");
    refused("apiVersion: v1\nkind: ConfigMap\n",
        "its apiVersion must be apiserver.config.k8s.io/v1 and its kind EncryptionConfiguration");
    refused("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n",
        "resources: Required value: at least one resources is required");
  }

  @Test
  void unknownAndUnsupportedProvidersAreRefused() {
    refused(withProviders("- aesgsm: {keys: [{name: k, secret: x}]}"),
        "resources[0].providers[0]: Invalid value: \"{\"aesgsm\":{\"keys\":[{\"name\":\"k\",\"secret\":\"x\"}]}}\": "
            + "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity");
    refused(withProviders("- secretbox: {keys: [{name: k, secret: x}]}"),
        "resources[0].providers[0]: Invalid value: \"secretbox\": the secretbox provider is not supported here: "
            + "use aesgcm (with identity last to read unencrypted data)");
    refused(withProviders("- {identity: {}, aesgcm: {keys: []}}"),
        "resources[0].providers[0]: Invalid value: \"{\"identity\":{},\"aesgcm\":{\"keys\":[]}}\": "
            + "more than one provider specified in a single element, should split into different list elements");
  }

  @Test
  void badKeysAreRefusedWithoutShowingThem() {
    String hint = "; a key is 16, 24 or 32 random bytes in base64, e.g. `head -c 32 /dev/urandom | base64`";
    refused(withProviders("- aesgcm: {keys: [{name: key1, secret: c2hvcnQ=}]}"),
        "resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: \"REDACTED\": "
            + "secret is not of the expected length, got 5, expected one of [16 24 32]" + hint);
    refused(withProviders("- aesgcm: {keys: [{name: key1, secret: \"not base64!\"}]}"),
        "resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: \"REDACTED\": secrets must be base64 encoded" + hint);
    refused(withProviders("- aesgcm: {keys: []}"),
        "resources[0].providers[0].aesgcm.keys: Required value: at least one keys is required");
    refused(withProviders("- aesgcm: {keys: [{secret: " + EncryptionConfiguration.newKey() + "}]}"),
        "resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory field for a key");
  }

  @Test
  void resourcesAreValidatedAsUpstreamDoes() {
    String providers = "    providers: [{identity: {}}]\n";
    String head = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n";
    refused(head + "  - resources: [Secrets]\n" + providers,
        "resources[0].resources[0]: Invalid value: \"Secrets\": resource name should not contain capital letters");
    refused(head + "  - resources: ['*']\n" + providers,
        "resources[0].resources[0]: Invalid value: \"*\": use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources");
    refused(head + "  - resources: [secrets, secrets]\n" + providers,
        "resources[0].resources: Invalid value: \"[\"secrets\",\"secrets\"]\": the same resource cannot be specified multiple times");
  }

  @Test
  void resourcesNameTheirObjectsStoreKeys() {
    assertThat(EncryptionConfiguration.keyPrefix("secrets")).isEqualTo("core/secrets/");
    assertThat(EncryptionConfiguration.keyPrefix("deployments.apps")).isEqualTo("apps/deployments/");
    assertThat(EncryptionConfiguration.keyPrefix("*.")).isEqualTo("core/");
    assertThat(EncryptionConfiguration.keyPrefix("*.apps")).isEqualTo("apps/");
    assertThat(EncryptionConfiguration.keyPrefix("*.*")).isEqualTo("");
  }
}
