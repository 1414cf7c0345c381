package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.controller.ControllerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The mutating admission plugins a create passes through: ServiceAccount's pull secrets, DefaultStorageClass. */
class AdmissionPluginsTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  @Test
  void aPodThatNamesNoPullSecretsGetsItsServiceAccounts() {
    fixture.apply("{apiVersion: v1, kind: ServiceAccount, metadata: {name: builder, namespace: default},"
        + " imagePullSecrets: [{name: registry-key}]}");
    // the deprecated serviceAccount field names the account as well, once defaulted
    var pod = fixture.apply("{apiVersion: v1, kind: Pod, metadata: {name: build, namespace: default},"
        + " spec: {serviceAccount: builder, containers: [{name: c, image: busybox}]}}");
    assertThat(pod.at("/spec/imagePullSecrets").toString()).isEqualTo("[{\"name\":\"registry-key\"}]");

    var own = fixture.apply("{apiVersion: v1, kind: Pod, metadata: {name: own, namespace: default},"
        + " spec: {serviceAccountName: builder, imagePullSecrets: [{name: mine}], containers: [{name: c, image: busybox}]}}");
    assertThat(own.at("/spec/imagePullSecrets").toString()).isEqualTo("[{\"name\":\"mine\"}]");
  }

  @Test
  void aClaimThatAsksForNoClassGetsTheDefaultOne() {
    fixture.apply("{apiVersion: storage.k8s.io/v1, kind: StorageClass, provisioner: example.com/local,"
        + " metadata: {name: fast, annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}}}");
    var claim = fixture.apply("{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data, namespace: default},"
        + " spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: null}}");
    assertThat(claim.at("/spec/storageClassName").asText()).isEqualTo("fast");

    var none = fixture.apply("{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: static, namespace: default},"
        + " spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: \"\"}}");
    assertThat(none.at("/spec/storageClassName").asText()).isEmpty();
  }
}
