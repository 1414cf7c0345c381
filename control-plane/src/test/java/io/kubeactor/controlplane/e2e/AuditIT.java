package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit log, turned on with one setting, as the real kubectl's requests write it. */
class AuditIT {

  static TestCluster cluster;
  static Path log;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("kubeactor-audit");
    log = dir.resolve("audit.log");
    cluster = TestCluster.start(dir, Map.of("kubeactor.audit.log-path", log.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static List<JsonNode> events() throws Exception {
    if (!Files.exists(log)) return List.of();
    return Files.readAllLines(log).stream().map(line -> {
      try {
        return Json.MAPPER.readTree(line);
      } catch (Exception e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }).toList();
  }

  @Test
  void aCreateAndARefusalAreLoggedAtMetadataLevel() throws Exception {
    cluster.kubectl("create", "configmap", "audited", "--from-literal=k=secret-value").outOrFail();
    cluster.kubectl("get", "secrets", "--as", "jane");

    await().atMost(Duration.ofSeconds(10)).until(() -> events().stream().anyMatch(e ->
        e.path("stage").asText().equals("ResponseComplete") && e.path("verb").asText().equals("list")
            && e.path("objectRef").path("resource").asText().equals("secrets")
            && e.path("impersonatedUser").path("username").asText().equals("jane")));
    JsonNode create = events().stream().filter(e -> e.path("stage").asText().equals("ResponseComplete")
        && e.path("verb").asText().equals("create") && e.path("objectRef").path("resource").asText().equals("configmaps"))
        .findFirst().orElseThrow();
    assertThat(create.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
    assertThat(create.path("level").asText()).isEqualTo("Metadata");
    assertThat(create.path("objectRef").path("resource").asText()).isEqualTo("configmaps");
    assertThat(create.path("objectRef").path("namespace").asText()).isEqualTo("default");
    assertThat(create.path("responseStatus").path("code").asInt()).isEqualTo(201);
    assertThat(create.path("user").path("groups").toString()).contains("system:masters");
    assertThat(create.path("annotations").path("authorization.k8s.io/decision").asText()).isEqualTo("allow");
    assertThat(create.has("requestObject")).as("Metadata level logs no bodies").isFalse();
    assertThat(Files.readString(log)).doesNotContain("secret-value");

    JsonNode refused = events().stream().filter(e -> e.path("stage").asText().equals("ResponseComplete")
        && e.path("impersonatedUser").path("username").asText().equals("jane")
        && e.path("objectRef").path("resource").asText().equals("secrets")).findFirst().orElseThrow();
    assertThat(refused.path("responseStatus").path("code").asInt()).isEqualTo(403);
    assertThat(refused.path("annotations").path("authorization.k8s.io/decision").asText()).isEqualTo("forbid");
  }
}
