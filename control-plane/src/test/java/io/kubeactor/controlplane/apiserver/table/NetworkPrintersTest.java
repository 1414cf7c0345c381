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
