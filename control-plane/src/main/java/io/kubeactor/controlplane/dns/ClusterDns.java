package io.kubeactor.controlplane.dns;

import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.client.Informers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster DNS, CoreDNS's part in a kubeadm cluster: {@link ClusterZone} answers the cluster
 * domain from the shared informers, {@link UpstreamForwarder} every other name, {@link DnsServer}
 * serves both over UDP and TCP. Once bound it tells the {@link Publisher} where it listens, so that
 * the kube-dns Service's endpoints name the address and the ports actually bound.
 */
public final class ClusterDns implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterDns.class);

  /** Where the server listens: the kube-dns Service's endpoint (ports "dns" over UDP and "dns-tcp" over TCP). */
  public record Serving(String address, int udpPort, int tcpPort) {}

  /** Publishes where the DNS server listens as the kube-dns Service's Endpoints and EndpointSlice. */
  @FunctionalInterface
  public interface Publisher {
    void publish(Serving serving);
  }

  private final ClusterZone zone;
  private final DnsServer server;
  private final ExecutorService upstreamThreads;
  private final Serving serving;

  private ClusterDns(ClusterZone zone, DnsServer server, ExecutorService upstreamThreads, Serving serving) {
    this.zone = zone;
    this.server = server;
    this.upstreamThreads = upstreamThreads;
    this.serving = serving;
  }

  /** Binds and serves; the publisher is called once, after binding, with the bound ports. */
  public static ClusterDns start(DnsSettings settings, Informers informers, Publisher publisher) throws IOException {
    // the server never forwards to itself (a host whose resolv.conf names the cluster DNS would loop)
    InetSocketAddress self = settings.port() == 0 ? null
        : new InetSocketAddress(IpAddresses.literal(settings.host()), settings.port());
    List<InetSocketAddress> upstreams = settings.upstreams().stream().filter(u -> !u.equals(self)).toList();
    AtomicInteger n = new AtomicInteger();
    ExecutorService upstreamThreads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "dns-upstream-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ClusterZone zone = new ClusterZone(informers, settings.domain(), settings.ttl(), settings.reverseCidrs());
    ResponseCache cache = new ResponseCache(settings.cacheMaxTtl(), settings.cacheSize(), System::nanoTime);
    UpstreamForwarder forwarder = new UpstreamForwarder(upstreams, settings.upstreamTimeout(), cache, upstreamThreads);
    DnsServer server;
    try {
      server = DnsServer.start(settings.host(), settings.port(), new QueryRouter(zone, forwarder), settings.udpThreads(),
          settings.maxTcpConnections(), settings.tcpIdleTimeout(),
          settings.upstreamTimeout().multipliedBy(Math.max(1, upstreams.size()) + 1L));
    } catch (IOException | RuntimeException e) {
      zone.close();
      upstreamThreads.shutdownNow();
      throw e;
    }
    Serving serving = new Serving(settings.host(), server.udpAddress().getPort(), server.tcpAddress().getPort());
    LOG.info("cluster DNS for {} on {} (udp {}, tcp {}), forwarding other names to {}", settings.domain(), serving.address(),
        serving.udpPort(), serving.tcpPort(), upstreams.isEmpty() ? "nobody (SERVFAIL)" : upstreams);
    ClusterDns dns = new ClusterDns(zone, server, upstreamThreads, serving);
    try {
      publisher.publish(serving);
    } catch (RuntimeException e) {
      LOG.error("cannot publish the cluster DNS endpoints: {}", e.toString());
    }
    return dns;
  }

  public Serving serving() {
    return serving;
  }

  /** The UDP port bound (the actual one when 0 was asked). */
  public int port() {
    return serving.udpPort();
  }

  @Override
  public void close() {
    server.close();
    zone.close();
    upstreamThreads.shutdownNow();
  }
}
