package io.kubeactor.controlplane.controller.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.garbagecollector.GarbageCollector;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpointslice controller over a real store, with the garbage collector beside it. */
class EndpointSliceControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final ServiceWorld world = new ServiceWorld(fixture);
  /** Well under the 30 s resync: changes must come from the handlers. */
  static final Duration PROMPTLY = Duration.ofSeconds(5);

  @BeforeAll
  static void start() {
    world.node("node-1", "zone-a");
    world.node("node-2", "zone-b");
    world.node("bare", null);
    fixture.start(new EndpointSliceController(fixture.context));
    fixture.start(new GarbageCollector(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static List<EndpointSlice> slices(String ns, String service) {
    return fixture.list(EndpointSlice.class, ns).stream()
        .filter(s -> service.equals(s.getMetadata().getLabels().get("kubernetes.io/service-name")))
        .toList();
  }

  static List<Endpoint> endpoints(String ns, String service) {
    return slices(ns, service).stream().flatMap(s -> s.getEndpoints().stream()).toList();
  }

  static Endpoint endpoint(String ns, String service, String pod) {
    return endpoints(ns, service).stream().filter(e -> pod.equals(e.getTargetRef().getName())).findFirst().orElse(null);
  }

  static void webService(String ns, String extraSpec) {
    world.service(ns, "web", "{app: web}", """
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: 8080}]
        """ + (extraSpec == null ? "" : extraSpec));
  }

  static List<Boolean> conditions(Endpoint e) {
    return List.of(e.getConditions().getReady(), e.getConditions().getServing(), e.getConditions().getTerminating());
  }

  @Test
  void aSliceListsThePodsWithTheirConditionsNodeAndZone() {
    String ns = "basic";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.pod(ns, "b", "{app: web}", "node-2", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    world.running(ns, "b", "10.244.2.3", false);

    await().atMost(PROMPTLY).untilAsserted(() -> {
      assertThat(endpoints(ns, "web")).hasSize(2);
      assertThat(conditions(endpoint(ns, "web", "b"))).containsExactly(false, false, false);
    });
    EndpointSlice slice = slices(ns, "web").get(0);
    Service svc = fixture.get(Service.class, ns, "web");
    assertThat(slices(ns, "web")).hasSize(1);
    assertThat(slice.getMetadata().getName()).startsWith("web-").hasSize("web-".length() + 5);
    assertThat(slice.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getMetadata().getLabels()).isEqualTo(Map.of(
        "app", "web", "kubernetes.io/service-name", "web", "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"));
    assertThat(slice.getMetadata().getAnnotations()).containsKey("endpoints.kubernetes.io/last-change-trigger-time");
    OwnerReference owner = slice.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getApiVersion()).isEqualTo("v1");
    assertThat(owner.getKind()).isEqualTo("Service");
    assertThat(owner.getName()).isEqualTo("web");
    assertThat(owner.getUid()).isEqualTo(svc.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(slice.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });

    Endpoint a = endpoint(ns, "web", "a");
    assertThat(a.getAddresses()).containsExactly("10.244.1.5");
    assertThat(conditions(a)).containsExactly(true, true, false);
    assertThat(a.getNodeName()).isEqualTo("node-1");
    assertThat(a.getZone()).isEqualTo("zone-a");
    assertThat(a.getHostname()).isNull();
    assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(a.getTargetRef().getNamespace()).isEqualTo(ns);
    assertThat(endpoint(ns, "web", "b").getZone()).isEqualTo("zone-b");
  }

  @Test
  void aServiceWithoutPodsHasOneEmptyPlaceholderSliceThatIsReused() {
    String ns = "empty";
    world.namespace(ns);
    webService(ns, null);
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(slices(ns, "web")).singleElement().satisfies(s -> {
      assertThat(s.getEndpoints()).isEmpty();
      assertThat(s.getPorts()).isEmpty();
    }));
    String placeholder = slices(ns, "web").get(0).getMetadata().getName();
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    // the placeholder is filled in place rather than replaced
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(slices(ns, "web")).singleElement().satisfies(s -> {
      assertThat(s.getMetadata().getName()).isEqualTo(placeholder);
      assertThat(s.getEndpoints()).hasSize(1);
      assertThat(s.getPorts()).hasSize(1);
    }));
    world.remove(ns, "a");
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(slices(ns, "web")).singleElement().satisfies(s -> {
      assertThat(s.getEndpoints()).isEmpty();
      assertThat(s.getPorts()).isEmpty();
    }));
  }

  @Test
  void twoHundredFiftyPodsMakeThreeSlicesOfAtMostOneHundredAndScaleDown() {
    String ns = "many";
    world.namespace(ns);
    webService(ns, null);
    for (int i = 0; i < 250; i++) {
      world.pod(ns, "p" + i, "{app: web}", i % 2 == 0 ? "node-1" : "node-2", null, null);
      world.running(ns, "p" + i, "10.244." + (i / 200 + 1) + "." + (i % 200 + 1), true);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<EndpointSlice> slices = slices(ns, "web");
      assertThat(slices).hasSize(3);
      assertThat(slices).allSatisfy(s -> assertThat(s.getEndpoints().size()).isLessThanOrEqualTo(100));
      assertThat(distinctPods(slices)).hasSize(250);
    });

    for (int i = 50; i < 250; i++) world.remove(ns, "p" + i);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<EndpointSlice> slices = slices(ns, "web");
      assertThat(distinctPods(slices)).hasSize(50).allMatch(n -> Integer.parseInt(n.substring(1)) < 50);
      assertThat(slices).allSatisfy(s -> assertThat(s.getEndpoints()).isNotEmpty().hasSizeLessThanOrEqualTo(100));
      assertThat(slices.stream().mapToInt(s -> s.getEndpoints().size()).sum()).isEqualTo(50);
    });
  }

  static Set<String> distinctPods(Collection<EndpointSlice> slices) {
    return slices.stream().flatMap(s -> s.getEndpoints().stream()).map(e -> e.getTargetRef().getName())
        .collect(Collectors.toSet());
  }

  @Test
  void terminatingPodsStayAsNotReadyServingTerminating() {
    String ns = "terminating";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).until(() -> endpoint(ns, "web", "a") != null);
    world.terminate(ns, "a");
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(conditions(endpoint(ns, "web", "a"))).containsExactly(false, true, true));
    world.running(ns, "a", "10.244.1.5", false);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(conditions(endpoint(ns, "web", "a"))).containsExactly(false, false, true));
    world.remove(ns, "a");
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(endpoints(ns, "web")).isEmpty());
  }

  @Test
  void publishNotReadyAddressesMakesEveryEndpointReady() {
    String ns = "publish";
    world.namespace(ns);
    webService(ns, "publishNotReadyAddresses: true");
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", false);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(conditions(endpoint(ns, "web", "a"))).containsExactly(true, false, false));
    world.terminate(ns, "a");
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(conditions(endpoint(ns, "web", "a"))).containsExactly(true, false, true));
  }

  @Test
  void aReadinessChangeIsReflectedInPlace() {
    String ns = "readiness";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", false);
    await().atMost(PROMPTLY).until(() -> endpoint(ns, "web", "a") != null);
    String name = slices(ns, "web").get(0).getMetadata().getName();
    long generation = slices(ns, "web").get(0).getMetadata().getGeneration();
    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(conditions(endpoint(ns, "web", "a"))).containsExactly(true, true, false));
    EndpointSlice slice = slices(ns, "web").get(0);
    assertThat(slice.getMetadata().getName()).isEqualTo(name);
    assertThat(slice.getMetadata().getGeneration()).isGreaterThan(generation);
  }

  @Test
  void endpointsAreGroupedByTheirResolvedPorts() {
    String ns = "ports";
    world.namespace(ns);
    world.service(ns, "web", null, """
        clusterIP: 10.96.0.21
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: web}, {name: admin, port: 81, targetPort: 9000}]
        """);
    world.pod(ns, "a", "{app: web}", "node-1", "[{name: web, containerPort: 8080}]", null);
    world.pod(ns, "b", "{app: web}", "node-1", "[{name: web, containerPort: 8080}]", null);
    world.pod(ns, "c", "{app: web}", "node-1", "[{name: web, containerPort: 9090}]", null);
    world.pod(ns, "d", "{app: web}", "node-1", "[]", null);
    for (String p : List.of("a", "b", "c", "d")) world.running(ns, p, "10.244.1." + (p.charAt(0) - 'a' + 10), true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      Map<String, Set<String>> podsByPorts = slices(ns, "web").stream().collect(Collectors.toMap(
          s -> s.getPorts().stream().map(p -> p.getName() + ":" + p.getPort()).sorted().collect(Collectors.joining(",")),
          s -> s.getEndpoints().stream().map(e -> e.getTargetRef().getName()).collect(Collectors.toSet())));
      assertThat(podsByPorts).isEqualTo(Map.of(
          "admin:9000,http:8080", Set.of("a", "b"),
          "admin:9000,http:9090", Set.of("c"),
          // a pod without the named port still serves the numeric one
          "admin:9000", Set.of("d")));
    });
  }

  @Test
  void aHeadlessServicePublishesHostnamesOfPodsInItsSubdomain() {
    String ns = "headless";
    world.namespace(ns);
    world.service(ns, "db", null, "clusterIP: None\nselector: {app: db}");
    world.pod(ns, "db-0", "{app: db}", "node-1", null, "hostname: db-0\nsubdomain: db");
    world.pod(ns, "db-1", "{app: db}", "node-1", null, "hostname: db-1");
    world.running(ns, "db-0", "10.244.1.10", true);
    world.running(ns, "db-1", "10.244.1.11", true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      assertThat(endpoint(ns, "db", "db-0")).isNotNull().extracting(Endpoint::getHostname).isEqualTo("db-0");
      assertThat(endpoint(ns, "db", "db-1")).isNotNull().extracting(Endpoint::getHostname).isNull();
    });
    EndpointSlice slice = slices(ns, "db").get(0);
    assertThat(slice.getPorts()).isEmpty();
    assertThat(slice.getMetadata().getLabels()).containsEntry("service.kubernetes.io/headless", "");
  }

  @Test
  void aPodOnAnUnknownNodeWaitsForTheNode() {
    String ns = "nodes";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.pod(ns, "b", "{app: web}", "node-new", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    world.running(ns, "b", "10.244.9.5", true);
    await().atMost(PROMPTLY).until(() -> endpoint(ns, "web", "a") != null);
    assertThat(endpoint(ns, "web", "b")).isNull();
    world.node("node-new", "zone-c");
    // retried with back-off, starting at a second
    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(endpoint(ns, "web", "b")).isNotNull().extracting(Endpoint::getZone).isEqualTo("zone-c"));
  }

  @Test
  void aSliceDeletedBySomeoneIsMadeAgainAndTheServiceTakesItsSlicesAlong() {
    String ns = "lifecycle";
    world.namespace(ns);
    webService(ns, null);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).until(() -> endpoint(ns, "web", "a") != null);
    String name = slices(ns, "web").get(0).getMetadata().getName();
    fixture.delete("discovery.k8s.io/v1", "EndpointSlice", ns, name, null);
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(slices(ns, "web")).singleElement().satisfies(s -> {
      assertThat(s.getMetadata().getName()).isNotEqualTo(name);
      assertThat(s.getEndpoints()).hasSize(1);
    }));
    fixture.delete("v1", "Service", ns, "web", null);
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(slices(ns, "web")).isEmpty());
  }

  @Test
  void aSyncThatChangesNothingWritesNothing() throws Exception {
    String ns = "idle";
    world.namespace(ns);
    webService(ns, null);
    for (int i = 0; i < 3; i++) {
      world.pod(ns, "p" + i, "{app: web}", "node-1", null, null);
      world.running(ns, "p" + i, "10.244.1." + (20 + i), i != 1);
    }
    // settled: one slice with the three endpoints (the placeholder slice of the Service without pods is gone too)
    await().atMost(PROMPTLY).untilAsserted(() -> {
      assertThat(slices(ns, "web")).hasSize(1);
      assertThat(endpoints(ns, "web")).hasSize(3);
    });
    EndpointSliceController controller = new EndpointSliceController(fixture.context);
    List<WatchCache.Change> writes = world.record("discovery.k8s.io/v1", "EndpointSlice");
    controller.reconcile(ns + "/web").toCompletableFuture().get(10, TimeUnit.SECONDS);
    controller.reconcile(ns + "/web").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(writes).isEmpty();
  }

  @Test
  void servicesWithoutSelectorOrOfTypeExternalNameGetNoSlices() {
    String ns = "noselector";
    world.namespace(ns);
    world.service(ns, "manual", null, "clusterIP: 10.96.0.40\nports: [{port: 80}]");
    world.service(ns, "ext", null, "type: ExternalName\nexternalName: db.example.com\nselector: {app: web}");
    webService(ns, null);
    await().atMost(PROMPTLY).until(() -> !slices(ns, "web").isEmpty());
    assertThat(slices(ns, "manual")).isEmpty();
    assertThat(slices(ns, "ext")).isEmpty();
  }

  @Test
  void portsAreThoseOfTheServiceInItsOrder() {
    String ns = "order";
    world.namespace(ns);
    world.service(ns, "web", null, """
        clusterIP: 10.96.0.22
        selector: {app: web}
        ports: [{name: https, port: 443}, {name: http, port: 80}, {name: dns, port: 53, protocol: UDP}]
        """);
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(slices(ns, "web")).singleElement().satisfies(s ->
        assertThat(s.getPorts()).extracting(EndpointPort::getName, EndpointPort::getPort, EndpointPort::getProtocol)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("https", 443, "TCP"),
                org.assertj.core.groups.Tuple.tuple("http", 80, "TCP"),
                org.assertj.core.groups.Tuple.tuple("dns", 53, "UDP"))));
  }
}
