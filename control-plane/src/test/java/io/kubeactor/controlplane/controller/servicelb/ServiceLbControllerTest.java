package io.kubeactor.controlplane.controller.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceLbControllerTest {

  private ControllerFixture fixture;

  @BeforeEach
  void start() {
    fixture = new ControllerFixture();
    node("node-a", "172.18.0.1", true);
    node("node-b", "172.19.0.1", true);
    fixture.start(new ServiceLbController(fixture.context));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** A node whose kubelet reported its InternalIP and Ready (or not). */
  private void node(String name, String internalIp, boolean ready) {
    fixture.apply("{apiVersion: v1, kind: Node, metadata: {name: " + name + "}}");
    fixture.changeStatus("v1", "Node", null, name, n -> {
      ObjectNode status = n.withObjectProperty("status");
      ArrayNode addresses = status.putArray("addresses");
      addresses.addObject().put("type", "InternalIP").put("address", internalIp);
      addresses.addObject().put("type", "Hostname").put("address", name);
      status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
      return n;
    });
  }

  private void setReady(String name, boolean ready) {
    fixture.changeStatus("v1", "Node", null, name, n -> {
      ((ObjectNode) n.at("/status/conditions/0")).put("status", ready ? "True" : "False");
      return n;
    });
  }

  private void service(String name, String spec) {
    fixture.apply("{apiVersion: v1, kind: Service, metadata: {name: " + name + ", namespace: default}, spec: " + spec + "}");
  }

  private List<String> ingress(String name) {
    Service s = fixture.get(Service.class, "default", name);
    if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return s.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp() + "/" + i.getIpMode()).toList();
  }

  private List<String> events(String name) {
    return fixture.list(Event.class, "default").stream()
        .filter(e -> e.getInvolvedObject().getName().equals(name))
        .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage() + " (" + e.getSource().getComponent() + ")")
        .toList();
  }

  @Test
  void aLoadBalancerGetsTheReadyNodesAddressesAsVips() {
    service("web", "{type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}");
    await().untilAsserted(() -> assertThat(ingress("web")).containsExactly("172.18.0.1/VIP", "172.19.0.1/VIP"));
    await().untilAsserted(() -> assertThat(events("web")).containsExactly(
        "Normal UpdatedLoadBalancer Updated LoadBalancer with new IPs: [] -> [172.18.0.1 172.19.0.1] (service-lb-controller)"));
  }

  @Test
  void theIngressFollowsNodesComingAndGoing() {
    service("web", "{type: LoadBalancer, ports: [{port: 80}]}");
    await().untilAsserted(() -> assertThat(ingress("web")).hasSize(2));
    setReady("node-b", false);
    await().untilAsserted(() -> assertThat(ingress("web")).containsExactly("172.18.0.1/VIP"));
    node("node-c", "172.20.0.1", true);
    await().untilAsserted(() -> assertThat(ingress("web")).containsExactly("172.18.0.1/VIP", "172.20.0.1/VIP"));
    fixture.delete("v1", "Node", null, "node-a", null);
    fixture.delete("v1", "Node", null, "node-c", null);
    await().untilAsserted(() -> assertThat(ingress("web")).isEmpty());
    await().untilAsserted(() -> assertThat(events("web")).contains(
        "Warning UnAvailableLoadBalancer There are no available nodes for LoadBalancer (service-lb-controller)"));
  }

  @Test
  void aLaterServiceOnTheSamePortAndProtocolStaysPendingUntilTheFirstGoes() {
    service("first", "{type: LoadBalancer, ports: [{port: 80}]}");
    await().untilAsserted(() -> assertThat(ingress("first")).hasSize(2));
    service("second", "{type: LoadBalancer, ports: [{name: http, port: 80}, {name: https, port: 443}]}");
    service("other-protocol", "{type: LoadBalancer, ports: [{port: 80, protocol: UDP}]}");
    await().untilAsserted(() -> assertThat(ingress("other-protocol")).hasSize(2));
    await().untilAsserted(() -> assertThat(events("second")).containsExactly(
        "Warning UnAvailableLoadBalancer There are no available nodes for LoadBalancer (service-lb-controller)"));
    assertThat(ingress("second")).isEmpty();

    fixture.delete("v1", "Service", "default", "first", null);
    await().untilAsserted(() -> assertThat(ingress("second")).containsExactly("172.18.0.1/VIP", "172.19.0.1/VIP"));
  }

  @Test
  void aServiceThatStopsBeingALoadBalancerLosesItsIngress() {
    service("web", "{type: LoadBalancer, ports: [{port: 8080}]}");
    await().untilAsserted(() -> assertThat(ingress("web")).hasSize(2));
    fixture.change("v1", "Service", "default", "web", s -> {
      s.with("spec").put("type", "NodePort");
      return s;
    });
    await().untilAsserted(() -> assertThat(ingress("web")).isEmpty());
    Service web = fixture.get(Service.class, "default", "web");
    assertThat(web.getSpec().getPorts().get(0).getNodePort()).isNotNull();
  }

  @Test
  void servicesOfAnotherLoadBalancerClassAreLeftAlone() {
    service("foreign", "{type: LoadBalancer, loadBalancerClass: example.com/metal, ports: [{port: 9090}]}");
    service("ours", "{type: LoadBalancer, ports: [{port: 9091}]}");
    await().untilAsserted(() -> assertThat(ingress("ours")).hasSize(2));
    assertThat(ingress("foreign")).isEmpty();
    assertThat(events("foreign")).isEmpty();
  }

  @Test
  void aLocalServiceIsAnsweredOnlyByNodesWithAReadyEndpoint() {
    service("local", "{type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 7000}]}");
    await().untilAsserted(() -> assertThat(events("local")).containsExactly(
        "Warning UnAvailableLoadBalancer There are no available nodes for LoadBalancer (service-lb-controller)"));
    fixture.apply("""
        {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: local-abc, namespace: default,
          labels: {kubernetes.io/service-name: local}}, addressType: IPv4,
         endpoints: [{addresses: [10.244.1.5], conditions: {ready: true}, nodeName: node-b,
                      targetRef: {kind: Pod, name: p1, namespace: default}},
                     {addresses: [10.244.0.7], conditions: {ready: false}, nodeName: node-a,
                      targetRef: {kind: Pod, name: p2, namespace: default}}],
         ports: [{port: 7000, protocol: TCP, name: ""}]}""");
    await().untilAsserted(() -> assertThat(ingress("local")).containsExactly("172.19.0.1/VIP"));
  }

  @Test
  void aStatusWrittenByAnotherHandIsPutBack() {
    service("web", "{type: LoadBalancer, ports: [{port: 80}]}");
    await().untilAsserted(() -> assertThat(ingress("web")).hasSize(2));
    fixture.changeStatus("v1", "Service", "default", "web", s -> {
      s.with("status").with("loadBalancer").putArray("ingress").addObject().put("ip", "203.0.113.9").put("ipMode", "Proxy");
      return s;
    });
    await().untilAsserted(() -> assertThat(ingress("web")).containsExactly("172.18.0.1/VIP", "172.19.0.1/VIP"));
  }
}
