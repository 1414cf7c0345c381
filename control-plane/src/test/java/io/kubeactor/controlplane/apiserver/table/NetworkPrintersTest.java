package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkPrintersTest {

  @Test
  void endpointsListThreeAddressPortsThenCountTheRest() {
    assertThat(new EndpointsPrinter().cells(yaml("""
        metadata: {name: web}
        subsets:
        - addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}, {ip: "fd00::3"}]
          ports: [{name: http, port: 80}, {name: https, port: 443}]
        """), NOW)).containsExactly("web", "10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...", "<unknown>");
    assertThat(new EndpointsPrinter().cells(yaml("metadata: {name: none}"), NOW).get(1)).isEqualTo("<none>");
  }

  @Test
  void endpointsAsTheControllerWritesThem() {
    // one port, three ready pods: kubectl get endpoints shows "10.244.1.5:80,10.244.2.3:80 + 1 more..." style
    assertThat(new EndpointsPrinter().cells(yaml("""
        metadata: {name: web}
        subsets:
        - addresses: [{ip: 10.244.1.5}, {ip: 10.244.2.3}, {ip: 10.244.2.4}, {ip: 10.244.3.2}]
          notReadyAddresses: [{ip: 10.244.3.9}]
          ports: [{name: http, port: 80, protocol: TCP}]
        """), NOW).get(1)).isEqualTo("10.244.1.5:80,10.244.2.3:80,10.244.2.4:80 + 1 more...");
    // only not-ready addresses: an empty cell, as kubectl prints it
    assertThat(new EndpointsPrinter().cells(yaml("""
        metadata: {name: web}
        subsets: [{notReadyAddresses: [{ip: 10.244.3.9}], ports: [{port: 80}]}]
        """), NOW).get(1)).isEqualTo("");
    // a headless Service without ports: bare IPs
    assertThat(new EndpointsPrinter().cells(yaml("""
        metadata: {name: db}
        subsets: [{addresses: [{ip: 10.244.1.10}, {ip: 10.244.1.11}]}]
        """), NOW).get(1)).isEqualTo("10.244.1.10,10.244.1.11");
  }

  @Test
  void endpointSlice() {
    assertThat(new EndpointSlicePrinter().cells(yaml("""
        metadata: {name: web-abcde}
        addressType: IPv4
        ports: [{name: http, port: 80, protocol: TCP}, {name: metrics}]
        endpoints:
        - addresses: [10.0.0.1]
        - addresses: [10.0.0.2]
        """), NOW)).containsExactly("web-abcde", "IPv4", "80,metrics", "10.0.0.1,10.0.0.2", "<unknown>");
    assertThat(new EndpointSlicePrinter().cells(yaml("metadata: {name: empty}\naddressType: IPv4"), NOW)
        .subList(2, 4)).containsExactly("<unset>", "<unset>");
  }

  @Test
  void ingress() {
    assertThat(new IngressPrinter().cells(yaml("""
        metadata: {name: web}
        spec:
          ingressClassName: nginx
          tls: [{hosts: [a.example.com]}]
          rules: [{host: a.example.com}, {host: b.example.com}, {}, {host: c.example.com}, {host: d.example.com}]
        status:
          loadBalancer: {ingress: [{ip: 172.18.0.5}]}
        """), NOW)).containsExactly("web", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...",
        "172.18.0.5", "80, 443", "<unknown>");
    assertThat(new IngressPrinter().cells(yaml("metadata: {name: bare}\nspec: {}"), NOW))
        .containsExactly("bare", "<none>", "*", "", "80", "<unknown>");
  }
}
