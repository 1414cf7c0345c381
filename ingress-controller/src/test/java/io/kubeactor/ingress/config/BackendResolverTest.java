package io.kubeactor.ingress.config;

import static io.kubeactor.ingress.config.Fixtures.NS;
import static io.kubeactor.ingress.config.Fixtures.service;
import static io.kubeactor.ingress.config.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackendBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendResolverTest {

  private final BackendResolver resolver =
      new BackendResolver(
          List.of(service("web", 80, 8080)),
          List.of(slice("web", 8080, List.of("10.0.0.2", "fd00::1", "not-an-ip"), List.of("10.0.0.3"))));

  private static IngressServiceBackend byNumber(String service, int port) {
    return new IngressServiceBackendBuilder().withName(service).withNewPort().withNumber(port).endPort().build();
  }

  private static IngressServiceBackend byName(String service, String port) {
    return new IngressServiceBackendBuilder().withName(service).withNewPort().withName(port).endPort().build();
  }

  @Test
  void theReadyEndpointsAtTheSlicesPortNamedAsTheServicePort() {
    var backend = resolver.resolve(NS, byNumber("web", 80));
    assertThat(backend.upstream()).isEqualTo("default-web-80");
    assertThat(backend.servers()).containsExactly("10.0.0.2:8080", "[fd00::1]:8080");
    assertThat(backend.problem()).isNull();
  }

  @Test
  void aServicePortByNameOrTargetPortAsUpstream() {
    assertThat(resolver.resolve(NS, byName("web", "http")).upstream()).isEqualTo("default-web-http");
    assertThat(resolver.resolve(NS, byName("web", "http")).servers()).hasSize(2);
    assertThat(resolver.resolve(NS, byNumber("web", 8080)).servers()).hasSize(2);
  }

  @Test
  void aMissingServiceOrPort() {
    assertThat(resolver.resolve(NS, byNumber("nosuch", 80)).problem())
        .isEqualTo("Error obtaining Endpoints for Service \"default/nosuch\": no object matching key \"default/nosuch\" in local store");
    var noPort = resolver.resolve(NS, byNumber("web", 81));
    assertThat(noPort.servers()).isEmpty();
    assertThat(noPort.problem()).isEqualTo("Service \"default/web\" does not have any port 81");
  }
}
