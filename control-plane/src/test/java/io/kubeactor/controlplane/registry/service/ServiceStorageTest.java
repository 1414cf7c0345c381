package io.kubeactor.controlplane.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Services through the registry, as kube-apiserver's Service REST storage handles them. */
class ServiceStorageTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static ResourceType services() {
    return fixture.registry.types().byKind("v1", "Service").orElseThrow();
  }

  private static String service(String name, String spec) {
    return "{apiVersion: v1, kind: Service, metadata: {name: " + name + ", namespace: default}, spec: " + spec + "}";
  }

  private static ObjectNode create(String name, String spec) {
    return fixture.apply(service(name, spec));
  }

  private static ApiException createFails(String name, String spec) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> create(name, spec));
    assertThat(t).isInstanceOf(ApiException.class);
    return (ApiException) t;
  }

  private static ObjectNode stored(String name) {
    return fixture.registry.cache().state().get(services().storeKey("default", name));
  }

  /** A PUT of a manifest, as kubectl replace sends it. */
  private static ObjectNode put(String name, String spec) throws Exception {
    ObjectNode body = (ObjectNode) Json.YAML.readTree(service(name, spec));
    return join(fixture.registry.update(services(), "default", name, null, body, WriteOptions.internal()));
  }

  private static ObjectNode dryRun(String name, String spec) throws Exception {
    ObjectNode body = (ObjectNode) Json.YAML.readTree(service(name, spec));
    return join(fixture.registry.create(services(), "default", body,
        new WriteOptions(true, WriteOptions.FieldValidationMode.IGNORE, new ArrayList<>(), WriteOptions.INTERNAL_USER)));
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static List<Integer> nodePorts(JsonNode service) {
    List<Integer> out = new ArrayList<>();
    service.path("spec").path("ports").forEach(p -> out.add(p.path("nodePort").asInt(0)));
    return out;
  }

  private static long offsetInRange(String ip) {
    String[] p = ip.split("\\.");
    return ((Long.parseLong(p[1]) - 96) << 16) + (Long.parseLong(p[2]) << 8) + Long.parseLong(p[3]) - 1;
  }

  @Test
  void aClusterIpServiceGetsAnAddressFromTheUpperPartOfTheRange() {
    ObjectNode svc = create("web", "{selector: {app: web}, ports: [{port: 80}]}");
    JsonNode spec = svc.get("spec");
    String ip = spec.get("clusterIP").asText();
    assertThat(ip).startsWith("10.");
    assertThat(offsetInRange(ip)).isBetween(256L, (1L << 20) - 3);
    assertThat(spec.get("clusterIPs")).containsExactly(Json.MAPPER.getNodeFactory().textNode(ip));
    assertThat(spec.get("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    assertThat(spec.get("ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
    assertThat(svc.get("status").toString()).isEqualTo("{\"loadBalancer\":{}}");
  }

  @Test
  void anAddressAskedForIsGivenOnceAndMustBeInTheRange() {
    ObjectNode first = create("fixed-a", "{clusterIP: 10.96.0.5, ports: [{port: 80}]}");
    assertThat(first.at("/spec/clusterIPs/0").asText()).isEqualTo("10.96.0.5");
    ApiException taken = createFails("fixed-b", "{clusterIP: 10.96.0.5, ports: [{port: 80}]}");
    assertThat(taken.code).isEqualTo(422);
    assertThat(taken.getMessage()).isEqualTo("Service \"fixed-b\" is invalid: spec.clusterIPs: Invalid value: "
        + "[]string{\"10.96.0.5\"}: failed to allocate IP 10.96.0.5: provided IP is already allocated");
    ApiException outside = createFails("fixed-c", "{clusterIPs: [192.168.1.1], clusterIP: 192.168.1.1, ports: [{port: 80}]}");
    assertThat(outside.getMessage()).isEqualTo("Service \"fixed-c\" is invalid: spec.clusterIPs: Invalid value: "
        + "[]string{\"192.168.1.1\"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid "
        + "range. The range of valid IPs is 10.96.0.0/12");
    assertThat(stored("fixed-b")).isNull();
  }

  @Test
  void theIpFamiliesOfThisClusterAreIPv4Only() {
    assertThat(createFails("dual", "{ipFamilyPolicy: RequireDualStack, ports: [{port: 80}]}").getMessage()).isEqualTo(
        "Service \"dual\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not "
            + "configured for dual-stack services");
    assertThat(createFails("six", "{ipFamilies: [IPv6], ports: [{port: 80}]}").getMessage()).isEqualTo(
        "Service \"six\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster");
    assertThat(createFails("six-ip", "{clusterIP: 'fd00::5', clusterIPs: ['fd00::5'], ports: [{port: 80}]}").getMessage())
        .isEqualTo("Service \"six-ip\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"fd00::5\"}: "
            + "IPv6 is not configured on this cluster");
    // PreferDualStack falls back to one family here
    assertThat(create("prefer", "{ipFamilyPolicy: PreferDualStack, ports: [{port: 80}]}").at("/spec/ipFamilies").toString())
        .isEqualTo("[\"IPv4\"]");
  }

  @Test
  void headlessServicesGetNoAddress() {
    ObjectNode headless = create("db", "{clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}");
    assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/clusterIPs").toString()).isEqualTo("[\"None\"]");
    assertThat(headless.at("/spec/ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    // without a selector its endpoints may be of either family: upstream asks for both on any cluster
    ObjectNode selectorless = create("external-db", "{clusterIP: None, ports: [{port: 5432}]}");
    assertThat(selectorless.at("/spec/ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
    assertThat(selectorless.at("/spec/ipFamilies").toString()).isEqualTo("[\"IPv4\",\"IPv6\"]");
    assertThat(create("ext", "{type: ExternalName, externalName: db.example.com}").get("spec").has("clusterIP")).isFalse();
  }

  @Test
  void nodePortsAreAllocatedAndAPortNumberSharesOneAcrossProtocols() {
    ObjectNode dns = create("np-dns", "{type: NodePort, ports: [{name: dns, port: 53, protocol: UDP}, "
        + "{name: dns-tcp, port: 53, protocol: TCP}, {name: metrics, port: 9153}]}");
    List<Integer> ports = nodePorts(dns);
    assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(30086, 32767));
    assertThat(ports.get(0)).isEqualTo(ports.get(1));
    assertThat(ports.get(2)).isNotEqualTo(ports.get(0));
    assertThat(dns.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Cluster");
  }

  @Test
  void aNodePortAskedForIsGivenOnceAndMustBeInTheRange() {
    assertThat(nodePorts(create("np-a", "{type: NodePort, ports: [{port: 80, nodePort: 30080}]}"))).containsExactly(30080);
    assertThat(createFails("np-b", "{type: NodePort, ports: [{port: 80, nodePort: 30080}]}").getMessage()).isEqualTo(
        "Service \"np-b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    assertThat(createFails("np-c", "{type: NodePort, ports: [{port: 80, nodePort: 8080}]}").getMessage()).isEqualTo(
        "Service \"np-c\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid "
            + "range. The range of valid ports is 30000-32767");
    // TCP and UDP of one port number may name the same node port
    assertThat(nodePorts(create("np-d", "{type: NodePort, ports: [{name: a, port: 53, protocol: UDP, nodePort: 30053}, "
        + "{name: b, port: 53, protocol: TCP, nodePort: 30053}]}"))).containsExactly(30053, 30053);
  }

  @Test
  void loadBalancersGetNodePortsAndAHealthCheckPortWhenLocal() {
    ObjectNode local = create("lb-local", "{type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 443}]}");
    assertThat(nodePorts(local).get(0)).isBetween(30086, 32767);
    assertThat(local.at("/spec/healthCheckNodePort").asInt()).isBetween(30086, 32767).isNotEqualTo(nodePorts(local).get(0));
    assertThat(local.at("/spec/allocateLoadBalancerNodePorts").asBoolean()).isTrue();
    ObjectNode noPorts = create("lb-bare", "{type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{port: 443}]}");
    assertThat(nodePorts(noPorts)).containsExactly(0);
    assertThat(noPorts.at("/spec").has("healthCheckNodePort")).isFalse();
  }

  @Test
  void aResubmittedManifestKeepsWhatWasAllocatedAndTheClusterIpCannotChange() throws Exception {
    ObjectNode created = create("keep", "{type: NodePort, ports: [{name: http, port: 80}]}");
    String ip = created.at("/spec/clusterIP").asText();
    int nodePort = nodePorts(created).get(0);
    ObjectNode replaced = put("keep", "{type: NodePort, selector: {app: keep}, ports: [{name: http, port: 80}]}");
    assertThat(replaced.at("/spec/clusterIP").asText()).isEqualTo(ip);
    assertThat(nodePorts(replaced)).containsExactly(nodePort);
    assertThat(replaced.at("/spec/selector/app").asText()).isEqualTo("keep");
    assertThatThrownBy(() -> put("keep", "{type: NodePort, clusterIP: 10.96.0.77, ports: [{name: http, port: 80}]}"))
        .hasMessage("Service \"keep\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.77\"}: may not change once set");
    // the refused update took nothing
    assertThat(create("keep-77", "{clusterIP: 10.96.0.77, ports: [{port: 80}]}").at("/spec/clusterIP").asText()).isEqualTo("10.96.0.77");
  }

  @Test
  void typeChangesReleaseWhatTheNewTypeHasNoUseFor() throws Exception {
    create("change", "{type: NodePort, clusterIP: 10.96.0.40, ports: [{port: 80, nodePort: 30040}]}");
    // to ClusterIP: the node ports are cleared and free again, the address stays
    ObjectNode clusterIp = fixture.change("v1", "Service", "default", "change", s -> {
      s.with("spec").put("type", "ClusterIP");
      return s;
    });
    assertThat(nodePorts(clusterIp)).containsExactly(0);
    assertThat(clusterIp.at("/spec").has("externalTrafficPolicy")).isFalse();
    assertThat(clusterIp.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.40");
    assertThat(nodePorts(create("change-np", "{type: NodePort, ports: [{port: 80, nodePort: 30040}]}"))).containsExactly(30040);

    // to ExternalName: the address goes too
    ObjectNode external = fixture.change("v1", "Service", "default", "change", s -> {
      s.with("spec").put("type", "ExternalName").put("externalName", "db.example.com");
      return s;
    });
    assertThat(external.at("/spec").has("clusterIP")).isFalse();
    assertThat(external.at("/spec").has("ipFamilies")).isFalse();
    assertThat(create("change-ip", "{clusterIP: 10.96.0.40, ports: [{port: 80}]}").at("/spec/clusterIP").asText()).isEqualTo("10.96.0.40");

    // and back: a new address
    ObjectNode back = fixture.change("v1", "Service", "default", "change", s -> {
      s.with("spec").put("type", "ClusterIP").remove("externalName");
      return s;
    });
    assertThat(back.at("/spec/clusterIP").asText()).isNotEqualTo("10.96.0.40").startsWith("10.");
    assertThat(back.at("/spec/ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
  }

  @Test
  void deletingAServiceFreesItsAddressAndNodePortsAndRemovesItsEndpoints() {
    create("gone", "{type: NodePort, clusterIP: 10.96.0.50, ports: [{port: 80, nodePort: 30050}]}");
    fixture.apply("{apiVersion: v1, kind: Endpoints, metadata: {name: gone, namespace: default}, "
        + "subsets: [{addresses: [{ip: 10.244.1.5}], ports: [{port: 80}]}]}");
    fixture.delete("v1", "Service", "default", "gone", null);
    assertThat(fixture.registry.cache().state().get("core/endpoints/default/gone")).isNull();
    ObjectNode again = create("gone-again", "{type: NodePort, clusterIP: 10.96.0.50, ports: [{port: 80, nodePort: 30050}]}");
    assertThat(again.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.50");
  }

  @Test
  void aDryRunAllocatesNothingAndAnswersUpstreamsPlaceholders() throws Exception {
    ObjectNode dry = dryRun("dry", "{type: NodePort, clusterIP: 10.96.0.60, ports: [{name: a, port: 80, nodePort: 30060}, {name: b, port: 81}]}");
    assertThat(dry.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.60");
    assertThat(nodePorts(dry)).containsExactly(30060, 30061);
    ObjectNode unasked = dryRun("dry-2", "{type: NodePort, ports: [{port: 80}]}");
    assertThat(unasked.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.0");
    assertThat(nodePorts(unasked)).containsExactly(32769);
    assertThat(stored("dry")).isNull();
    ObjectNode real = create("dry", "{type: NodePort, clusterIP: 10.96.0.60, ports: [{port: 80, nodePort: 30060}]}");
    assertThat(real.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.60");
    assertThat(nodePorts(real)).containsExactly(30060);
  }

  @Test
  void aCreateThatFailsValidationTakesNothing() {
    ApiException invalid = createFails("bad", "{clusterIP: 10.96.0.70, type: NodePort, sessionAffinity: Sticky, "
        + "ports: [{port: 80, nodePort: 30070}]}");
    assertThat(invalid.getMessage()).contains("spec.sessionAffinity: Unsupported value: \"Sticky\"");
    create("good", "{clusterIP: 10.96.0.70, type: NodePort, ports: [{port: 80, nodePort: 30070}]}");
  }

  @Test
  void concurrentCreatesNeverShareAnAddressAndAFullRangeIsAnInternalError() throws Exception {
    try (ControllerFixture small = new ControllerFixture(io.kubeactor.controlplane.controller.ControllerSettings.defaults(),
        java.time.Clock.systemUTC(), new ServiceNetwork("10.0.0.0/28", "30000-30009"))) {
      ResourceType t = small.registry.types().byKind("v1", "Service").orElseThrow();
      List<CompletableFuture<ObjectNode>> creates = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        ObjectNode body = (ObjectNode) Json.YAML.readTree(service("s" + i, "{type: NodePort, ports: [{port: 80}]}"));
        creates.add(CompletableFuture.supplyAsync(() -> body)
            .thenCompose(b -> small.registry.create(t, "default", b, WriteOptions.internal()).toCompletableFuture()));
      }
      List<String> ips = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (CompletableFuture<ObjectNode> c : creates) {
        try {
          ObjectNode s = c.get(10, TimeUnit.SECONDS);
          ips.add(s.at("/spec/clusterIP").asText());
          ports.add(nodePorts(s).get(0));
        } catch (ExecutionException e) {
          ApiException api = (ApiException) e.getCause();
          failures.add(api.code + " " + api.getMessage());
        }
      }
      // 14 addresses, 10 node ports: ten Services, then the node ports run out, and what failed let go of its address
      assertThat(ips).hasSize(10).doesNotHaveDuplicates();
      assertThat(ports).hasSize(10).doesNotHaveDuplicates();
      assertThat(failures).hasSize(6).containsOnly("500 Internal error occurred: failed to allocate a nodePort: range is full");
      for (int i = 0; i < 4; i++) {
        ObjectNode body = (ObjectNode) Json.YAML.readTree(service("c" + i, "{ports: [{port: 80}]}"));
        ips.add(join(small.registry.create(t, "default", body, WriteOptions.internal())).at("/spec/clusterIP").asText());
      }
      assertThat(ips).hasSize(14).doesNotHaveDuplicates();
      ObjectNode last = (ObjectNode) Json.YAML.readTree(service("c-last", "{ports: [{port: 80}]}"));
      assertThatThrownBy(() -> join(small.registry.create(t, "default", last, WriteOptions.internal())))
          .hasMessage("Internal error occurred: failed to allocate a serviceIP: range is full");
    }
  }

  @Test
  void servicesStoredBeforeAddressesWereAllocatedGetThemAtStart() throws Exception {
    create("legacy", "{type: NodePort, ports: [{port: 80}]}");
    // as an earlier kubeactor stored it: no cluster IP, no node port
    fixture.changeStatus("v1", "Service", "default", "legacy", s -> {
      ObjectNode spec = s.with("spec");
      spec.remove("clusterIP");
      spec.remove("clusterIPs");
      ((ObjectNode) spec.at("/ports/0")).remove("nodePort");
      return s;
    });
    assertThat(stored("legacy").at("/spec").has("clusterIP")).isFalse();
    join(LegacyServices.allocate(fixture.registry));
    assertThat(stored("legacy").at("/spec/clusterIP").asText()).startsWith("10.");
    assertThat(stored("legacy").at("/spec/clusterIPs/0").asText()).isEqualTo(stored("legacy").at("/spec/clusterIP").asText());
    assertThat(nodePorts(stored("legacy")).get(0)).isBetween(30000, 32767);
  }
}
