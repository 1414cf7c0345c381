package io.kubeactor.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A control plane that stops leaves a snapshot of its last state, so that the next start replays no events. */
class ControlPlaneStopTest {

  @TempDir
  Path dir;

  private ControlPlane start() throws Exception {
    // a snapshot every 1,000 events, so none is due in this test: only the stop takes one
    return ControlPlane.start(ConfigFactory.parseMap(Map.of("kubeactor.data-dir", dir.resolve("data").toString(),
        "kubeactor.api.port", 0, "kubeactor.cluster.port", 0, "kubeactor.dns.port", 0,
        "kubeactor.store.snapshot-every", 1000)));
  }

  /** The highest sequence number in a table of one of the store's H2 files (data/store/kubeactor or snapshots). */
  private long highest(String file, String table) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data/store").resolve(file), "sa", "");
         ResultSet rs = c.createStatement().executeQuery("SELECT MAX(\"sequence_number\") FROM \"" + table + "\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theStopSnapshotsTheStateAtTheLastEventAndTheNextStartRecoversFromIt() throws Exception {
    ResourceType configMaps;
    try (ControlPlane cp = start()) {
      configMaps = cp.registry().types().find("/api/v1", "configmaps").orElseThrow();
      for (int i = 0; i < 120; i++) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", "cm-" + i);
        cp.registry().create(configMaps, "default", cm, WriteOptions.internal()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    long lastEvent = highest("kubeactor", "event_journal");
    // the start's own objects and the 120 ConfigMaps: more than a tenth of an interval, fewer than one
    assertThat(lastEvent).isBetween(100L + 120, 999L);
    assertThat(highest("snapshots", "snapshot")).isEqualTo(lastEvent);

    try (ControlPlane cp = start()) {
      assertThat(cp.registry().get(configMaps, "default", "cm-119").at("/metadata/name").asText()).isEqualTo("cm-119");
    }
  }
}
