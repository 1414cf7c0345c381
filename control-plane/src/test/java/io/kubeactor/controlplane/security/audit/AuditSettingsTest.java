package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSettingsTest {

  @Test
  void auditingIsOffByDefault() {
    AuditSettings s = AuditSettings.from(ConfigFactory.load().getConfig("kubeactor"));

    assertThat(s).isEqualTo(new AuditSettings("", "", 100, 0, 10000));
    assertThat(s.enabled()).isFalse();
  }

  @Test
  void theLogPathAloneSwitchesItOnWithTheDefaultPolicy(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    AuditSettings s = AuditSettings.from(ConfigFactory.parseMap(Map.of("kubeactor.audit.log-path", file.toString()))
        .withFallback(ConfigFactory.load()).getConfig("kubeactor"));

    try (AuditLog log = AuditLog.start(s)) {
      assertThat(log.enabled()).isTrue();
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void aPolicyWithoutALogIsRefused() {
    assertThatThrownBy(() -> new AuditSettings("/etc/audit.yaml", "", 100, 0, 10000))
        .hasMessage("kubeactor.audit.policy-file is set but kubeactor.audit.log-path is not: name the audit log's file "
            + "(\"-\" for standard output)");
  }

  @Test
  void negativeSizesAreRefusedAsKubeApiserverRefusesThem() {
    assertThatThrownBy(() -> new AuditSettings("", "/tmp/a.log", -1, 0, 10))
        .hasMessage("--audit-log-maxsize -1 can't be a negative number");
    assertThatThrownBy(() -> new AuditSettings("", "/tmp/a.log", 1, -2, 10))
        .hasMessage("--audit-log-maxbackup -2 can't be a negative number");
  }

  @Test
  void aBadPolicyFileStopsTheStartWithOneLine(@TempDir Path dir) throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
        + "- level: Everything\n");
    AuditSettings s = new AuditSettings(policy.toString(), dir.resolve("audit.log").toString(), 100, 0, 10);

    assertThatThrownBy(() -> AuditLog.start(s)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loading audit policy file: rules[0].level: Unsupported value: \"Everything\": supported values: "
            + "\"None\", \"Metadata\", \"Request\", \"RequestResponse\": from file " + policy);
  }

  @Test
  void aLogFileThatCannotBeCreatedStopsTheStartWithOneLine(@TempDir Path dir) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    AuditSettings s = new AuditSettings("", notADirectory.resolve("audit.log").toString(), 100, 0, 10);

    assertThatThrownBy(() -> AuditLog.start(s)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot open the audit log " + notADirectory.resolve("audit.log") + ": open " + notADirectory
            + ": not a directory");
  }
}
