package io.kubeactor.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyModelTest {

  private static JsonNode json(String text) {
    return Json.parse(text.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static final JsonNode WEB = json("{'metadata':{'namespace':'default','name':'web'},'spec':{'type':'NodePort',"
      + "'clusterIP':'10.96.0.20','sessionAffinity':'ClientIP','sessionAffinityConfig':{'clientIP':{'timeoutSeconds':60}},"
      + "'externalTrafficPolicy':'Local','ports':[{'name':'http','port':80,'protocol':'TCP','targetPort':8080,'nodePort':30080},"
      + "{'name':'dns','port':53,'protocol':'UDP','nodePort':30053}]}}");

  private static final JsonNode SLICE = json("{'metadata':{'namespace':'default','name':'web-abc','labels':"
      + "{'kubernetes.io/service-name':'web'}},'addressType':'IPv4','ports':[{'name':'http','port':8080,'protocol':'TCP'}],"
      + "'endpoints':[{'addresses':['10.244.0.5'],'nodeName':'a','conditions':{'ready':true,'serving':true,'terminating':false}},"
      + "{'addresses':['10.244.1.5'],'nodeName':'b','conditions':{'ready':false,'serving':true,'terminating':true}},"
      + "{'addresses':['10.244.1.6'],'nodeName':'b','conditions':{}}]}");

  @Test
  void servicePortsAndTheirEndpointsFromServicesAndSlices() {
    ProxyModel m = ProxyModel.of(List.of(WEB), List.of(SLICE), List.of(), Set.of());
    assertThat(m.services()).hasSize(2);
    ServicePort http = m.services().keySet().stream().filter(p -> p.portName().equals("http")).findFirst().orElseThrow();
    assertThat(http).isEqualTo(new ServicePort("default", "web", "http", "tcp", "10.96.0.20", 80, 30080, List.of(), List.of(),
        60, true, false));
    assertThat(m.services().get(http)).containsExactly(
        new ServiceEndpoint("10.244.0.5", 8080, "a", true, true, false),
        new ServiceEndpoint("10.244.1.5", 8080, "b", false, true, true),
        // unset conditions mean ready
        new ServiceEndpoint("10.244.1.6", 8080, "b", true, true, false));
    ServicePort dns = m.services().keySet().stream().filter(p -> p.portName().equals("dns")).findFirst().orElseThrow();
    assertThat(dns.protocol()).isEqualTo("udp");
    assertThat(m.services().get(dns)).isEmpty();
  }

  @Test
  void headlessExternalNameAndUnreadableServicesAreNotProxied() {
    JsonNode headless = json("{'metadata':{'namespace':'d','name':'h'},'spec':{'clusterIP':'None','ports':[{'port':80}]}}");
    JsonNode external = json("{'metadata':{'namespace':'d','name':'e'},'spec':{'type':'ExternalName','externalName':'x.example'}}");
    JsonNode odd = json("{'metadata':{'namespace':'d','name':'o'},'spec':{'clusterIP':'10.96.0.9','ports':'not a list'}}");
    ProxyModel m = ProxyModel.of(List.of(headless, external, odd, WEB), List.of(), List.of(), Set.of());
    assertThat(m.services().keySet()).extracting(ServicePort::name).containsOnly("web");
  }

  @Test
  void loadBalancerAddressesAndHostedNodes() {
    JsonNode lb = json("{'metadata':{'namespace':'d','name':'lb'},'spec':{'type':'LoadBalancer','clusterIP':'10.96.0.30',"
        + "'externalIPs':['192.0.2.10'],'ports':[{'port':80,'nodePort':31000}]},'status':{'loadBalancer':{'ingress':"
        + "[{'ip':'10.244.0.1','ipMode':'VIP'},{'ip':'10.244.1.1'},{'ip':'203.0.113.9','ipMode':'Proxy'},{'hostname':'lb.example'}]}}}");
    JsonNode a = json("{'metadata':{'name':'a'},'spec':{'podCIDR':'10.244.0.0/24'},'status':{'addresses':"
        + "[{'type':'InternalIP','address':'10.244.0.1'},{'type':'Hostname','address':'a'}]}}");
    JsonNode remote = json("{'metadata':{'name':'r'},'spec':{'podCIDR':'10.244.5.0/24'},'status':{'addresses':"
        + "[{'type':'InternalIP','address':'192.0.2.7'}]}}");
    ProxyModel m = ProxyModel.of(List.of(lb), List.of(), List.of(a, remote), Set.of("10.244.0.1", "127.0.0.1"));
    ServicePort p = m.services().keySet().iterator().next();
    assertThat(p.loadBalancerIps()).containsExactly("10.244.0.1", "10.244.1.1");
    assertThat(p.externalIps()).containsExactly("192.0.2.10");
    assertThat(m.hostedNodes()).containsExactly(new ProxyModel.HostedNode("a", "10.244.0.1", "10.244.0.0/24"));
    assertThat(ServiceProxy.remotePodCidrs(List.of(a, remote), Set.of("10.244.0.1"))).isEqualTo(Map.of("10.244.5.0/24", "192.0.2.7"));
  }

  @Test
  void staleUdpFlowsAreClearedAsKubeProxyClearsThem() {
    ServicePort udp = new ServicePort("d", "dns", "dns", "udp", "10.96.0.10", 53, 30053, List.of(), List.of(), 0, false, false);
    ServiceEndpoint one = new ServiceEndpoint("10.244.0.5", 53, "a", true, true, false);
    ServiceEndpoint two = new ServiceEndpoint("10.244.0.6", 53, "a", true, true, false);
    assertThat(Conntrack.staleEntries(Map.of(udp, List.of()), Map.of(udp, List.of(one)))).containsExactly(
        List.of("conntrack", "-D", "-p", "udp", "--orig-dst", "10.96.0.10", "--orig-port-dst", "53"),
        List.of("conntrack", "-D", "-p", "udp", "--orig-port-dst", "30053"));
    assertThat(Conntrack.staleEntries(Map.of(udp, List.of(one, two)), Map.of(udp, List.of(two)))).containsExactly(
        List.of("conntrack", "-D", "-p", "udp", "--orig-dst", "10.96.0.10", "--dst-nat", "10.244.0.5"),
        List.of("conntrack", "-D", "-p", "udp", "--orig-port-dst", "30053", "--dst-nat", "10.244.0.5"));
    ServicePort tcp = new ServicePort("d", "web", "", "tcp", "10.96.0.11", 80, 0, List.of(), List.of(), 0, false, false);
    assertThat(Conntrack.staleEntries(Map.of(tcp, List.of(one)), Map.of(tcp, List.of()))).isEmpty();
  }
}
