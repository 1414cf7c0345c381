package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cluster objects for the renderer's tests, in the default namespace. */
final class Fixtures {

  static final String NS = "default";
  static final String CLASS = "nginx";
  static final String CONTROLLER = "k8s.io/ingress-nginx";
  static final String A = AnnotationParser.PREFIX;

  private Fixtures() {}

  static ControllerSettings settings(Path run, String listenAddress, int http, int https, int health) {
    return new ControllerSettings(
        CLASS, CONTROLLER, false, null, listenAddress, http, https, health, run, run.resolve("default.crt"), run.resolve("default.key"));
  }

  static ControllerSettings settings() {
    return settings(Path.of("/run/ingress"), null, 80, 443, 10254);
  }

  static IngressClass ingressClass(String name, String controller) {
    return new IngressClassBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withController(controller).endSpec().build();
  }

  static ClusterState state(List<TestIngress> ingresses, List<Service> services, List<EndpointSlice> slices, List<Secret> secrets) {
    return new ClusterState(
        ingresses.stream().map(TestIngress::build).toList(), List.of(ingressClass(CLASS, CONTROLLER)), services, slices, secrets);
  }

  static RenderedConfig render(List<TestIngress> ingresses, List<Service> services, List<EndpointSlice> slices, List<Secret> secrets) {
    return NginxConfigRenderer.render(state(ingresses, services, slices, secrets), settings());
  }

  static TestIngress ingress(String name) {
    return new TestIngress(name);
  }

  static HTTPIngressPath path(String path, String pathType, String service, int port) {
    return new HTTPIngressPathBuilder().withPath(path).withPathType(pathType).withBackend(backend(service, port)).build();
  }

  static IngressBackend backend(String service, int port) {
    return new IngressBackendBuilder().withNewService().withName(service).withNewPort().withNumber(port).endPort().endService().build();
  }

  /** A Service with one port named "http" to targetPort; its EndpointSlice comes from {@link #slice}. */
  static Service service(String name, int port, int targetPort) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(targetPort)).withProtocol("TCP").endPort().endSpec()
        .build();
  }

  /** The EndpointSlice of a Service's "http" port: ready endpoints at addresses, each "ip" on port. */
  static EndpointSlice slice(String service, int port, String... readyAddresses) {
    return slice(service, port, Arrays.asList(readyAddresses), List.of());
  }

  static EndpointSlice slice(String service, int port, List<String> ready, List<String> notReady) {
    List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = new ArrayList<>();
    for (String address : ready) {
      endpoints.add(new EndpointBuilder().withAddresses(address).withNewConditions().withReady(true).endConditions().build());
    }
    for (String address : notReady) {
      endpoints.add(new EndpointBuilder().withAddresses(address).withNewConditions().withReady(false).endConditions().build());
    }
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(NS).withName(service + "-abcde").withLabels(Map.of(BackendResolver.SERVICE_NAME_LABEL, service)).endMetadata()
        .withAddressType("IPv4")
        .withPorts(new EndpointPortBuilder().withName("http").withPort(port).withProtocol("TCP").build())
        .withEndpoints(endpoints)
        .build();
  }

  static Secret tlsSecret(String name, byte[] certificate, byte[] key) {
    return new SecretBuilder()
        .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(certificate), "tls.key", Base64.getEncoder().encodeToString(key)))
        .build();
  }

  /** An Ingress in the making; created at second n of the epoch, its class nginx unless said. */
  static final class TestIngress {
    private final String name;
    private int created;
    private String className = CLASS;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final List<IngressRule> rules = new ArrayList<>();
    private final List<IngressTLS> tls = new ArrayList<>();
    private IngressBackend defaultBackend;

    TestIngress(String name) {
      this.name = name;
    }

    TestIngress created(int second) {
      this.created = second;
      return this;
    }

    TestIngress className(String className) {
      this.className = className;
      return this;
    }

    TestIngress annotation(String key, String value) {
      annotations.put(key.contains("/") ? key : A + key, value);
      return this;
    }

    TestIngress rule(String host, HTTPIngressPath... paths) {
      rules.add(new IngressRuleBuilder().withHost(host).withNewHttp().withPaths(paths).endHttp().build());
      return this;
    }

    TestIngress tls(String secretName, String... hosts) {
      tls.add(new IngressTLSBuilder().withSecretName(secretName).withHosts(hosts).build());
      return this;
    }

    TestIngress defaultBackend(String service, int port) {
      this.defaultBackend = backend(service, port);
      return this;
    }

    Ingress build() {
      return new IngressBuilder()
          .withNewMetadata()
          .withNamespace(NS)
          .withName(name)
          .withCreationTimestamp(Instant.ofEpochSecond(1_700_000_000L + created).toString())
          .withAnnotations(annotations.isEmpty() ? null : annotations)
          .endMetadata()
          .withNewSpec()
          .withIngressClassName(className)
          .withRules(rules.isEmpty() ? null : rules)
          .withTls(tls.isEmpty() ? null : tls)
          .withDefaultBackend(defaultBackend)
          .endSpec()
          .build();
    }
  }
}
