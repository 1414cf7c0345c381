package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageValidationTest {

  private static String storageClass(String fields) {
    return """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: standard}
        """ + fields;
  }

  private static String volume(String spec) {
    return """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv1}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void aStorageClassNamesAProvisioner() {
    assertThat(create(storageClass("provisioner: Rancher.io/local-path\nparameters: {type: ssd}\nreclaimPolicy: Retain\n"))).isEmpty();
    assertThat(printed(create(storageClass("reclaimPolicy: Recycle\nvolumeBindingMode: Later\n")))).containsExactly(
        "provisioner: Required value",
        "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
        "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"");
    assertThat(printed(create(storageClass("provisioner: a/b/c\n")))).containsExactly(
        "provisioner: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
            + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
  }

  @Test
  void aStorageClassKeepsItsProvisionerParametersAndPolicies() {
    String before = storageClass("provisioner: rancher.io/local-path\nparameters: {type: ssd}\n");
    assertThat(update(before, before)).isEmpty();
    assertThat(printed(update(before, storageClass("provisioner: example.com/nfs\nparameters: {type: hdd}\nreclaimPolicy: Retain\n"
        + "volumeBindingMode: WaitForFirstConsumer\n")))).containsExactly(
        "parameters: Forbidden: updates to parameters are forbidden.",
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable");
  }

  @Test
  void aPersistentVolumeHasAccessModesCapacityAndOneSource() {
    assertThat(create(volume("{accessModes: [ReadWriteOnce], capacity: {storage: 1Gi}, hostPath: {path: /data}}"))).isEmpty();
    assertThat(printed(create(volume("{persistentVolumeReclaimPolicy: Keep}")))).containsExactly(
        "spec.accessModes: Required value",
        "spec.capacity: Required value",
        "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\"",
        "spec: Required value: must specify a volume type");
  }

  @Test
  void aPersistentVolumeCapacityIsPositive() {
    assertThat(printed(create(volume("{accessModes: [ReadWriteOncePod, ReadOnlyMany], capacity: {storage: -1Gi}, "
        + "hostPath: {path: /data}, nfs: {server: s, path: /x}}")))).containsExactly(
        "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
        "spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity",
        "spec.capacity[storage]: Invalid value: \"-1Gi\": must be greater than zero",
        "spec.nfs: Forbidden: may not specify more than 1 volume type");
    assertThat(printed(create(volume("{accessModes: [ReadWriteOnce], capacity: {storage: '0'}, hostPath: {}}")))).containsExactly(
        "spec.capacity[storage]: Invalid value: \"0\": must be greater than zero",
        "spec.hostPath.path: Required value");
  }
}
