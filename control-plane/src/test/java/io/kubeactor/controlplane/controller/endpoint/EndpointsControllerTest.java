package io.kubeactor.controlplane.controller.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.endpointslice.ServiceWorld;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints controller over a real store: who is listed, on which ports, and when it changes. */
class EndpointsControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final ServiceWorld world = new ServiceWorld(fixture);
  /** Well under the 30 s resync: changes must come from the handlers. */
  static final Duration PROMPTLY = Duration.ofSeconds(5);

  @BeforeAll
  static void start() {
    fixture.start(new EndpointsController(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static Endpoints endpoints(String ns, String name) {
    return fixture.get(Endpoints.class, ns, name);
  }

  static List<String> ips(List<EndpointAddress> addresses) {
    return addresses.stream().map(EndpointAddress::getIp).toList();
  }

  static void webService(String ns, String extraSpec) {
    world.service(ns, "web", "{app: web, tier: front}", """
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: 8080}]
        """ + (extraSpec == null ? "" : extraSpec));
  }

  @Test
  void readyPodsAreAddressesAndOthersNotReadyAddresses() {
    String ns = "ready";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.pod(ns, "b", "{app: web}", "node-2", null, null);
    world.pod(ns, "other", "{app: other}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    world.running(ns, "b", "10.244.2.3", false);
    world.running(ns, "other", "10.244.1.9", true);

    await().atMost(PROMPTLY).untilAsserted(() -> {
      Endpoints ep = endpoints(ns, "web");
      assertThat(ep).isNotNull();
      assertThat(ep.getSubsets()).hasSize(1);
      EndpointSubset s = ep.getSubsets().get(0);
      assertThat(ips(s.getAddresses())).containsExactly("10.244.1.5");
      assertThat(ips(s.getNotReadyAddresses())).containsExactly("10.244.2.3");
    });
    Endpoints ep = endpoints(ns, "web");
    EndpointSubset s = ep.getSubsets().get(0);
    assertThat(s.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    EndpointAddress a = s.getAddresses().get(0);
    assertThat(a.getNodeName()).isEqualTo("node-1");
    assertThat(a.getHostname()).isNull();
    assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(a.getTargetRef().getName()).isEqualTo("a");
    assertThat(a.getTargetRef().getNamespace()).isEqualTo(ns);
    assertThat(a.getTargetRef().getUid()).isNotEmpty();
    // labelled as the Service; no headless label for a Service with a cluster IP
    assertThat(ep.getMetadata().getLabels()).isEqualTo(Map.of("app", "web", "tier", "front"));
    assertThat(ep.getMetadata().getAnnotations()).containsKey("endpoints.kubernetes.io/last-change-trigger-time");
    assertThat(ep.getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void publishNotReadyAddressesListsEveryPodAsAnAddress() {
    String ns = "publish";
    world.namespace(ns);
    webService(ns, "publishNotReadyAddresses: true");
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.pod(ns, "b", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    world.running(ns, "b", "10.244.1.6", false);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      EndpointSubset s = endpoints(ns, "web").getSubsets().get(0);
      assertThat(ips(s.getAddresses())).containsExactly("10.244.1.5", "10.244.1.6");
      assertThat(s.getNotReadyAddresses()).isEmpty();
    });
    // even a terminating pod stays listed when not-ready addresses are published
    world.terminate(ns, "b");
    world.pod(ns, "c", "{app: web}", "node-1", null, null);
    world.running(ns, "c", "10.244.1.7", true);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(ips(endpoints(ns, "web").getSubsets().get(0).getAddresses()))
            .containsExactly("10.244.1.5", "10.244.1.6", "10.244.1.7"));
  }

  @Test
  void aNamedTargetPortIsResolvedPerPodAndPodsWithoutItAreLeftOut() {
    String ns = "named";
    world.namespace(ns);
    world.service(ns, "web", null, """
        clusterIP: 10.96.0.21
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: web}]
        """);
    world.pod(ns, "a", "{app: web}", "node-1", "[{name: web, containerPort: 8080}]", null);
    world.pod(ns, "b", "{app: web}", "node-1", "[{name: web, containerPort: 9090}]", null);
    world.pod(ns, "c", "{app: web}", "node-1", "[{name: metrics, containerPort: 9100}]", null);
    world.running(ns, "a", "10.244.1.5", true);
    world.running(ns, "b", "10.244.1.6", true);
    world.running(ns, "c", "10.244.1.7", true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      List<EndpointSubset> subsets = endpoints(ns, "web").getSubsets();
      assertThat(subsets).hasSize(2);
      assertThat(subsets).anySatisfy(s -> {
        assertThat(ips(s.getAddresses())).containsExactly("10.244.1.5");
        assertThat(s.getPorts().get(0).getPort()).isEqualTo(8080);
      });
      assertThat(subsets).anySatisfy(s -> {
        assertThat(ips(s.getAddresses())).containsExactly("10.244.1.6");
        assertThat(s.getPorts().get(0).getPort()).isEqualTo(9090);
      });
    });
  }

  @Test
  void readinessChangesScalingAndTerminationAreReflectedPromptly() {
    String ns = "changes";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", false);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(ips(endpoints(ns, "web").getSubsets().get(0).getNotReadyAddresses())).containsExactly("10.244.1.5"));

    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      EndpointSubset s = endpoints(ns, "web").getSubsets().get(0);
      assertThat(ips(s.getAddresses())).containsExactly("10.244.1.5");
      assertThat(s.getNotReadyAddresses()).isEmpty();
    });

    // scale up
    world.pod(ns, "b", "{app: web}", "node-2", null, null);
    world.pod(ns, "c", "{app: web}", "node-2", null, null);
    world.running(ns, "b", "10.244.2.3", true);
    world.running(ns, "c", "10.244.2.4", true);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(ips(endpoints(ns, "web").getSubsets().get(0).getAddresses()))
            .containsExactly("10.244.1.5", "10.244.2.3", "10.244.2.4"));

    // scale down: a terminating pod leaves at once, a removed one too
    world.terminate(ns, "b");
    world.remove(ns, "c");
    await().atMost(PROMPTLY).untilAsserted(() -> {
      EndpointSubset s = endpoints(ns, "web").getSubsets().get(0);
      assertThat(ips(s.getAddresses())).containsExactly("10.244.1.5");
      assertThat(s.getNotReadyAddresses()).isEmpty();
    });

    // a pod that leaves the selector leaves the Endpoints
    fixture.change("v1", "Pod", ns, "a", o -> {
      o.with("metadata").with("labels").put("app", "elsewhere");
      return o;
    });
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(endpoints(ns, "web").getSubsets()).isEmpty());
  }

  @Test
  void podsWithoutAnIpAndFinishedPodsAreNotEndpoints() {
    String ns = "finished";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "pending", "{app: web}", "node-1", null, null);
    world.pod(ns, "done", "{app: web}", "node-1", null, null);
    world.pod(ns, "up", "{app: web}", "node-1", null, null);
    world.running(ns, "done", "10.244.1.8", false);
    world.phase(ns, "done", "Succeeded");
    world.running(ns, "up", "10.244.1.9", true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      List<EndpointSubset> subsets = endpoints(ns, "web").getSubsets();
      assertThat(subsets).singleElement().satisfies(s -> {
        assertThat(ips(s.getAddresses())).containsExactly("10.244.1.9");
        assertThat(s.getNotReadyAddresses()).isEmpty();
      });
    });
  }

  @Test
  void aHeadlessServicePublishesHostnamesOfPodsInItsSubdomain() {
    String ns = "headless";
    world.namespace(ns);
    world.service(ns, "db", "{app: db}", """
        clusterIP: None
        selector: {app: db}
        """);
    world.pod(ns, "db-0", "{app: db}", "node-1", null, "hostname: db-0\nsubdomain: db");
    world.pod(ns, "db-1", "{app: db}", "node-1", null, "hostname: db-1\nsubdomain: elsewhere");
    world.running(ns, "db-0", "10.244.1.10", true);
    world.running(ns, "db-1", "10.244.1.11", true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      Endpoints ep = endpoints(ns, "db");
      assertThat(ep).isNotNull();
      EndpointSubset s = ep.getSubsets().get(0);
      assertThat(s.getPorts()).isEmpty();
      assertThat(s.getAddresses()).extracting(EndpointAddress::getIp, EndpointAddress::getHostname)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("10.244.1.10", "db-0"),
              org.assertj.core.groups.Tuple.tuple("10.244.1.11", null));
      assertThat(ep.getMetadata().getLabels()).containsEntry("service.kubernetes.io/headless", "").containsEntry("app", "db");
    });
  }

  @Test
  void theEndpointsGoWithTheServiceAndAreMadeAgainIfDeleted() {
    String ns = "lifecycle";
    world.namespace(ns);
    webService(ns, null);
    await().atMost(PROMPTLY).until(() -> endpoints(ns, "web") != null);
    // an Endpoints deleted by someone comes back
    String uid = endpoints(ns, "web").getMetadata().getUid();
    fixture.delete("v1", "Endpoints", ns, "web", null);
    await().atMost(PROMPTLY).until(() -> endpoints(ns, "web") != null && !endpoints(ns, "web").getMetadata().getUid().equals(uid));
    fixture.delete("v1", "Service", ns, "web", null);
    await().atMost(PROMPTLY).until(() -> endpoints(ns, "web") == null);
  }

  @Test
  void aServiceWithoutSelectorLeavesItsEndpointsToTheUser() {
    String ns = "manual";
    world.namespace(ns);
    world.service(ns, "external", null, "clusterIP: 10.96.0.30\nports: [{port: 5432}]");
    fixture.apply("""
        apiVersion: v1
        kind: Endpoints
        metadata: {name: external, namespace: manual}
        subsets: [{addresses: [{ip: 192.168.10.5}], ports: [{port: 5432}]}]
        """);
    String rv = endpoints(ns, "external").getMetadata().getResourceVersion();
    // a labelled Service with a selector elsewhere makes the controller busy meanwhile
    webService(ns, null);
    await().atMost(PROMPTLY).until(() -> endpoints(ns, "web") != null);
    assertThat(endpoints(ns, "external").getMetadata().getResourceVersion()).isEqualTo(rv);
    assertThat(ips(endpoints(ns, "external").getSubsets().get(0).getAddresses())).containsExactly("192.168.10.5");
  }

  @Test
  void aSyncThatChangesNothingWritesNothing() throws Exception {
    String ns = "idle";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(endpoints(ns, "web").getSubsets()).isNotEmpty());
    // a controller of its own, called directly, so each sync is known to have run
    EndpointsController controller = new EndpointsController(fixture.context);
    List<WatchCache.Change> writes = world.record("v1", "Endpoints");
    // an annotation on a pod or its container restarting changes no endpoint
    fixture.change("v1", "Pod", ns, "a", o -> {
      o.with("metadata").with("annotations").put("note", "irrelevant");
      return o;
    });
    controller.reconcile(ns + "/web").toCompletableFuture().get(10, TimeUnit.SECONDS);
    controller.reconcile(ns + "/web").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(writes).isEmpty();
  }
}
