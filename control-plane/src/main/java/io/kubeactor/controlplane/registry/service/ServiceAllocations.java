package io.kubeactor.controlplane.registry.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.store.WatchCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The cluster IPs and node ports in use: those of the stored Services, followed through the watch
 * cache, plus those reserved by requests still on their way to the store. Nothing of it is
 * persisted: after a restart the stored Services say again what is taken.
 *
 * <p>A request reserves what it allocates in a {@link Transaction} and lets go of it once its write
 * is answered. The store publishes a write to the watch cache before answering it, and every step
 * here first applies what the cache published, so when a reservation goes the stored Service that
 * now holds the value is already counted: two requests never get one value, and a request that
 * fails frees what it took.
 */
final class ServiceAllocations {

  private final WatchCache cache;
  private final String servicesPrefix;
  private final ClusterIpAllocator ips;
  private final NodePortAllocator ports;
  /** Changes the cache published and not yet applied; the cache's thread only adds to it. */
  private final ConcurrentLinkedQueue<WatchCache.Change> published = new ConcurrentLinkedQueue<>();
  /** What each stored Service holds, by store key. */
  private final Map<String, Held> stored = new HashMap<>();
  private boolean following;

  private record Held(Set<String> ips, Set<Integer> ports) {}

  ServiceAllocations(WatchCache cache, String servicesPrefix, ServiceNetwork network) {
    this.cache = cache;
    this.servicesPrefix = servicesPrefix;
    this.ips = new ClusterIpAllocator(network.clusterIpRange());
    this.ports = new NodePortAllocator(network.nodePortRange());
  }

  /** A transaction for one request; a dry run takes nothing and hands out placeholders, as upstream's. */
  Transaction begin(boolean dryRun) {
    return new Transaction(dryRun);
  }

  /** Brings the allocators up to what the store has published. Called with this object's lock held. */
  private void catchUp() {
    if (!following) {
      if (!cache.ready()) {
        throw new ApiException(503, "ServiceUnavailable", "the store is still recovering; try again shortly", null, null, null, null);
      }
      // the handler only queues: it runs on the store's publishing thread, which must never wait for this lock
      WatchCache.Started started = cache.watchFromNow(servicesPrefix, published::add);
      started.state().withPrefix(servicesPrefix).forEach((key, service) -> store(key, service.tree()));
      following = true;
    }
    for (WatchCache.Change c; (c = published.poll()) != null; ) {
      Held before = stored.remove(c.key());
      if (before != null) {
        before.ips().forEach(ips::release);
        before.ports().forEach(ports::release);
      }
      if (c.type() != WatchCache.Type.DELETED) store(c.key(), c.object().tree());
    }
  }

  private void store(String key, JsonNode service) {
    Held held = held(service.path("spec"));
    held.ips().forEach(ips::hold);
    held.ports().forEach(ports::hold);
    stored.put(key, held);
  }

  /** The cluster IPs and node ports a stored Service holds: every one it names in the ranges. */
  private Held held(JsonNode spec) {
    Set<String> addresses = new LinkedHashSet<>();
    for (JsonNode ip : spec.path("clusterIPs")) {
      if (ips.contains(ip.asText())) addresses.add(ip.asText());
    }
    if (ips.contains(spec.path("clusterIP").asText())) addresses.add(spec.path("clusterIP").asText());
    Set<Integer> numbers = new LinkedHashSet<>();
    for (JsonNode port : spec.path("ports")) {
      int nodePort = port.path("nodePort").asInt(0);
      if (ports.contains(nodePort)) numbers.add(nodePort);
    }
    int healthCheck = spec.path("healthCheckNodePort").asInt(0);
    if (ports.contains(healthCheck)) numbers.add(healthCheck);
    return new Held(addresses, numbers);
  }

  /** What one request allocates; closing it lets go of its reservations (idempotent). */
  final class Transaction implements AutoCloseable {
    private final boolean dryRun;
    private final List<String> reservedIps = new ArrayList<>();
    /** The node ports this request took (in a dry run: pretended to take). */
    private final List<Integer> reservedPorts = new ArrayList<>();
    private boolean closed;

    private Transaction(boolean dryRun) {
      this.dryRun = dryRun;
    }

    /** A free cluster IP from the upper part of the range; a dry run answers the network address, as upstream's. */
    String allocateNextIp() throws AllocationException {
      if (dryRun) return ips.networkAddress();
      synchronized (ServiceAllocations.this) {
        catchUp();
        String ip = ips.allocateNext();
        reservedIps.add(ip);
        return ip;
      }
    }

    /** The asked cluster IP, if in the range and free; a dry run checks only the range, as upstream's. */
    void allocateIp(String ip) throws AllocationException {
      if (dryRun) {
        ips.checkInRange(ip);
        return;
      }
      synchronized (ServiceAllocations.this) {
        catchUp();
        ips.allocate(ip);
        reservedIps.add(ip);
      }
    }

    /** A free node port from the upper part of the range; a dry run makes one up past the range, as upstream's. */
    int allocateNextNodePort() throws AllocationException {
      if (dryRun) {
        int last = reservedPorts.isEmpty() ? 32768 : reservedPorts.stream().max(Integer::compare).orElseThrow();
        reservedPorts.add(last + 1);
        return last + 1;
      }
      synchronized (ServiceAllocations.this) {
        catchUp();
        int port = ports.allocateNext();
        reservedPorts.add(port);
        return port;
      }
    }

    /** The asked node port, if in the range and free (a dry run does not check the range, as upstream's). */
    void allocateNodePort(int port) throws AllocationException {
      synchronized (ServiceAllocations.this) {
        catchUp();
        if (dryRun) {
          if (ports.has(port) || reservedPorts.contains(port)) throw NodePortAllocator.allocated();
          reservedPorts.add(port);
          return;
        }
        ports.allocate(port);
        reservedPorts.add(port);
      }
    }

    @Override
    public void close() {
      synchronized (ServiceAllocations.this) {
        if (closed) return;
        closed = true;
        if (dryRun || (reservedIps.isEmpty() && reservedPorts.isEmpty())) return;
        // what the request's write stored is counted before its reservations go
        catchUp();
        reservedIps.forEach(ips::release);
        reservedPorts.forEach(ports::release);
      }
    }
  }
}
