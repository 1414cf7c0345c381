package io.kubeactor.controlplane.dns;

import io.kubeactor.controlplane.api.IpAddresses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsSettingsTest {

  @TempDir
  Path dir;

  @Test
  void withoutUpstreamsTheHostsResolvConfNameserversAreUsed() throws Exception {
    Path resolv = dir.resolve("resolv.conf");
    Files.writeString(resolv, "# comment\nsearch example.org\nnameserver 127.0.0.53\nnameserver ::1\noptions edns0\nnameserver\n");
    var k = ConfigFactory.parseMap(Map.of("dns.resolv-conf", resolv.toString(), "api.host", "127.0.0.1"))
        .withFallback(ConfigFactory.load().getConfig("kubeactor"));
    DnsSettings s = DnsSettings.from(k);
    assertThat(s.upstreams()).extracting(InetSocketAddress::toString)
        .containsExactly("/127.0.0.53:53", "/[0:0:0:0:0:0:0:1]:53");
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(53);
    assertThat(s.ttl()).isEqualTo(5);
    assertThat(s.domain().toString()).isEqualTo("cluster.local.");
  }

  @Test
  void configuredUpstreamsAndTheAdvertiseAddressWin() {
    var k = ConfigFactory.parseMap(Map.of("dns.upstream", java.util.List.of("127.0.0.1:5353", "[::1]:54", "127.0.0.2"),
            "api.advertise-address", "127.0.0.9"))
        .withFallback(ConfigFactory.load().getConfig("kubeactor"));
    DnsSettings s = DnsSettings.from(k);
    assertThat(s.upstreams()).extracting(InetSocketAddress::getPort).containsExactly(5353, 54, 53);
    assertThat(s.host()).isEqualTo("127.0.0.9");
  }

  @Test
  void namesAreNeverLookedUp() {
    assertThatThrownBy(() -> DnsSettings.address("dns.example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThat(IpAddresses.parse("localhost")).isNull();
    assertThat(IpAddresses.parse("10.0.0.256")).isNull();
    assertThat(IpAddresses.parse("10.96.0.10").getHostAddress()).isEqualTo("10.96.0.10");
  }

  @Test
  void cidrsAndTheirReverseZones() {
    ReverseRange services = ReverseRange.parse("10.96.0.0/12");
    assertThat(services.contains(IpAddresses.parse("10.111.255.255"))).isTrue();
    assertThat(services.contains(IpAddresses.parse("10.112.0.0"))).isFalse();
    assertThat(services.reverseZone().toString()).isEqualTo("10.in-addr.arpa.");
    assertThat(ReverseRange.parse("10.244.0.0/16").reverseZone().toString()).isEqualTo("244.10.in-addr.arpa.");
    assertThatThrownBy(() -> ReverseRange.parse("10.244.0.0")).isInstanceOf(IllegalArgumentException.class);
  }
}
