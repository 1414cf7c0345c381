package io.kubeactor.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.kubeactor.common.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubelet's service environment variables (envvars.FromServices, getServiceEnvVarMap) in a container's environment. */
class ContainerEnvironmentTest {

  static final ObjectReader NOTHING = (kind, namespace, name) -> null;

  static ObjectNode service(String namespace, String name, String clusterIp, ServicePortBuilder... ports) {
    Service s = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withClusterIP(clusterIp)
        .withPorts(Arrays.stream(ports).map(ServicePortBuilder::build).toList()).endSpec().build();
    return (ObjectNode) Json.toTree(s);
  }

  static ServicePortBuilder port(String name, int port, String protocol) {
    return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol);
  }

  static ServiceLister cluster(ObjectNode... services) {
    ServiceLister lister = new ServiceLister();
    lister.listed(List.of(services));
    return lister;
  }

  static final ObjectNode KUBERNETES = service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));

  static Pod pod(String namespace, Boolean enableServiceLinks, Container c) {
    return new PodBuilder().withNewMetadata().withNamespace(namespace).withName("client").withUid("u-1").endMetadata()
        .withNewSpec().withEnableServiceLinks(enableServiceLinks).withContainers(c).endSpec().build();
  }

  static ContainerEnvironment env(Pod pod, ServiceLister services) throws Exception {
    return ContainerEnvironment.of(pod, pod.getSpec().getContainers().get(0), "10.244.0.5", "10.244.0.1", NOTHING, services);
  }

  static final Container PLAIN = new ContainerBuilder().withName("c").withImage("busybox").build();

  @Test
  void theKubernetesServiceIsAlwaysThereEvenWithoutServiceLinks() throws Exception {
    ServiceLister services = cluster(KUBERNETES, service("shop", "web", "10.96.0.20", port("", 80, "TCP")));
    assertThat(env(pod("shop", false, PLAIN), services).asDockerEnv()).containsExactly(
        "KUBERNETES_SERVICE_HOST=10.96.0.1",
        "KUBERNETES_SERVICE_PORT=443",
        "KUBERNETES_SERVICE_PORT_HTTPS=443",
        "KUBERNETES_PORT=tcp://10.96.0.1:443",
        "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443",
        "KUBERNETES_PORT_443_TCP_PROTO=tcp",
        "KUBERNETES_PORT_443_TCP_PORT=443",
        "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1");
  }

  @Test
  void serviceLinksGiveEveryServiceOfThePodsNamespaceWithAClusterIpAndNoOtherNamespaces() throws Exception {
    ServiceLister services = cluster(KUBERNETES,
        service("default", "other", "10.96.0.30", port("", 80, "TCP")),
        service("shop", "web-front", "10.96.0.20", port("http", 80, "TCP"), port("dns", 53, "UDP")),
        service("shop", "headless", "None", port("", 80, "TCP")),
        service("shop", "outside", "", port("", 80, "TCP")),
        service("elsewhere", "db", "10.96.0.40", port("", 5432, "TCP")));
    var vars = env(pod("shop", null, PLAIN), services).vars();
    assertThat(vars).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
        .containsEntry("WEB_FRONT_SERVICE_HOST", "10.96.0.20")
        .containsEntry("WEB_FRONT_SERVICE_PORT", "80")
        .containsEntry("WEB_FRONT_SERVICE_PORT_HTTP", "80")
        .containsEntry("WEB_FRONT_SERVICE_PORT_DNS", "53")
        .containsEntry("WEB_FRONT_PORT", "tcp://10.96.0.20:80")
        .containsEntry("WEB_FRONT_PORT_80_TCP", "tcp://10.96.0.20:80")
        .containsEntry("WEB_FRONT_PORT_53_UDP", "udp://10.96.0.20:53")
        .containsEntry("WEB_FRONT_PORT_53_UDP_PROTO", "udp")
        .containsEntry("WEB_FRONT_PORT_53_UDP_PORT", "53")
        .containsEntry("WEB_FRONT_PORT_53_UDP_ADDR", "10.96.0.20");
    assertThat(vars.keySet()).noneMatch(k -> k.startsWith("HEADLESS_") || k.startsWith("OUTSIDE_")
        || k.startsWith("DB_") || k.startsWith("OTHER_"));
    // the Services by name: kubernetes before web-front
    assertThat(List.copyOf(vars.keySet()).indexOf("KUBERNETES_SERVICE_HOST"))
        .isLessThan(List.copyOf(vars.keySet()).indexOf("WEB_FRONT_SERVICE_HOST"));
  }

  @Test
  void aPodOfTheDefaultNamespaceGetsItsOtherServices() throws Exception {
    ServiceLister services = cluster(KUBERNETES, service("default", "other", "10.96.0.30", port("", 80, "TCP")));
    assertThat(env(pod("default", true, PLAIN), services).vars()).containsEntry("OTHER_SERVICE_HOST", "10.96.0.30")
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
  }

  @Test
  void theContainersOwnVariablesComeFirstAndWinAndMayReferToServiceVariables() throws Exception {
    Container c = new ContainerBuilder().withName("c").withImage("busybox")
        .addNewEnv().withName("KUBERNETES_SERVICE_HOST").withValue("api.example").endEnv()
        .addNewEnv().withName("API").withValue("https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)").endEnv()
        .withCommand("sh", "-c", "echo $(KUBERNETES_PORT_443_TCP_ADDR)").build();
    ContainerEnvironment env = env(pod("shop", true, c), cluster(KUBERNETES));
    assertThat(env.asDockerEnv()).startsWith("KUBERNETES_SERVICE_HOST=api.example", "API=https://api.example:443")
        .containsOnlyOnce("KUBERNETES_SERVICE_HOST=api.example")
        .doesNotContain("KUBERNETES_SERVICE_HOST=10.96.0.1")
        .contains("KUBERNETES_SERVICE_PORT=443");
    assertThat(env.expandAll(c.getCommand())).containsExactly("sh", "-c", "echo 10.96.0.1");
  }

  @Test
  void aServiceOfThePodsNamespaceNamedKubernetesWinsOverDefaults() throws Exception {
    ServiceLister services = cluster(KUBERNETES, service("shop", "kubernetes", "10.96.0.99", port("", 8443, "TCP")));
    assertThat(env(pod("shop", true, PLAIN), services).vars()).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.99");
    assertThat(env(pod("shop", false, PLAIN), services).vars()).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
  }

  @Test
  void ipv6ClusterIpsAreBracketedInUrls() throws Exception {
    ServiceLister services = cluster(service("default", "kubernetes", "fd00::1", port("https", 443, "TCP")));
    assertThat(env(pod("shop", true, PLAIN), services).vars()).containsEntry("KUBERNETES_PORT", "tcp://[fd00::1]:443")
        .containsEntry("KUBERNETES_PORT_443_TCP_ADDR", "fd00::1");
  }

  @Test
  void serviceChangesAndDeletionsShowInTheNextContainersEnvironment() throws Exception {
    ServiceLister services = cluster(KUBERNETES);
    services.changed(service("shop", "web", "10.96.0.20", port("", 80, "TCP")));
    assertThat(env(pod("shop", true, PLAIN), services).vars()).containsEntry("WEB_SERVICE_HOST", "10.96.0.20");
    services.deleted(service("shop", "web", "10.96.0.20", port("", 80, "TCP")));
    assertThat(env(pod("shop", true, PLAIN), services).vars()).doesNotContainKey("WEB_SERVICE_HOST");
    // a new list replaces everything
    services.listed(List.of(service("default", "kubernetes", "10.96.0.2", port("https", 443, "TCP"))));
    assertThat(env(pod("shop", true, PLAIN), services).vars()).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.2");
  }

  @Test
  void noContainerIsConfiguredBeforeTheServicesHaveBeenListedOnce() {
    assertThatThrownBy(() -> env(pod("shop", true, PLAIN), new ServiceLister()))
        .isInstanceOf(ContainerEnvironment.ConfigError.class)
        .hasMessage("services have not yet been read at least once, cannot construct envvars");
  }
}
