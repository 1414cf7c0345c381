package io.kubeactor.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void namesWithoutRegistryOrTagAreDockerHubLatest() {
    ImageReference r = ImageReference.parse("nginx");
    assertThat(r.registry()).isEqualTo("docker.io");
    assertThat(r.canonical()).isEqualTo("nginx:latest");
    assertThat(ImageReference.parse("polinux/stress").registry()).isEqualTo("docker.io");
  }

  @Test
  void aHostWithADotOrPortOrLocalhostIsARegistry() {
    assertThat(ImageReference.parse("mydomain:5000/photo-view:v2.0").registry()).isEqualTo("mydomain:5000");
    assertThat(ImageReference.parse("mydomain:5000/photo-view:v2.0").tagOrDigest()).isEqualTo("v2.0");
    assertThat(ImageReference.parse("k8s.gcr.io/liveness").registry()).isEqualTo("k8s.gcr.io");
    assertThat(ImageReference.parse("localhost/x").registry()).isEqualTo("localhost");
    assertThat(ImageReference.parse("busybox@sha256:abc").tagOrDigest()).isEqualTo("sha256:abc");
  }

  @Test
  void dockersWordsForNoRegistryAreUnreachable() {
    assertThat(DockerRuntime.isUnreachable("Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host")).isTrue();
    assertThat(DockerRuntime.isUnreachable("manifest for nginx:v10 not found: manifest unknown")).isFalse();
    assertThat(DockerRuntime.isUnreachable("Head \"http://localhost:5000/v2/x/manifests/v1\": no basic auth credentials")).isFalse();
  }
}
