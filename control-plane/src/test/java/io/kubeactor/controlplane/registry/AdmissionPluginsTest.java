package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.controller.ControllerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The mutating admission plugins a create passes through: ServiceAccount's pull secrets,
 * DefaultStorageClass, DefaultIngressClass.
 */
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

  @Test
  void anIngressThatNamesNoClassGetsTheDefaultOneOnCreateOnly() {
    fixture.apply("{apiVersion: networking.k8s.io/v1, kind: IngressClass, spec: {controller: k8s.io/ingress-nginx},"
        + " metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}}}");
    var ingress = fixture.apply("{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: web, namespace: default},"
        + " spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}}");
    assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");

    var annotated = fixture.apply("{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: legacy, namespace: default,"
        + " annotations: {kubernetes.io/ingress.class: other}}, spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}}");
    assertThat(annotated.at("/spec").has("ingressClassName")).isFalse();

    // an update that drops the class is not defaulted again (the plugin admits creates only)
    var updated = fixture.change("networking.k8s.io/v1", "Ingress", "default", "web", o -> {
      o.withObjectProperty("spec").remove("ingressClassName");
      return o;
    });
    assertThat(updated.at("/spec").has("ingressClassName")).isFalse();
  }
}
