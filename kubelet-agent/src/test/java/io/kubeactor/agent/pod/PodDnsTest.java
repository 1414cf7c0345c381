package io.kubeactor.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOptionBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubelet's pod resolv.conf for each dnsPolicy, dnsConfig merged in, and its limits. */
class PodDnsTest {

  static final PodDns.Settings CLUSTER = new PodDns.Settings(List.of("10.96.0.10"), "cluster.local");
  static final PodDns.HostConfig HOST = PodDns.HostConfig.parse("""
      # written by the host
      nameserver 192.0.2.53
      nameserver 192.0.2.54
      search corp.example. lab.example
      options edns0 ndots:1
      """);

  static PodBuilder pod(String policy, boolean hostNetwork) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1").endMetadata()
        .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).endSpec();
  }

  @Test
  void clusterFirstUsesTheClusterDnsTheClusterSearchPathThenTheHostsAndNdots5() {
    PodDns.Config c = PodDns.forPod(pod("ClusterFirst", false).build(), CLUSTER, HOST);
    assertThat(c.nameservers()).containsExactly("10.96.0.10");
    assertThat(c.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
        "corp.example", "lab.example");
    assertThat(c.options()).containsExactly("ndots:5");
    assertThat(c.events()).isEmpty();
    assertThat(c.render()).isEqualTo("""
        nameserver 10.96.0.10
        search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
        options ndots:5
        """);
  }

  @Test
  void anUnsetPolicyIsClusterFirst() {
    assertThat(PodDns.forPod(pod(null, false).build(), CLUSTER, HOST).nameservers()).containsExactly("10.96.0.10");
  }

  @Test
  void clusterFirstOnTheHostNetworkFallsBackToTheHostsConfiguration() {
    PodDns.Config c = PodDns.forPod(pod("ClusterFirst", true).build(), CLUSTER, HOST);
    assertThat(c.nameservers()).containsExactly("192.0.2.53", "192.0.2.54");
    assertThat(c.searches()).containsExactly("corp.example", "lab.example");
    assertThat(c.options()).containsExactly("edns0", "ndots:1");
  }

  @Test
  void clusterFirstWithHostNetUsesTheClusterDnsEvenOnTheHostNetwork() {
    PodDns.Config c = PodDns.forPod(pod("ClusterFirstWithHostNet", true).build(), CLUSTER, HOST);
    assertThat(c.nameservers()).containsExactly("10.96.0.10");
    assertThat(c.options()).containsExactly("ndots:5");
  }

  @Test
  void defaultIsTheHostsResolvConf() {
    PodDns.Config c = PodDns.forPod(pod("Default", false).build(), CLUSTER, HOST);
    assertThat(c.nameservers()).containsExactly("192.0.2.53", "192.0.2.54");
    assertThat(c.searches()).containsExactly("corp.example", "lab.example");
    assertThat(c.options()).containsExactly("edns0", "ndots:1");
  }

  @Test
  void noneIsOnlyTheDnsConfig() {
    Pod p = pod("None", false).editSpec().withDnsConfig(new PodDNSConfigBuilder().withNameservers("1.2.3.4")
        .withSearches("ns1.svc.cluster-domain.example", "my.dns.search.suffix")
        .withOptions(new PodDNSConfigOptionBuilder().withName("ndots").withValue("2").build(),
            new PodDNSConfigOptionBuilder().withName("edns0").build()).build()).endSpec().build();
    PodDns.Config c = PodDns.forPod(p, CLUSTER, HOST);
    assertThat(c.render()).isEqualTo("""
        nameserver 1.2.3.4
        search ns1.svc.cluster-domain.example my.dns.search.suffix
        options ndots:2 edns0
        """);
  }

  @Test
  void dnsConfigIsMergedIntoThePolicysConfiguration() {
    Pod p = pod("ClusterFirst", false).editSpec().withDnsConfig(new PodDNSConfigBuilder()
        .withNameservers("10.96.0.10", "1.1.1.1").withSearches("cluster.local", "extra.example")
        .withOptions(new PodDNSConfigOptionBuilder().withName("ndots").withValue("2").build(),
            new PodDNSConfigOptionBuilder().withName("single-request-reopen").build()).build()).endSpec().build();
    PodDns.Config c = PodDns.forPod(p, CLUSTER, HOST);
    assertThat(c.nameservers()).containsExactly("10.96.0.10", "1.1.1.1");
    assertThat(c.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
        "corp.example", "lab.example", "extra.example");
    assertThat(c.options()).containsExactly("ndots:2", "single-request-reopen");
  }

  @Test
  void withoutAClusterDnsClusterFirstFallsBackToDefaultWithAWarning() {
    PodDns.Config c = PodDns.forPod(pod("ClusterFirst", false).build(), new PodDns.Settings(List.of(), "cluster.local"), HOST);
    assertThat(c.nameservers()).containsExactly("192.0.2.53", "192.0.2.54");
    assertThat(c.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("MissingClusterDNS");
      assertThat(e.message()).isEqualTo("pod: \"web_shop(u-1)\". kubelet does not have ClusterDNS IP configured and "
          + "cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.");
    });
  }

  @Test
  void moreThanThreeNameserversAreCutWithAWarning() {
    Pod p = pod("Default", false).editSpec().withDnsConfig(new PodDNSConfigBuilder()
        .withNameservers("1.1.1.1", "8.8.8.8").build()).endSpec().build();
    PodDns.Config c = PodDns.forPod(p, CLUSTER, HOST);
    assertThat(c.nameservers()).containsExactly("192.0.2.53", "192.0.2.54", "1.1.1.1");
    assertThat(c.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("DNSConfigForming");
      assertThat(e.message()).isEqualTo("Nameserver limits were exceeded, some nameservers have been omitted, the "
          + "applied nameserver line is: 192.0.2.53 192.0.2.54 1.1.1.1");
    });
  }

  @Test
  void searchPathsBeyondKubeletsLimitsAreCutWithAWarning() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) many.add("d" + i + ".example");
    Pod p = pod("None", false).editSpec().withDnsConfig(new PodDNSConfigBuilder().withNameservers("1.2.3.4")
        .withSearches(many).build()).endSpec().build();
    PodDns.Config c = PodDns.forPod(p, CLUSTER, HOST);
    assertThat(c.searches()).hasSize(32).startsWith("d0.example").endsWith("d31.example");
    assertThat(c.events()).singleElement().satisfies(e -> assertThat(e.message())
        .startsWith("Search Line limits were exceeded, some search paths have been omitted, the applied search line is: d0.example d1.example"));

    // over 2048 characters in all: the last domains go until it fits
    List<String> long_ = new ArrayList<>();
    for (int i = 0; i < 10; i++) long_.add("x".repeat(240) + i + ".example");
    Pod q = pod("None", false).editSpec().withDnsConfig(new PodDNSConfigBuilder().withNameservers("1.2.3.4")
        .withSearches(long_).build()).endSpec().build();
    PodDns.Config d = PodDns.forPod(q, CLUSTER, HOST);
    assertThat(String.join(" ", d.searches()).length()).isLessThanOrEqualTo(2048);
    assertThat(d.searches()).hasSize(8);
    // a single domain over 253 characters is dropped
    Pod r = pod("None", false).editSpec().withDnsConfig(new PodDNSConfigBuilder().withNameservers("1.2.3.4")
        .withSearches("y".repeat(254), "ok.example").build()).endSpec().build();
    assertThat(PodDns.forPod(r, CLUSTER, HOST).searches()).containsExactly("ok.example");
  }

  @Test
  void hostResolvConfIsParsedAsKubeletParsesIt() {
    PodDns.HostConfig h = PodDns.HostConfig.parse("""
        nameserver 10.0.0.1
        search a.example
        options rotate
        search b.example. c.example
        nameserver 10.0.0.2
        nameserver
        options timeout:1 attempts:2
        """);
    assertThat(h.nameservers()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(h.searches()).containsExactly("b.example", "c.example");
    assertThat(h.options()).containsExactly("timeout:1", "attempts:2");
  }
}
