package io.kubeactor.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.agent.pod.ObjectReader;
import io.kubeactor.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's persistentVolumeClaim volumes: the hostPath directory of the volume bound to the claim. */
class VolumeManagerTest {

  @TempDir
  Path dir;

  private final Map<String, ObjectNode> objects = new HashMap<>();
  private final ObjectReader reader = (kind, namespace, name) -> objects.get(kind + "/" + name);

  private static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Pod pod() throws Exception {
    return Json.YAML.readValue("""
        metadata: {name: db-0, namespace: default, uid: uid-db-0}
        spec:
          containers: [{name: db, image: postgres}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-0}}]
        """, Pod.class);
  }

  private void claim(String phase) {
    objects.put("PersistentVolumeClaim/data-db-0", yaml("""
        metadata: {name: data-db-0, namespace: default}
        spec: {volumeName: pvc-1}
        status: {phase: %s}
        """.formatted(phase)));
  }

  private void volume(Path path, String provisionedBy) {
    objects.put("PersistentVolume/pvc-1", yaml("""
        metadata: {name: pvc-1, annotations: {pv.kubernetes.io/provisioned-by: "%s"}}
        spec: {hostPath: {path: "%s", type: DirectoryOrCreate}}
        """.formatted(provisionedBy, path)));
  }

  @Test
  void aLocalPathVolumeIsItsNodeDirectoryMadeOnFirstUseForEveryUser() throws Exception {
    Path path = dir.resolve("local-path-provisioner/pvc-1_default_data-db-0");
    claim("Bound");
    volume(path, "rancher.io/local-path");

    Map<String, Path> paths = new VolumeManager(dir).setUp(pod(), reader);

    assertThat(paths).containsEntry("data", path);
    assertThat(Files.isDirectory(path)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwxrwxrwx");
    // the data stays for the next pod
    Files.writeString(path.resolve("PG_VERSION"), "17");
    assertThat(new VolumeManager(dir).setUp(pod(), reader)).containsEntry("data", path);
    assertThat(Files.readString(path.resolve("PG_VERSION"))).isEqualTo("17");
  }

  @Test
  void aHostPathVolumeOfDirectoryOrCreateIsMadeAsKubeletMakesIt() throws Exception {
    Path path = dir.resolve("static/data");
    claim("Bound");
    volume(path, "someone-else");

    assertThat(new VolumeManager(dir).setUp(pod(), reader)).containsEntry("data", path);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void anUnboundClaimIsNotMounted() {
    claim("Pending");
    volume(dir.resolve("x"), "rancher.io/local-path");
    assertThatThrownBy(() -> new VolumeManager(dir).setUp(pod(), reader))
        .hasMessage("MountVolume.SetUp failed for volume \"data\" : persistentvolumeclaim \"data-db-0\" is not bound");
  }
}
