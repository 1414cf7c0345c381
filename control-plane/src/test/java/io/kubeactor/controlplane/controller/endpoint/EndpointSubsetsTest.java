package io.kubeactor.controlplane.controller.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.kubeactor.common.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSubsetsTest {

  static List<EndpointSubset> subsets(String yaml) {
    try {
      return List.of(Json.YAML.readValue(yaml, EndpointSubset[].class));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> ips(List<EndpointAddress> addresses) {
    return addresses.stream().map(EndpointAddress::getIp).toList();
  }

  @Test
  void addressesOfferingTheSamePortsShareOneSubsetSortedByIp() {
    List<EndpointSubset> packed = EndpointSubsets.repack(subsets("""
        - {addresses: [{ip: 10.244.2.3}], ports: [{name: http, port: 8080, protocol: TCP}]}
        - {addresses: [{ip: 10.244.1.5}], ports: [{name: http, port: 8080, protocol: TCP}]}
        - {addresses: [{ip: 10.244.2.3}], ports: [{name: metrics, port: 9100, protocol: TCP}]}
        - {addresses: [{ip: 10.244.1.5}], ports: [{name: metrics, port: 9100, protocol: TCP}]}
        - {addresses: [{ip: 10.244.10.1}], ports: [{name: admin, port: 9000, protocol: TCP}]}
        - {addresses: [{ip: 10.244.2.3}, {ip: 10.244.10.1}, {ip: 10.244.1.5}], ports: [{name: web, port: 80, protocol: TCP}]}
        """));
    assertThat(packed).hasSize(3);
    EndpointSubset shared = packed.stream().filter(s -> s.getPorts().size() == 2).findFirst().orElseThrow();
    assertThat(ips(shared.getAddresses())).containsExactly("10.244.1.5", "10.244.2.3");
    assertThat(shared.getPorts()).extracting(p -> p.getName()).containsExactly("http", "metrics");
    EndpointSubset web = packed.stream().filter(s -> s.getPorts().get(0).getName().equals("web")).findFirst().orElseThrow();
    // bytewise order, as Go compares the IP strings
    assertThat(ips(web.getAddresses())).containsExactly("10.244.1.5", "10.244.10.1", "10.244.2.3");
  }

  @Test
  void notReadyOnOnePortKeepsTheAddressNotReadyThere() {
    List<EndpointSubset> packed = EndpointSubsets.repack(subsets("""
        - {addresses: [{ip: 10.0.0.1}], ports: [{port: 80, protocol: TCP}]}
        - {notReadyAddresses: [{ip: 10.0.0.1}], ports: [{port: 80, protocol: TCP}]}
        - {addresses: [{ip: 10.0.0.2}], ports: [{port: 80, protocol: TCP}]}
        """));
    assertThat(packed).singleElement().satisfies(s -> {
      assertThat(ips(s.getAddresses())).containsExactly("10.0.0.2");
      assertThat(ips(s.getNotReadyAddresses())).containsExactly("10.0.0.1");
    });
  }

  @Test
  void theLayoutDoesNotDependOnTheInputOrder() {
    List<EndpointSubset> input = new ArrayList<>(subsets("""
        - {addresses: [{ip: 10.0.0.3}], ports: [{name: a, port: 1, protocol: TCP}]}
        - {addresses: [{ip: 10.0.0.1}], ports: [{name: b, port: 2, protocol: TCP}]}
        - {notReadyAddresses: [{ip: 10.0.0.2}], ports: [{name: a, port: 1, protocol: TCP}]}
        - {addresses: [{ip: 10.0.0.4}]}
        """));
    List<EndpointSubset> first = EndpointSubsets.repack(input);
    Collections.reverse(input);
    List<EndpointSubset> second = EndpointSubsets.repack(input);
    assertThat(Json.MAPPER.valueToTree(second).toString()).isEqualTo(Json.MAPPER.valueToTree(first).toString());
    assertThat(EndpointSubsets.sameIgnoringResourceVersion(first, second)).isTrue();
  }

  @Test
  void overAThousandAddressesAreTruncatedReadyFirst() {
    List<EndpointSubset> big = new ArrayList<>();
    StringBuilder yaml = new StringBuilder();
    // 900 ready and 300 not ready in one subset, 100 ready in another
    yaml.append("- addresses: [");
    for (int i = 0; i < 900; i++) yaml.append(i == 0 ? "" : ",").append("{ip: 10.1.").append(i / 250).append('.').append(i % 250).append('}');
    yaml.append("]\n  notReadyAddresses: [");
    for (int i = 0; i < 300; i++) yaml.append(i == 0 ? "" : ",").append("{ip: 10.2.").append(i / 250).append('.').append(i % 250).append('}');
    yaml.append("]\n- addresses: [");
    for (int i = 0; i < 100; i++) yaml.append(i == 0 ? "" : ",").append("{ip: 10.3.0.").append(i).append('}');
    yaml.append("]\n");
    big.addAll(subsets(yaml.toString()));
    assertThat(EndpointSubsets.count(big)).isEqualTo(1300);
    assertThat(EndpointSubsets.truncate(big, EndpointSubsets.MAX_CAPACITY)).isTrue();
    assertThat(EndpointSubsets.count(big)).isEqualTo(1000);
    // every ready address stays; the not-ready ones fill what is left
    assertThat(big.get(0).getAddresses()).hasSize(900);
    assertThat(big.get(1).getAddresses()).hasSize(100);
    assertThat(big.get(0).getNotReadyAddresses()).isEmpty();
    assertThat(EndpointSubsets.truncate(big, EndpointSubsets.MAX_CAPACITY)).isFalse();
  }

  @Test
  void overAThousandReadyAddressesAreSharedInProportionAndNotReadyOnesDropped() {
    StringBuilder yaml = new StringBuilder("- addresses: [");
    for (int i = 0; i < 1500; i++) yaml.append(i == 0 ? "" : ",").append("{ip: 10.1.").append(i / 250).append('.').append(i % 250).append('}');
    yaml.append("]\n  notReadyAddresses: [{ip: 10.9.9.9}]\n- addresses: [");
    for (int i = 0; i < 500; i++) yaml.append(i == 0 ? "" : ",").append("{ip: 10.2.").append(i / 250).append('.').append(i % 250).append('}');
    yaml.append("]\n");
    List<EndpointSubset> big = new ArrayList<>(subsets(yaml.toString()));
    assertThat(EndpointSubsets.truncate(big, EndpointSubsets.MAX_CAPACITY)).isTrue();
    assertThat(big.get(0).getAddresses()).hasSize(750);
    assertThat(big.get(1).getAddresses()).hasSize(250);
    assertThat(big.get(0).getNotReadyAddresses()).isEmpty();
  }
}
