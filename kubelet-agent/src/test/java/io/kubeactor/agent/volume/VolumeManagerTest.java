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

  /** Token requests the control plane answered: the TokenRequests asked for, and a clock to age tokens. */
  private final java.util.List<ObjectNode> tokenRequests = new java.util.ArrayList<>();
  private java.time.Instant now = java.time.Instant.parse("2026-12-07T10:00:00Z");
  private final java.time.Clock clock = new java.time.Clock() {
    @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
    @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public java.time.Instant instant() { return now; }
  };
  private final TokenManager tokens = new TokenManager((namespace, account, request) -> {
    tokenRequests.add(request);
    ObjectNode answer = request.deepCopy();
    long seconds = request.path("spec").path("expirationSeconds").asLong();
    answer.putObject("status").put("token", "token-" + tokenRequests.size() + "-for-" + namespace + "/" + account)
        .put("expirationTimestamp", now.plusSeconds(seconds).toString());
    return answer;
  }, clock);

  private VolumeManager volumes() {
    return new VolumeManager(dir, tokens);
  }

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

    Map<String, Path> paths = volumes().setUp(pod(), reader);

    assertThat(paths).containsEntry("data", path);
    assertThat(Files.isDirectory(path)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwxrwxrwx");
    // the data stays for the next pod
    Files.writeString(path.resolve("PG_VERSION"), "17");
    assertThat(volumes().setUp(pod(), reader)).containsEntry("data", path);
    assertThat(Files.readString(path.resolve("PG_VERSION"))).isEqualTo("17");
  }

  @Test
  void aHostPathVolumeOfDirectoryOrCreateIsMadeAsKubeletMakesIt() throws Exception {
    Path path = dir.resolve("static/data");
    claim("Bound");
    volume(path, "someone-else");

    assertThat(volumes().setUp(pod(), reader)).containsEntry("data", path);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void anUnboundClaimIsNotMounted() {
    claim("Pending");
    volume(dir.resolve("x"), "rancher.io/local-path");
    assertThatThrownBy(() -> volumes().setUp(pod(), reader))
        .hasMessage("MountVolume.SetUp failed for volume \"data\" : persistentvolumeclaim \"data-db-0\" is not bound");
  }

  private Pod podWithServiceAccountToken() throws Exception {
    return Json.YAML.readValue("""
        metadata: {name: web, namespace: shop, uid: uid-web, labels: {app: web, tier: front}}
        spec:
          serviceAccountName: reader
          containers: [{name: web, image: nginx}]
          volumes:
          - name: kube-api-access-x7k2p
            projected:
              defaultMode: 420
              sources:
              - serviceAccountToken: {expirationSeconds: 3607, path: token}
              - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}
              - downwardAPI: {items: [{path: namespace, fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}},
                                      {path: labels, fieldRef: {fieldPath: metadata.labels}}]}
        """, Pod.class);
  }

  @Test
  void theServiceAccountVolumeHoldsATokenBoundToThePodTheCaAndTheNamespace() throws Exception {
    objects.put("ConfigMap/kube-root-ca.crt", yaml("{metadata: {name: kube-root-ca.crt}, data: {ca.crt: PEM}}"));

    Path path = volumes().setUp(podWithServiceAccountToken(), reader).get("kube-api-access-x7k2p");

    assertThat(Files.readString(path.resolve("token"))).isEqualTo("token-1-for-shop/reader");
    assertThat(Files.readString(path.resolve("ca.crt"))).isEqualTo("PEM");
    assertThat(Files.readString(path.resolve("namespace"))).isEqualTo("shop");
    assertThat(Files.readString(path.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.resolve("token")))).isEqualTo("rw-r--r--");
    ObjectNode asked = tokenRequests.get(0);
    assertThat(asked.path("spec").path("expirationSeconds").asLong()).isEqualTo(3607);
    assertThat(asked.path("spec").path("boundObjectRef")).isEqualTo(yaml("{apiVersion: v1, kind: Pod, name: web, uid: uid-web}"));
  }

  @Test
  void theTokenIsAskedForAgainOnlyOnce80PercentOfItsLifeHasPassed() throws Exception {
    objects.put("ConfigMap/kube-root-ca.crt", yaml("{metadata: {name: kube-root-ca.crt}, data: {ca.crt: PEM}}"));
    VolumeManager volumes = volumes();
    Pod pod = podWithServiceAccountToken();
    Path path = volumes.setUp(pod, reader).get("kube-api-access-x7k2p");

    now = now.plusSeconds(2000);
    volumes.refreshTokens(pod, reader);
    assertThat(Files.readString(path.resolve("token"))).isEqualTo("token-1-for-shop/reader");
    now = now.plusSeconds(1000); // 3000 s of 3607
    volumes.refreshTokens(pod, reader);
    assertThat(Files.readString(path.resolve("token"))).isEqualTo("token-2-for-shop/reader");
    assertThat(tokenRequests).hasSize(2);
  }

  @Test
  void aMissingRootCaConfigMapFailsTheMountAsKubeletSaysIt() {
    assertThatThrownBy(() -> volumes().setUp(podWithServiceAccountToken(), reader)).hasMessage(
        "MountVolume.SetUp failed for volume \"kube-api-access-x7k2p\" : configmap \"kube-root-ca.crt\" not found");
  }
}
