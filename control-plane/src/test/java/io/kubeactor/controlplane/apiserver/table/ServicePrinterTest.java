package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServicePrinterTest {

  private final ServicePrinter printer = new ServicePrinter();

  @Test
  void clusterIPService() {
    assertThat(printer.cells(yaml("""
        metadata: {name: kubernetes, creationTimestamp: "2024-12-25T12:00:00Z"}
        spec:
          type: ClusterIP
          clusterIP: 10.96.0.1
          clusterIPs: [10.96.0.1]
          ports: [{name: https, port: 443, protocol: TCP, targetPort: 6443}]
        """), NOW)).containsExactly("kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "7d", "<none>");
  }

  @Test
  void nodePortServiceShowsNodePortsAndSelector() {
    assertThat(printer.cells(yaml("""
        metadata: {name: web}
        spec:
          type: NodePort
          clusterIPs: [10.96.12.34]
          selector: {tier: front, app: web}
          ports:
          - {port: 80, nodePort: 30080, protocol: TCP}
          - {port: 53, nodePort: 30053, protocol: UDP}
        """), NOW)).containsExactly("web", "NodePort", "10.96.12.34", "<none>", "80:30080/TCP,53:30053/UDP",
        "<unknown>", "app=web,tier=front");
  }

  @Test
  void loadBalancerPendingThenWithIngress() {
    String service = """
        metadata: {name: lb}
        spec:
          type: LoadBalancer
          clusterIP: 10.96.0.20
          externalIPs: [198.51.100.7]
          ports: [{port: 443, nodePort: 31443}]
        status: %s
        """;
    assertThat(printer.cells(yaml(service.formatted("{}")), NOW).get(3)).isEqualTo("198.51.100.7");
    assertThat(printer.cells(yaml(service.formatted(
        "{loadBalancer: {ingress: [{ip: 203.0.113.10}, {hostname: lb.example.com}]}}")), NOW).get(3))
        .isEqualTo("203.0.113.10,lb.example.com,198.51.100.7");
    assertThat(printer.cells(yaml("""
        metadata: {name: lb}
        spec: {type: LoadBalancer, clusterIP: 10.96.0.20, ports: [{port: 80, nodePort: 30000}]}
        """), NOW).subList(3, 5)).containsExactly("<pending>", "80:30000/TCP");
  }

  @Test
  void headlessAndExternalNameServices() {
    assertThat(printer.cells(yaml("""
        metadata: {name: db}
        spec: {clusterIP: None, selector: {app: db}}
        """), NOW).subList(1, 5)).containsExactly("ClusterIP", "None", "<none>", "<none>");
    assertThat(printer.cells(yaml("""
        metadata: {name: ext}
        spec: {type: ExternalName, externalName: db.example.com}
        """), NOW).subList(1, 5)).containsExactly("ExternalName", "<none>", "db.example.com", "<none>");
  }

  @Test
  void servicelbIngressIsPrintedSortedOnceEach() {
    assertThat(printer.cells(yaml("""
        metadata: {name: lb}
        spec:
          type: LoadBalancer
          clusterIP: 10.96.200.7
          clusterIPs: [10.96.200.7]
          selector: {app: lb}
          ports: [{port: 80, nodePort: 31234, protocol: TCP}, {port: 443, nodePort: 30443, protocol: TCP}]
        status:
          loadBalancer:
            ingress: [{ip: 172.19.0.1, ipMode: VIP}, {ip: 172.18.0.1, ipMode: VIP}, {ip: 172.18.0.1, ipMode: VIP}]
        """), NOW)).containsExactly("lb", "LoadBalancer", "10.96.200.7", "172.18.0.1,172.19.0.1",
        "80:31234/TCP,443:30443/TCP", "<unknown>", "app=lb");
  }
}
