package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoragePrintersTest {

  @Test
  void boundClaimShowsVolumeCapacityAndModes() {
    assertThat(new PersistentVolumeClaimPrinter().cells(yaml("""
        metadata: {name: data, creationTimestamp: "2025-01-01T10:00:00Z"}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
          storageClassName: standard
          volumeName: pvc-1234
          volumeMode: Filesystem
        status:
          phase: Bound
          accessModes: [ReadWriteMany, ReadWriteOnce]
          capacity: {storage: 1024Mi}
        """), NOW)).containsExactly("data", "Bound", "pvc-1234", "1Gi", "RWO,RWX", "standard", "<unset>", "120m",
        "Filesystem");
  }

  @Test
  void pendingClaimLeavesVolumeColumnsEmpty() {
    assertThat(new PersistentVolumeClaimPrinter().cells(yaml("""
        metadata:
          name: data
          annotations: {volume.beta.kubernetes.io/storage-class: fast}
        spec:
          resources: {requests: {storage: 5Gi}}
          storageClassName: standard
          volumeAttributesClassName: gold
        """), NOW)).containsExactly("data", "Pending", "", "", "", "fast", "gold", "<unknown>", "Filesystem");
  }

  @Test
  void persistentVolume() {
    assertThat(new PersistentVolumePrinter().cells(yaml("""
        metadata: {name: pv-1, deletionTimestamp: "2025-01-01T12:00:00Z"}
        spec:
          capacity: {storage: 10Gi}
          accessModes: [ReadWriteOncePod]
          persistentVolumeReclaimPolicy: Delete
          storageClassName: local
          claimRef: {namespace: default, name: data}
        status: {phase: Bound}
        """), NOW)).containsExactly("pv-1", "10Gi", "RWOP", "Delete", "Terminating", "default/data", "local",
        "<unset>", "", "<unknown>", "Filesystem");
  }

  @Test
  void defaultStorageClass() {
    assertThat(new StorageClassPrinter().cells(yaml("""
        metadata:
          name: standard
          annotations: {storageclass.kubernetes.io/is-default-class: "true"}
        provisioner: rancher.io/local-path
        volumeBindingMode: WaitForFirstConsumer
        """), NOW)).containsExactly("standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer",
        false, "<unknown>");
  }
}
