package io.kubeactor.controlplane.controller.endpointslicemirroring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.endpoint.EndpointsController;
import io.kubeactor.controlplane.controller.endpointslice.EndpointSliceController;
import io.kubeactor.controlplane.controller.endpointslice.ServiceWorld;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mirroring controller, beside the endpoints and endpointslice controllers as in the control plane. */
class EndpointSliceMirroringControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final ServiceWorld world = new ServiceWorld(fixture);
  static final Duration PROMPTLY = Duration.ofSeconds(5);
  static final String MIRRORING = "endpointslicemirroring-controller.k8s.io";

  @BeforeAll
  static void start() {
    world.node("node-1", "zone-a");
    fixture.start(new EndpointSliceMirroringController(fixture.context));
    fixture.start(new EndpointsController(fixture.context));
    fixture.start(new EndpointSliceController(fixture.context));
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

  static List<EndpointSlice> mirrored(String ns, String service) {
    return slices(ns, service).stream()
        .filter(s -> MIRRORING.equals(s.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by")))
        .toList();
  }

  static void selectorless(String ns, String name) {
    world.service(ns, name, null, "ports: [{name: pg, port: 5432}]");
  }

  static void userEndpoints(String ns, String name, String labels, String subsets) {
    fixture.apply("""
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: %s
          namespace: %s
          labels: %s
          annotations: {team: data, kubectl.kubernetes.io/last-applied-configuration: "{}"}
        subsets: %s
        """.formatted(name, ns, labels, subsets));
  }

  @Test
  void theEndpointsOfAServiceWithoutSelectorAreMirrored() {
    String ns = "mirror";
    world.namespace(ns);
    selectorless(ns, "db");
    userEndpoints(ns, "db", "{tier: data}", """
        [{addresses: [{ip: 192.168.10.5, nodeName: node-1, hostname: primary}], notReadyAddresses: [{ip: 192.168.10.6}],
          ports: [{name: pg, port: 5432}]}]""");
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(mirrored(ns, "db")).hasSize(1));
    EndpointSlice slice = mirrored(ns, "db").get(0);
    Endpoints ep = fixture.get(Endpoints.class, ns, "db");
    assertThat(slice.getMetadata().getName()).startsWith("db-");
    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getMetadata().getLabels()).isEqualTo(Map.of(
        "tier", "data", "kubernetes.io/service-name", "db", "endpointslice.kubernetes.io/managed-by", MIRRORING));
    // annotations are copied, kubectl's last-applied configuration aside
    assertThat(slice.getMetadata().getAnnotations()).isEqualTo(Map.of("team", "data"));
    OwnerReference owner = slice.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("Endpoints");
    assertThat(owner.getUid()).isEqualTo(ep.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(slice.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("pg");
      assertThat(p.getPort()).isEqualTo(5432);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    assertThat(slice.getEndpoints()).extracting(e -> e.getAddresses().get(0), e -> e.getConditions().getReady(),
        Endpoint::getNodeName, Endpoint::getHostname).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("192.168.10.5", true, "node-1", "primary"),
        org.assertj.core.groups.Tuple.tuple("192.168.10.6", false, null, null));

    // a change of the Endpoints updates the same slice
    String name = slice.getMetadata().getName();
    fixture.change("v1", "Endpoints", ns, "db", o -> {
      ((com.fasterxml.jackson.databind.node.ObjectNode) o.withArray("subsets").get(0)).withArray("addresses")
          .addObject().put("ip", "192.168.10.7");
      return o;
    });
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(mirrored(ns, "db")).singleElement().satisfies(s -> {
      assertThat(s.getMetadata().getName()).isEqualTo(name);
      assertThat(s.getEndpoints()).hasSize(3);
    }));

    // the Endpoints deleted, its slices go
    fixture.delete("v1", "Endpoints", ns, "db", null);
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(mirrored(ns, "db")).isEmpty());
  }

  @Test
  void endpointsLabelledSkipMirrorAreNotMirrored() {
    String ns = "skip";
    world.namespace(ns);
    selectorless(ns, "db");
    userEndpoints(ns, "db", "{}", "[{addresses: [{ip: 192.168.10.5}], ports: [{port: 5432}]}]");
    await().atMost(PROMPTLY).until(() -> mirrored(ns, "db").size() == 1);
    // labelled later: the mirrored slices go
    fixture.change("v1", "Endpoints", ns, "db", o -> {
      o.with("metadata").with("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
      return o;
    });
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(mirrored(ns, "db")).isEmpty());

    // as the control plane writes its own kubernetes Service: Endpoints labelled skip-mirror, and a
    // slice of its own; neither is touched
    world.service(ns, "kubernetes", null, "clusterIP: 10.96.0.1\nports: [{name: https, port: 443, targetPort: 6443}]");
    fixture.apply("""
        apiVersion: v1
        kind: Endpoints
        metadata: {name: kubernetes, namespace: skip, labels: {endpointslice.kubernetes.io/skip-mirror: "true"}}
        subsets: [{addresses: [{ip: 172.17.0.1}], ports: [{name: https, port: 6443}]}]
        """);
    fixture.apply("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: kubernetes, namespace: skip, labels: {kubernetes.io/service-name: kubernetes}}
        addressType: IPv4
        endpoints: [{addresses: [172.17.0.1], conditions: {ready: true}}]
        ports: [{name: https, port: 6443, protocol: TCP}]
        """);
    // a mirrored Service beside it shows the controller has been through the namespace
    selectorless(ns, "other");
    userEndpoints(ns, "other", "{}", "[{addresses: [{ip: 192.168.10.9}], ports: [{port: 5432}]}]");
    await().atMost(PROMPTLY).until(() -> mirrored(ns, "other").size() == 1);
    assertThat(slices(ns, "kubernetes")).singleElement().satisfies(s -> assertThat(s.getMetadata().getName()).isEqualTo("kubernetes"));
  }

  @Test
  void theEndpointsOfAServiceWithASelectorAreTheEndpointSliceControllers() {
    String ns = "selector";
    world.namespace(ns);
    world.service(ns, "web", null, "clusterIP: 10.96.0.60\nselector: {app: web}\nports: [{port: 80}]");
    world.pod(ns, "a", "{app: web}", "node-1", null, null);
    world.running(ns, "a", "10.244.1.5", true);
    await().atMost(PROMPTLY).untilAsserted(() -> {
      assertThat(fixture.get(Endpoints.class, ns, "web")).isNotNull();
      assertThat(slices(ns, "web")).singleElement().satisfies(s -> assertThat(s.getEndpoints()).hasSize(1));
    });
    assertThat(mirrored(ns, "web")).isEmpty();
  }

  @Test
  void noServiceNoMirrorAndTheSelectorDecides() {
    String ns = "noservice";
    world.namespace(ns);
    userEndpoints(ns, "lonely", "{}", "[{addresses: [{ip: 192.168.10.5}], ports: [{port: 5432}]}]");
    selectorless(ns, "db");
    userEndpoints(ns, "db", "{}", "[{addresses: [{ip: 192.168.10.6}], ports: [{port: 5432}]}]");
    await().atMost(PROMPTLY).until(() -> mirrored(ns, "db").size() == 1);
    assertThat(mirrored(ns, "lonely")).isEmpty();
    // the Service gets a selector: mirroring stops (its Endpoints are the endpoints controller's now)
    fixture.change("v1", "Service", ns, "db", o -> {
      o.with("spec").with("selector").put("app", "db");
      return o;
    });
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(mirrored(ns, "db")).isEmpty());
  }

  @Test
  void invalidAddressesAreLeftOutAndEachFamilyGetsItsSlice() {
    // validation refuses such an address now; one stored before is left out of the mirror
    MirroredSlices.Result r = new MirroredSlices(MIRRORING, 1000).compute(endpoints("""
        apiVersion: v1
        kind: Endpoints
        metadata: {name: db, namespace: invalid, uid: u1}
        subsets: [{addresses: [{ip: 192.168.10.5}, {ip: not-an-ip}, {ip: "fd00::5"}], ports: [{port: 5432, protocol: TCP}]}]
        """), List.of());
    assertThat(r.invalidAddresses()).isEqualTo(1);
    assertThat(r.addressesSkipped()).isEqualTo(1);
    assertThat(r.plan().create()).extracting(EndpointSlice::getAddressType).containsExactlyInAnyOrder("IPv4", "IPv6");
  }

  @Test
  void aMirrorThatIsUpToDateIsNotWritten() throws Exception {
    String ns = "idle";
    world.namespace(ns);
    selectorless(ns, "db");
    userEndpoints(ns, "db", "{a: b}", "[{addresses: [{ip: 192.168.10.5}], notReadyAddresses: [{ip: 192.168.10.6}], ports: [{port: 5432}]}]");
    await().atMost(PROMPTLY).until(() -> mirrored(ns, "db").size() == 1);
    EndpointSliceMirroringController controller = new EndpointSliceMirroringController(fixture.context);
    List<WatchCache.Change> writes = world.record("discovery.k8s.io/v1", "EndpointSlice");
    controller.reconcile(ns + "/db").toCompletableFuture().get(10, TimeUnit.SECONDS);
    controller.reconcile(ns + "/db").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(writes).isEmpty();
    assertThat(fixture.list(Event.class, ns)).isEmpty();
  }

  static Endpoints endpoints(String yaml) {
    try {
      return io.kubeactor.common.Json.YAML.readValue(yaml, Endpoints.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
