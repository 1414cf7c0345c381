package io.kubeactor.controlplane.dns;

import io.kubeactor.controlplane.api.IpAddresses;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The cluster DNS server's settings (kubeactor.dns in application.conf).
 *
 * @param domain the cluster domain served (kubelet's --cluster-domain), absolute
 * @param host the address listened on
 * @param port the port listened on for UDP and TCP; 0 picks a free one
 * @param ttl the TTL of cluster records (CoreDNS's kubernetes plugin: 5 s)
 * @param upstreams the resolvers asked for every other name, in order
 * @param upstreamTimeout how long one upstream may take before the next is asked
 * @param cacheMaxTtl the longest an upstream answer is kept (CoreDNS's `cache 30`)
 * @param cacheSize how many upstream answers are kept at most
 * @param reverseCidrs the address ranges whose in-addr.arpa names are answered here
 * @param udpThreads threads that receive and answer UDP queries
 * @param maxTcpConnections TCP connections served at once (more are closed at once)
 * @param tcpIdleTimeout how long a TCP connection may wait for its next query
 */
public record DnsSettings(Name domain, String host, int port, long ttl, List<InetSocketAddress> upstreams,
    Duration upstreamTimeout, Duration cacheMaxTtl, int cacheSize, List<ReverseRange> reverseCidrs, int udpThreads,
    int maxTcpConnections, Duration tcpIdleTimeout) {

  /** Settings for tests: cluster.local on 127.0.0.1, a free port, the given upstreams. */
  public static DnsSettings forTest(List<InetSocketAddress> upstreams) {
    return new DnsSettings(absolute("cluster.local"), "127.0.0.1", 0, 5, upstreams, Duration.ofSeconds(1),
        Duration.ofSeconds(30), 1000, List.of(ReverseRange.parse("10.96.0.0/12"), ReverseRange.parse("10.244.0.0/16")), 2, 16,
        Duration.ofSeconds(10));
  }

  /**
   * From the kubeactor config: the DNS server listens on kubeactor.dns.host, else the advertise
   * address, else the API server's host; with no upstream configured it forwards to the
   * nameservers of the host's resolv.conf (CoreDNS's {@code forward . /etc/resolv.conf}).
   */
  public static DnsSettings from(Config k) {
    Config d = k.getConfig("dns");
    String host = d.getString("host");
    if (host.isEmpty() && k.hasPath("api.advertise-address")) host = k.getString("api.advertise-address");
    if (host.isEmpty()) host = k.getString("api.host");
    List<InetSocketAddress> upstreams = new ArrayList<>();
    for (String u : d.getStringList("upstream")) upstreams.add(address(u));
    if (upstreams.isEmpty()) upstreams.addAll(hostNameservers(Path.of(d.getString("resolv-conf"))));
    List<ReverseRange> reverse = d.getStringList("reverse-cidrs").stream().map(ReverseRange::parse).toList();
    return new DnsSettings(absolute(d.getString("domain")), host, d.getInt("port"), d.getDuration("ttl").toSeconds(),
        List.copyOf(upstreams), d.getDuration("upstream-timeout"), d.getDuration("cache-max-ttl"),
        d.getInt("cache-size"), reverse, d.getInt("udp-threads"), d.getInt("max-tcp-connections"),
        d.getDuration("tcp-idle-timeout"));
  }

  /** The nameservers of a resolv.conf, port 53 ("nameserver" lines accumulate, as kubelet and glibc read them). */
  static List<InetSocketAddress> hostNameservers(Path resolvConf) {
    List<InetSocketAddress> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(resolvConf);
    } catch (IOException e) {
      return out;
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("nameserver")) {
        try {
          out.add(address(f[1]));
        } catch (IllegalArgumentException ignored) {
          // not an address (e.g. a scoped IPv6 one): skipped, as resolvers skip what they cannot use
        }
      }
    }
    return out;
  }

  /** "IP" (port 53), "IP:PORT" or "[IPv6]:PORT". Only literal addresses: nothing here may need DNS to start. */
  static InetSocketAddress address(String s) {
    String host = s;
    int port = 53;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) throw new IllegalArgumentException("not an address: " + s);
      host = s.substring(1, end);
      if (s.length() > end + 1 && s.charAt(end + 1) == ':') port = Integer.parseInt(s.substring(end + 2));
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
    }
    return new InetSocketAddress(IpAddresses.literal(host), port);
  }

  static Name absolute(String domain) {
    try {
      return Name.fromString(domain.endsWith(".") ? domain : domain + ".").canonicalize();
    } catch (TextParseException e) {
      throw new IllegalArgumentException("kubeactor.dns.domain is not a domain name: " + domain);
    }
  }
}
