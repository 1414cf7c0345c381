package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** kill -9 of the control plane in the middle of writes: every acknowledged write is there after restart. */
class RestartIT {

  @Test
  void acknowledgedWritesSurviveKillDashNine() throws Exception {
    Path dataDir = Files.createTempDirectory("kubeactor-restart").resolve("data");
    int port = ControlPlaneProcess.freePort();
    // a snapshot every 50 writes: recovery reads a snapshot the checkpointer took mid-load, then the tail
    String snapshots = "-Dkubeactor.store.snapshot-every=50";
    ControlPlaneProcess cp = ControlPlaneProcess.start(dataDir, port, Duration.ofSeconds(90), snapshots);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<Thread> writers = new ArrayList<>();
    try (KubernetesClient client = cp.client()) {
      for (int w = 0; w < 8; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          for (int i = 0; ; i++) {
            String name = "w" + writer + "-" + i;
            ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("i", "" + i).build();
            try {
              client.configMaps().inNamespace("default").resource(cm).create();
            } catch (RuntimeException e) {
              return; // the server is gone
            }
            acknowledged.add(name);
          }
        });
        t.start();
        writers.add(t);
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 400);
      cp.kill9();
      for (Thread t : writers) t.join(30_000);
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(400);

    ControlPlaneProcess restarted = ControlPlaneProcess.start(dataDir, port, Duration.ofSeconds(90), snapshots);
    try (KubernetesClient client = restarted.client()) {
      Set<String> stored = client.configMaps().inNamespace("default").list().getItems().stream()
          .map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
      assertThat(stored).containsAll(acknowledged);
    } finally {
      restarted.stop();
    }
  }
}
