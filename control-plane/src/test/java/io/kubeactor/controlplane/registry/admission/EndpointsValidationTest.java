package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointsValidationTest {

  private static String endpoints(String subsets) {
    return """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: web, namespace: default}
        subsets:
        """ + subsets.indent(0);
  }

  private static String slice(String body) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abcde, namespace: default}
        """ + body;
  }

  @Test
  void whatTheEndpointsControllerWritesIsValid() {
    assertThat(create(endpoints("""
        - addresses:
          - ip: 10.244.1.5
            nodeName: node-1
            hostname: web-0
            targetRef: {kind: Pod, namespace: default, name: web-0, uid: 3f6c}
          notReadyAddresses: [{ip: 10.244.2.3, nodeName: node-2}]
          ports: [{name: http, port: 8080, protocol: TCP}, {name: metrics, port: 9100, protocol: TCP, appProtocol: http}]
        - addresses: [{ip: "fd00::5"}]
        """))).isEmpty();
  }

  @Test
  void endpointsAddressesMustBeUsableIPs() {
    assertThat(printed(create(endpoints("""
        - addresses: [{ip: not-an-ip}, {ip: 127.0.0.1}, {ip: 169.254.169.254}, {ip: 0.0.0.0}, {ip: 224.0.0.251}, {ip: "::1"}]
        """)))).containsExactly(
        "subsets[0].addresses[0].ip: Invalid value: \"not-an-ip\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        "subsets[0].addresses[0].ip: Invalid value: \"not-an-ip\": must be a valid IP address",
        "subsets[0].addresses[1].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
        "subsets[0].addresses[2].ip: Invalid value: \"169.254.169.254\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        "subsets[0].addresses[3].ip: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)",
        "subsets[0].addresses[4].ip: Invalid value: \"224.0.0.251\": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        "subsets[0].addresses[5].ip: Invalid value: \"::1\": may not be in the loopback range (127.0.0.0/8, ::1/128)");
  }

  @Test
  void endpointsSubsetsNeedAddressesAndNamedPortsWhenSeveral() {
    assertThat(printed(create(endpoints("""
        - ports: [{port: 80}]
        - addresses: [{ip: 10.244.1.5, hostname: Web_0, nodeName: Node_1}]
          ports: [{port: 80}, {name: b, port: 0, protocol: HTTP}]
        """)))).containsExactly(
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
        "subsets[1].addresses[0].hostname: Invalid value: \"Web_0\": a lowercase RFC 1123 label must consist of lower case"
            + " alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', "
            + " or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "subsets[1].addresses[0].nodeName: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower"
            + " case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g."
            + " 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "subsets[1].ports[0].name: Required value",
        "subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "subsets[1].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
  }

  @Test
  void whatTheEndpointSliceControllersWriteIsValid() {
    assertThat(create(slice("""
        addressType: IPv4
        endpoints:
        - addresses: [10.244.1.5]
          conditions: {ready: false, serving: true, terminating: true}
          hostname: web-0
          nodeName: node-1
          zone: zone-a
          hints: {forZones: [{name: zone-a}]}
          targetRef: {kind: Pod, namespace: default, name: web-0, uid: 3f6c}
        ports: [{name: "", port: 8080, protocol: TCP}]
        """))).isEmpty();
    // a placeholder: no endpoints, no ports
    assertThat(create(slice("addressType: IPv4\n"))).isEmpty();
    assertThat(create(slice("addressType: FQDN\nendpoints: [{addresses: [db.example.com]}]\n"))).isEmpty();
  }

  @Test
  void sliceAddressesMatchTheAddressType() {
    assertThat(printed(create(slice("""
        addressType: IPv4
        endpoints:
        - addresses: ["fd00::1", 127.0.0.1]
        - addresses: []
          hostname: Web
        """)))).containsExactly(
        "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address",
        "endpoints[0].addresses[1]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
        "endpoints[1].addresses: Required value: must contain at least 1 address",
        "endpoints[1].hostname: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric"
            + " characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
            + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    assertThat(printed(create(slice("addressType: FQDN\nendpoints: [{addresses: [localhost]}]\n")))).containsExactly(
        "endpoints[0].addresses[0]: Invalid value: \"localhost\": should be a domain with at least two segments separated by dots");
  }

  @Test
  void sliceAddressTypeIsRequiredKnownAndFixed() {
    assertThat(printed(create(slice("endpoints: []\n")))).containsExactly("addressType: Required value");
    assertThat(printed(create(slice("addressType: IP\n")))).containsExactly(
        "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");
    assertThat(printed(update(slice("addressType: IPv4\n"), slice("addressType: IPv6\n")))).containsExactly(
        "addressType: Invalid value: \"IPv6\": field is immutable");
  }

  @Test
  void slicePortsHaveDistinctNamesAndKnownProtocols() {
    assertThat(printed(create(slice("""
        addressType: IPv4
        ports: [{port: 80}, {port: 81}, {name: x, protocol: QUIC, appProtocol: "bad proto"}]
        """)))).containsExactly(
        "ports[1].name: Duplicate value: \"\"",
        "ports[2].protocol: Unsupported value: \"QUIC\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "ports[2].appProtocol: Invalid value: \"bad proto\": name part must consist of alphanumeric characters, '-', '_'"
            + " or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or"
            + " '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }

  @Test
  void aSliceHoldsAtMostAThousandEndpoints() {
    StringBuilder endpoints = new StringBuilder("addressType: IPv4\nendpoints:\n");
    for (int i = 0; i < 1001; i++) endpoints.append("- addresses: [10.0.").append(i / 250).append('.').append(i % 250 + 1).append("]\n");
    assertThat(printed(create(slice(endpoints.toString())))).containsExactly(
        "endpoints: Too many: 1001: must have at most 1000 items");
  }
}
