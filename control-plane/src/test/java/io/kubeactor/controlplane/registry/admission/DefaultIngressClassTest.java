package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DefaultIngressClassTest {

  private static ObjectNode ingressClass(String name, String created, String isDefault) {
    return yaml("""
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: %s
          creationTimestamp: "%s"
          annotations: {%s}
        spec: {controller: k8s.io/ingress-nginx}
        """.formatted(name, created, isDefault == null ? "" : "ingressclass.kubernetes.io/is-default-class: \"" + isDefault + "\""));
  }

  private static final ObjectNode NGINX = ingressClass("nginx", "2025-01-01T10:00:00Z", "true");
  private static final ObjectNode TRAEFIK = ingressClass("traefik", "2025-01-01T11:00:00Z", null);
  private static final ObjectNode NOT_DEFAULT = ingressClass("haproxy", "2025-01-01T12:00:00Z", "false");

  private static ObjectNode ingress(String annotations, String classLine) {
    return yaml("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: default, annotations: {%s}}
        spec:
          %s
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """.formatted(annotations, classLine));
  }

  private static String admitted(ObjectNode ingress, List<ObjectNode> classes) {
    DefaultIngressClass.admit(ingress, () -> classes);
    return ingress.path("spec").path("ingressClassName").asText(null);
  }

  @Test
  void anIngressWithoutAClassGetsTheDefaultOne() {
    assertThat(admitted(ingress("", ""), List.of(TRAEFIK, NGINX, NOT_DEFAULT))).isEqualTo("nginx");
    assertThat(admitted(ingress("", "ingressClassName: null"), List.of(NGINX))).isEqualTo("nginx");
  }

  @Test
  void anIngressThatNamesAClassByFieldOrAnnotationKeepsIt() {
    assertThat(admitted(ingress("", "ingressClassName: traefik"), List.of(NGINX, TRAEFIK))).isEqualTo("traefik");
    // the annotation counts whatever its value, even empty
    assertThat(admitted(ingress("kubernetes.io/ingress.class: traefik", ""), List.of(NGINX))).isNull();
    assertThat(admitted(ingress("kubernetes.io/ingress.class: \"\"", ""), List.of(NGINX))).isNull();
  }

  @Test
  void theClassesAreNotReadForAnIngressThatNamesOne() {
    AtomicInteger reads = new AtomicInteger();
    DefaultIngressClass.admit(ingress("", "ingressClassName: traefik"), () -> {
      reads.incrementAndGet();
      return List.of(NGINX);
    });
    assertThat(reads).hasValue(0);
  }

  @Test
  void withoutADefaultClassTheIngressHasNone() {
    assertThat(admitted(ingress("", ""), List.of(TRAEFIK, NOT_DEFAULT))).isNull();
    assertThat(admitted(ingress("", ""), List.of())).isNull();
  }

  @Test
  void ofSeveralDefaultsTheNewestThenTheFirstByNameWins() {
    ObjectNode newer = ingressClass("zeta", "2025-02-01T00:00:00Z", "true");
    ObjectNode sameTime = ingressClass("alpha", "2025-02-01T00:00:00Z", "true");
    assertThat(admitted(ingress("", ""), List.of(NGINX, newer))).isEqualTo("zeta");
    assertThat(admitted(ingress("", ""), List.of(NGINX, newer, sameTime))).isEqualTo("alpha");
  }
}
