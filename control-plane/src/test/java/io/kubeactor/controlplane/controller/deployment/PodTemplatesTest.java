package io.kubeactor.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kubeactor.common.Json;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

  private static PodTemplateSpec template(String yaml) {
    try {
      return Json.fromTree(Json.YAML.readTree(yaml), PodTemplateSpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final String NGINX = "{metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: 'nginx:1'}]}}";

  @Test
  void theHashIsWrittenInTheSafeAlphabetAndDependsOnTheTemplateAndTheCollisionCount() {
    String hash = PodTemplates.hash(template(NGINX), null);
    // a decimal uint32 in SafeEncodeString's alphabet: digits 0-9 map to 4 5 6 7 8 9 b c d f
    assertThat(hash).matches("[456789bcdf]{1,10}");
    assertThat(PodTemplates.hash(template(NGINX), null)).isEqualTo(hash);
    assertThat(PodTemplates.hash(template(NGINX.replace("nginx:1", "nginx:2")), null)).isNotEqualTo(hash);
    assertThat(PodTemplates.hash(template(NGINX), 1)).isNotEqualTo(hash);
    assertThat(io.kubeactor.controlplane.controller.Hashes.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }

  @Test
  void templatesAreEqualIgnoringTheHashLabelAndGoZeroValues() {
    PodTemplateSpec stored = template(NGINX);
    PodTemplateSpec fromReplicaSet = template("{metadata: {creationTimestamp: null, labels: {app: web, pod-template-hash: abc}},"
        + " spec: {containers: [{name: web, image: 'nginx:1', resources: {}}]}}");
    assertThat(PodTemplates.equalIgnoreHash(stored, fromReplicaSet)).isTrue();
    assertThat(PodTemplates.equalIgnoreHash(stored, template(NGINX.replace("app: web", "app: api")))).isFalse();
    assertThat(PodTemplates.equalIgnoreHash(stored, template(NGINX.replace("nginx:1", "nginx:2")))).isFalse();
  }
}
