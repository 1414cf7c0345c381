package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultStorageClassTest {

  private static ObjectNode storageClass(String name, String created, String defaultAnnotation) {
    return yaml("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: %s
          creationTimestamp: "%s"
          annotations: {%s}
        provisioner: rancher.io/local-path
        """.formatted(name, created, defaultAnnotation == null ? "" : defaultAnnotation + ": \"true\""));
  }

  private static final ObjectNode STANDARD = storageClass("standard", "2025-01-01T10:00:00Z",
      "storageclass.kubernetes.io/is-default-class");
  private static final ObjectNode FAST = storageClass("fast", "2025-01-01T09:00:00Z", null);

  private static ObjectNode claim(String storageClassLine) {
    return yaml("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
          %s
        """.formatted(storageClassLine));
  }

  private static String admitted(ObjectNode claim, List<ObjectNode> classes) {
    DefaultStorageClass.admit(claim, classes);
    return claim.path("spec").path("storageClassName").asText(null);
  }

  @Test
  void aClaimWithoutAClassGetsTheDefaultOne() {
    assertThat(admitted(claim(""), List.of(FAST, STANDARD))).isEqualTo("standard");
  }

  @Test
  void aClaimThatNamesAClassOrNoClassKeepsIt() {
    assertThat(admitted(claim("storageClassName: fast"), List.of(FAST, STANDARD))).isEqualTo("fast");
    assertThat(admitted(claim("storageClassName: \"\""), List.of(FAST, STANDARD))).isEmpty();
    ObjectNode beta = claim("");
    beta.withObjectProperty("metadata").putObject("annotations").put("volume.beta.kubernetes.io/storage-class", "fast");
    assertThat(admitted(beta, List.of(STANDARD))).isNull();
  }

  @Test
  void withoutADefaultClassTheClaimHasNone() {
    assertThat(admitted(claim(""), List.of(FAST))).isNull();
  }

  @Test
  void ofSeveralDefaultsTheNewestThenTheFirstByNameWins() {
    ObjectNode newer = storageClass("zeta", "2025-02-01T00:00:00Z", "storageclass.beta.kubernetes.io/is-default-class");
    ObjectNode sameTime = storageClass("alpha", "2025-02-01T00:00:00Z", "storageclass.kubernetes.io/is-default-class");
    assertThat(admitted(claim(""), List.of(STANDARD, newer))).isEqualTo("zeta");
    assertThat(admitted(claim(""), List.of(STANDARD, newer, sameTime))).isEqualTo("alpha");
  }
}
