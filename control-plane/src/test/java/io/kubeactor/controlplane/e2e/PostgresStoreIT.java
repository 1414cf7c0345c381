package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store on a real PostgreSQL server (scripts/ensure-postgres.sh provides one; CI always runs
 * it): objects written through the API are in PostgreSQL's journal and come back after a restart.
 */
class PostgresStoreIT {

  static final String URL = System.getenv("KUBEACTOR_TEST_POSTGRES_URL");
  static final String USER = System.getenv("KUBEACTOR_TEST_POSTGRES_USER");
  static final String PASSWORD = System.getenv("KUBEACTOR_TEST_POSTGRES_PASSWORD");

  @Test
  void objectsPersistInPostgresAcrossRestarts() throws Exception {
    // a run without PostgreSQL fails here rather than passing with nothing tested
    for (String variable : List.of("KUBEACTOR_TEST_POSTGRES_URL", "KUBEACTOR_TEST_POSTGRES_USER", "KUBEACTOR_TEST_POSTGRES_PASSWORD")) {
      assertThat(System.getenv(variable)).as(variable + " is not set; run scripts/ensure-postgres.sh (./kubeactor test does)")
          .isNotNull();
    }
    try (var c = connect(); var s = c.createStatement()) {
      // a clean journal: this test owns the database
      s.execute("DROP TABLE IF EXISTS event_tag, event_journal, snapshot, durable_state CASCADE");
    }
    Path dir = Files.createTempDirectory("kubeactor-pg");
    Map<String, Object> settings = Map.of(
        "kubeactor.store.backend", "postgres",
        "kubeactor.store.postgres.url", URL,
        "kubeactor.store.postgres.user", USER,
        "kubeactor.store.postgres.password", PASSWORD);

    try (TestCluster cluster = TestCluster.start(dir, settings); KubernetesClient client = cluster.fabric8()) {
      for (int i = 0; i < 20; i++) {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
            .withNewMetadata().withName("pg-" + i).endMetadata().addToData("i", "" + i).build()).create();
      }
      client.configMaps().inNamespace("default").withName("pg-3").delete();
    }
    try (var c = connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM event_journal WHERE persistence_id = 'kubeactor-store'")) {
      rs.next();
      assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(21);
    }

    try (TestCluster cluster = TestCluster.start(dir, settings); KubernetesClient client = cluster.fabric8()) {
      var names = client.configMaps().inNamespace("default").list().getItems().stream()
          .map(cm -> cm.getMetadata().getName()).filter(n -> n.startsWith("pg-")).toList();
      assertThat(names).hasSize(19).contains("pg-0", "pg-19").doesNotContain("pg-3");
      assertThat(cluster.kubectl("get", "configmap", "pg-7", "-o", "jsonpath={.data.i}").outOrFail()).isEqualTo("7");
    }
  }

  /** The server the test was told of; one it cannot reach fails the test, saying which. */
  private static Connection connect() {
    try {
      return DriverManager.getConnection(URL, USER, PASSWORD);
    } catch (SQLException e) {
      throw new AssertionError("the PostgreSQL server at " + URL + " (KUBEACTOR_TEST_POSTGRES_URL) is unreachable as "
          + USER + ": " + e.getMessage(), e);
    }
  }
}
