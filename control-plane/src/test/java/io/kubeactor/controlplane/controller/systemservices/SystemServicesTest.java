package io.kubeactor.controlplane.controller.systemservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.registry.service.ServiceNetwork;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control plane's own Services and their endpoints, as kube-apiserver and kubeadm make them. */
class SystemServicesTest {

  private ControllerFixture fixture;
  private SystemServices services;
  private ControlPlaneEndpoints endpoints;

  @BeforeEach
  void start() throws Exception {
    fixture = new ControllerFixture();
    var context = fixture.context;
    services = new SystemServices(context.writer(), context.fresh(), fixture.registry.types(), ServiceNetwork.defaults(), 6443);
    endpoints = new ControlPlaneEndpoints(context.writer(), context.fresh(), fixture.registry.types());
    services.ensure(true).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private JsonNode stored(String key) {
    return fixture.registry.cache().state().get(key);
  }

  private static JsonNode yaml(String text) throws Exception {
    return Json.YAML.readTree(text);
  }

  private void publishApiServer(String address, int port) throws Exception {
    endpoints.publish("default", "kubernetes", address, List.of(new ControlPlaneEndpoints.Port("https", port, "TCP")))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theKubernetesServiceIsTheRangesFirstAddressOnPort443ToTheApiServer() throws Exception {
    JsonNode kubernetes = stored("core/services/default/kubernetes");
    assertThat(kubernetes.at("/metadata/labels")).isEqualTo(yaml("{component: apiserver, provider: kubernetes}"));
    assertThat(kubernetes.get("spec")).isEqualTo(yaml("""
        type: ClusterIP
        clusterIP: 10.96.0.1
        clusterIPs: [10.96.0.1]
        ipFamilyPolicy: SingleStack
        ipFamilies: [IPv4]
        sessionAffinity: None
        internalTrafficPolicy: Cluster
        ports: [{name: https, protocol: TCP, port: 443, targetPort: 6443}]
        """));
  }

  @Test
  void kubeDnsIsTheRangesTenthAddressWithoutASelector() throws Exception {
    JsonNode dns = stored("core/services/kube-system/kube-dns");
    assertThat(dns.at("/metadata/labels"))
        .isEqualTo(yaml("{k8s-app: kube-dns, kubernetes.io/cluster-service: 'true', kubernetes.io/name: CoreDNS}"));
    assertThat(dns.at("/metadata/annotations")).isEqualTo(yaml("{prometheus.io/port: '9153', prometheus.io/scrape: 'true'}"));
    assertThat(dns.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.10");
    assertThat(dns.at("/spec").has("selector")).isFalse();
    assertThat(dns.at("/spec/ports")).isEqualTo(yaml("""
        - {name: dns, port: 53, protocol: UDP, targetPort: 53}
        - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
        - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}
        """));
  }

  @Test
  void theEndpointsAndSliceAreWrittenAsKubeApiserversReconcilerWritesThem() throws Exception {
    publishApiServer("172.17.0.1", 6443);
    JsonNode ep = stored("core/endpoints/default/kubernetes");
    assertThat(ep.at("/metadata/labels")).isEqualTo(yaml("{endpointslice.kubernetes.io/skip-mirror: 'true'}"));
    assertThat(ep.get("subsets")).isEqualTo(yaml("[{addresses: [{ip: 172.17.0.1}], ports: [{name: https, port: 6443, protocol: TCP}]}]"));
    JsonNode slice = stored("discovery.k8s.io/endpointslices/default/kubernetes");
    assertThat(slice.at("/metadata/labels")).isEqualTo(yaml("{kubernetes.io/service-name: kubernetes}"));
    assertThat(slice.get("addressType").asText()).isEqualTo("IPv4");
    assertThat(slice.get("endpoints")).isEqualTo(yaml("[{addresses: [172.17.0.1], conditions: {ready: true}}]"));
    assertThat(slice.get("ports")).isEqualTo(yaml("[{name: https, protocol: TCP, port: 6443}]"));
    long version = slice.at("/metadata/resourceVersion").asLong();

    // the same again writes nothing; another port rewrites both
    publishApiServer("172.17.0.1", 6443);
    assertThat(stored("discovery.k8s.io/endpointslices/default/kubernetes").at("/metadata/resourceVersion").asLong()).isEqualTo(version);
    publishApiServer("172.17.0.1", 7443);
    assertThat(stored("core/endpoints/default/kubernetes").at("/subsets/0/ports/0/port").asInt()).isEqualTo(7443);
    assertThat(stored("discovery.k8s.io/endpointslices/default/kubernetes").at("/ports/0/port").asInt()).isEqualTo(7443);
  }

  @Test
  void theDnsServerPublishesItsOwnPorts() throws Exception {
    endpoints.publish("kube-system", "kube-dns", "172.17.0.1", List.of(
        new ControlPlaneEndpoints.Port("dns", 10053, "UDP"), new ControlPlaneEndpoints.Port("dns-tcp", 10053, "TCP"),
        new ControlPlaneEndpoints.Port("metrics", 19153, "TCP"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(stored("discovery.k8s.io/endpointslices/kube-system/kube-dns").get("ports")).isEqualTo(yaml("""
        - {name: dns, protocol: UDP, port: 10053}
        - {name: dns-tcp, protocol: TCP, port: 10053}
        - {name: metrics, protocol: TCP, port: 19153}
        """));
    assertThat(stored("core/endpoints/kube-system/kube-dns").at("/subsets/0/addresses/0/ip").asText()).isEqualTo("172.17.0.1");
  }

  @Test
  void startingAgainPutsBackTheTypeAndPorts() throws Exception {
    fixture.change("v1", "Service", "default", "kubernetes", s -> {
      ((ObjectNode) s.at("/spec/ports/0")).put("targetPort", 8443);
      return s;
    });
    services.ensure(false).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(stored("core/services/default/kubernetes").at("/spec/ports/0/targetPort").asInt()).isEqualTo(8443);
    services.ensure(true).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(stored("core/services/default/kubernetes").at("/spec/ports/0/targetPort").asInt()).isEqualTo(6443);
    assertThat(stored("core/services/default/kubernetes").at("/spec/clusterIP").asText()).isEqualTo("10.96.0.1");
  }

  @Test
  void theControllerMakesAgainWhatIsDeletedOrChanged() throws Exception {
    publishApiServer("172.17.0.1", 6443);
    fixture.start(new SystemServicesController(fixture.context, services, endpoints));

    fixture.delete("v1", "Service", "default", "kubernetes", null);
    await().untilAsserted(() -> assertThat(stored("core/services/default/kubernetes")).isNotNull());
    assertThat(stored("core/services/default/kubernetes").at("/spec/clusterIP").asText()).isEqualTo("10.96.0.1");
    // the Service's deletion took its Endpoints with it; they come back
    await().untilAsserted(() -> assertThat(stored("core/endpoints/default/kubernetes")).isNotNull());

    fixture.change("v1", "Endpoints", "default", "kubernetes", e -> {
      ((ObjectNode) e.at("/subsets/0/addresses/0")).put("ip", "10.0.0.9");
      return e;
    });
    await().untilAsserted(() -> assertThat(stored("core/endpoints/default/kubernetes").at("/subsets/0/addresses/0/ip").asText())
        .isEqualTo("172.17.0.1"));

    fixture.apply("""
        {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: kubernetes-stray, namespace: default,
          labels: {kubernetes.io/service-name: kubernetes}}, addressType: IPv4, endpoints: [], ports: []}""");
    fixture.delete("discovery.k8s.io/v1", "EndpointSlice", "default", "kubernetes", null);
    await().untilAsserted(() -> {
      assertThat(stored("discovery.k8s.io/endpointslices/default/kubernetes")).isNotNull();
      assertThat(stored("discovery.k8s.io/endpointslices/default/kubernetes-stray")).isNull();
    });

    fixture.delete("v1", "Service", "kube-system", "kube-dns", null);
    await().untilAsserted(() -> assertThat(stored("core/services/kube-system/kube-dns")).isNotNull());
  }
}
