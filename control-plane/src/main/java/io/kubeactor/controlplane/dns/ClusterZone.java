package io.kubeactor.controlplane.dns;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The cluster domain's records, answered from the control plane's shared informers (Services,
 * EndpointSlices, Namespaces) as CoreDNS's kubernetes plugin answers them under the Kubernetes DNS
 * specification:
 *
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<zone>}: A of the ClusterIP; for a headless Service one A per ready
 *       endpoint address; CNAME to spec.externalName for an ExternalName Service;
 *   <li>{@code <hostname>.<svc>.<ns>.svc.<zone>}: the endpoints with that hostname (or, without
 *       one, whose address dashed is that label: 10-244-1-5);
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<zone>} and {@code <svc>.<ns>.svc.<zone>}: SRV, one
 *       per port (per endpoint and port for a headless Service), their targets' addresses added;
 *   <li>{@code <a>-<b>-<c>-<d>.<ns>.pod.<zone>}: A of that address (CoreDNS's {@code pods insecure});
 *   <li>{@code <d>.<c>.<b>.<a>.in-addr.arpa} in the reverse CIDRs: PTR of a ClusterIP or of a
 *       ready endpoint address;
 *   <li>{@code dns-version.<zone>} TXT, the zone's SOA and NS.
 * </ul>
 *
 * A name that does not exist is NXDOMAIN; a name that exists without records of the asked type is
 * NODATA (NOERROR, no answer); both carry the zone's SOA, and every answer is authoritative. Records
 * live {@code ttl} seconds. Objects are read as they are: one with strange fields is skipped where
 * it cannot be read, never failing the answers for others.
 */
public final class ClusterZone implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterZone.class);

  /** CoreDNS's DNSSchemaVersion, served at dns-version.<zone>. */
  static final String SCHEMA_VERSION = "1.1.0";
  private static final long VERSION_TTL = 28800;
  private static final int MAX_CNAME_CHAIN = 10;
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** EndpointSlices by "namespace/service" (their kubernetes.io/service-name label). */
  static final String SLICES_BY_SERVICE = "dns-service";
  /** EndpointSlices by the addresses of their ready endpoints. */
  static final String SLICES_BY_ADDRESS = "dns-address";
  /** Services by their ClusterIPs. */
  static final String SERVICES_BY_CLUSTER_IP = "dns-cluster-ip";

  private final Name zone;
  private final Name nsName;
  private final Name hostmaster;
  private final long ttl;
  private final List<ReverseRange> reverseCidrs;
  private final Informer<Service> services;
  private final Informer<EndpointSlice> slices;
  private final Informer<Namespace> namespaces;
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  /** The SOA serial: when the zone's objects last changed (seconds), as CoreDNS's. */
  private volatile long serial = System.currentTimeMillis() / 1000;

  /** The answer to a query, and for a CNAME to a name outside the zone, that name to resolve upstream. */
  public record Answer(Message response, Name externalTarget, int externalType) {}

  /** An address with the name that owns it (an SRV target) and a port (-1: none, so no SRV). */
  private record Entry(InetAddress ip, Name target, int port) {}

  /** What a name in the zone holds. */
  private static final class Node {
    boolean exists;
    final List<Entry> entries = new ArrayList<>();
    Name cname;
    boolean apex;
    boolean version;
  }

  public ClusterZone(Informers informers, Name zone, long ttl, List<ReverseRange> reverseCidrs) {
    this.zone = zone;
    this.ttl = ttl;
    this.reverseCidrs = List.copyOf(reverseCidrs);
    this.nsName = child("ns.dns");
    this.hostmaster = child("hostmaster");
    this.services = informers.services();
    this.slices = informers.endpointSlices();
    this.namespaces = informers.namespaces();
    // indexers run on the store's publishing thread: they never throw
    services.addIndex(SERVICES_BY_CLUSTER_IP, s -> safely(() -> clusterIpKeys(s)));
    slices.addIndex(SLICES_BY_SERVICE, s -> safely(() -> serviceKey(s)));
    slices.addIndex(SLICES_BY_ADDRESS, s -> safely(() -> readyAddressKeys(s)));
    for (Informer<?> i : List.of(services, slices, namespaces)) {
      subscriptions.add(i.addHandler(e -> serial = System.currentTimeMillis() / 1000));
    }
  }

  public Name zone() {
    return zone;
  }

  /** Whether a name is answered here: the cluster domain, or the reverse name of an address in a reverse CIDR. */
  public boolean serves(Name name) {
    return name.subdomain(zone) || reverseAddress(name) != null;
  }

  /** The answer to a query (one question, class IN) for a name {@link #serves} says is answered here. */
  public Answer answer(Message query) {
    Record q = query.getQuestion();
    Name qname = q.getName();
    int type = q.getType();
    Message m = reply(query);
    Inet4Address reverse = reverseAddress(qname);
    if (reverse != null) return reverse(m, qname, type, reverse);

    Node node = lookup(qname);
    if (!node.exists) return negative(m, Rcode.NXDOMAIN, zone);
    if (node.cname != null) return cname(m, qname, type, node.cname);
    if (node.apex) {
      if (type == Type.SOA) m.addRecord(soa(zone), Section.ANSWER);
      if (type == Type.NS) {
        m.addRecord(new NSRecord(qname, DClass.IN, ttl, nsName), Section.ANSWER);
        for (InetAddress ip : kubeDnsAddresses()) m.addRecord(address(nsName, ip), Section.ADDITIONAL);
      }
    } else if (node.version) {
      if (type == Type.TXT) m.addRecord(new TXTRecord(qname, DClass.IN, VERSION_TTL, SCHEMA_VERSION), Section.ANSWER);
    } else if (type == Type.A || type == Type.AAAA) {
      Set<InetAddress> seen = new LinkedHashSet<>();
      for (Entry e : node.entries) {
        if (isType(e.ip(), type) && seen.add(e.ip())) m.addRecord(address(qname, e.ip()), Section.ANSWER);
      }
    } else if (type == Type.SRV) {
      srv(m, qname, node.entries);
    }
    if (m.getSectionArray(Section.ANSWER).length == 0) return negative(m, Rcode.NOERROR, zone);
    return new Answer(m, null, 0);
  }

  // ---- names ----

  /** What the name holds: parsed from the right as CoreDNS's parseRequest does. */
  private Node lookup(Name qname) {
    Node node = new Node();
    int n = qname.labels() - zone.labels();
    String[] segs = new String[n];
    for (int i = 0; i < n; i++) segs[i] = qname.getLabelString(i).toLowerCase(Locale.ROOT);
    if (n == 0) {
      node.exists = node.apex = true;
      return node;
    }
    String last = segs[n - 1];
    if (n == 1 && last.equals("dns-version")) {
      node.exists = node.version = true;
      return node;
    }
    if (last.equals("dns")) {
      // ns.dns.<zone>: the zone's name server, the kube-dns Service; dns.<zone> lies above it
      node.exists = n == 1 || (n == 2 && segs[0].equals("ns"));
      if (n == 2 && node.exists) kubeDnsAddresses().forEach(ip -> node.entries.add(new Entry(ip, nsName, -1)));
      return node;
    }
    if (!last.equals("svc") && !last.equals("pod")) return node;
    if (n == 1) {
      node.exists = true;
      return node;
    }
    String namespace = segs[n - 2];
    if (namespaces.get(null, namespace) == null) return node;
    if (n == 2) {
      node.exists = true;
      return node;
    }
    if (last.equals("pod")) {
      if (n == 3) pod(node, segs[0]);
      return node;
    }
    String service = segs[n - 3];
    switch (n) {
      case 3 -> service(node, namespace, service, null, null, null);
      case 4 -> {
        service(node, namespace, service, segs[0], null, null);
        // _tcp.<svc>: an empty non-terminal above _<port>._tcp.<svc> (RFC 8020: not NXDOMAIN)
        if (!node.exists && segs[0].startsWith("_")) {
          Node ports = new Node();
          service(ports, namespace, service, null, null, strip(segs[0]));
          node.exists = ports.exists && ports.entries.stream().anyMatch(e -> e.port() >= 0);
          node.entries.clear();
        }
      }
      case 5 -> service(node, namespace, service, null, strip(segs[0]), strip(segs[1]));
      default -> {
        // deeper names do not exist
      }
    }
    return node;
  }

  /** {@code a-b-c-d.<ns>.pod}: that address, for any well-formed one (CoreDNS's "pods insecure"). */
  private void pod(Node node, String label) {
    String text = label.chars().filter(c -> c == '-').count() == 3 && !label.contains("--")
        ? label.replace('-', '.') : label.replace('-', ':');
    InetAddress ip = IpAddresses.parse(text);
    if (ip == null) return;
    node.exists = true;
    node.entries.add(new Entry(ip, null, -1));
  }

  /**
   * A Service's entries for a name: all its ports, or those matching {@code port}/{@code protocol};
   * with {@code endpoint} (or for a headless Service) its ready endpoints instead of its ClusterIPs.
   */
  private void service(Node node, String namespace, String name, String endpoint, String port, String protocol) {
    Service svc = services.get(namespace, name);
    if (svc == null || svc.getSpec() == null) return;
    try {
      var spec = svc.getSpec();
      if ("ExternalName".equals(spec.getType())) {
        if (endpoint != null || port != null || protocol != null) return;
        Name target = externalName(spec.getExternalName());
        if (target != null) {
          node.exists = true;
          node.cname = target;
        }
        return;
      }
      List<String> ips = clusterIps(svc);
      boolean headless = !ips.isEmpty() && ips.get(0).equals("None");
      Name svcName = child(name + "." + namespace + ".svc");
      if (headless || endpoint != null) {
        endpoints(node, namespace, name, svcName, endpoint, port, protocol);
        return;
      }
      List<ServicePort> ports = spec.getPorts() == null || spec.getPorts().isEmpty() ? null : spec.getPorts();
      if (ports == null) {
        // no ports: still the ClusterIP's A record, but no SRV (CoreDNS's -1 sentinel)
        if (port == null && protocol == null) addClusterIps(node, ips, svcName, -1);
        return;
      }
      for (ServicePort p : ports) {
        if (!matches(port, p.getName()) || !matches(protocol, p.getProtocol() == null ? "TCP" : p.getProtocol())) continue;
        addClusterIps(node, ips, svcName, p.getPort() == null ? -1 : p.getPort());
      }
    } catch (RuntimeException e) {
      LOG.debug("service {}/{} cannot be read for DNS: {}", namespace, name, e.toString());
    }
  }

  private static void addClusterIps(Node node, List<String> ips, Name svcName, int port) {
    node.exists = true;
    for (String ip : ips) {
      InetAddress a = IpAddresses.parse(ip);
      if (a != null) node.entries.add(new Entry(a, svcName, port));
    }
  }

  /** The ready endpoints of the Service's EndpointSlices (CoreDNS serves those whose ready condition is true). */
  private void endpoints(Node node, String namespace, String service, Name svcName, String endpoint, String port,
      String protocol) {
    List<EndpointSlice> list = new ArrayList<>(slices.byIndex(SLICES_BY_SERVICE, namespace + "/" + service));
    list.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    for (EndpointSlice slice : list) {
      try {
        if (!isIpSlice(slice) || slice.getEndpoints() == null) continue;
        List<int[]> ports = new ArrayList<>(); // port numbers of the matching ports (-1: the slice has none)
        if (slice.getPorts() == null || slice.getPorts().isEmpty()) {
          if (port == null && protocol == null) ports.add(new int[] {-1});
        } else {
          for (EndpointPort p : slice.getPorts()) {
            if (!matches(port, p.getName()) || !matches(protocol, p.getProtocol() == null ? "TCP" : p.getProtocol())) continue;
            ports.add(new int[] {p.getPort() == null ? -1 : p.getPort()});
          }
        }
        if (ports.isEmpty()) continue;
        for (Endpoint ep : slice.getEndpoints()) {
          if (!isReady(ep) || ep.getAddresses() == null) continue;
          for (String address : ep.getAddresses()) {
            InetAddress ip = IpAddresses.parse(address);
            if (ip == null) continue;
            String host = endpointHostname(ep.getHostname(), ip);
            if (endpoint != null && !endpoint.equalsIgnoreCase(host)) continue;
            Name target;
            try {
              target = new Name(host, svcName);
            } catch (TextParseException e) {
              continue;
            }
            for (int[] p : ports) {
              node.exists = true;
              node.entries.add(new Entry(ip, target, p[0]));
            }
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("endpointslice {}/{} cannot be read for DNS: {}", namespace, slice.getMetadata().getName(), e.toString());
      }
    }
  }

  // ---- answers ----

  /** SRV records, one per entry with a port, weighted evenly as CoreDNS's, with their targets' addresses. */
  private void srv(Message m, Name qname, List<Entry> entries) {
    int weight = Math.max(1, 100 / Math.max(1, entries.size()));
    Set<String> seen = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (e.port() < 0 || e.target() == null) continue;
      if (seen.add(e.target() + ":" + e.port())) {
        m.addRecord(new SRVRecord(qname, DClass.IN, ttl, 0, weight, e.port(), e.target()), Section.ANSWER);
      }
      if (seen.add(e.target() + "@" + e.ip().getHostAddress())) m.addRecord(address(e.target(), e.ip()), Section.ADDITIONAL);
    }
  }

  /** A CNAME to spec.externalName; for A/AAAA its target's records, chased here in the zone or named for an upstream lookup. */
  private Answer cname(Message m, Name qname, int type, Name target) {
    if (type == Type.SRV) return negative(m, Rcode.NOERROR, zone);
    m.addRecord(new CNAMERecord(qname, DClass.IN, ttl, target), Section.ANSWER);
    if (type != Type.A && type != Type.AAAA) return new Answer(m, null, 0);
    Name current = target;
    for (int depth = 0; depth < MAX_CNAME_CHAIN; depth++) {
      if (!current.subdomain(zone)) return new Answer(m, current, type);
      Node next = lookup(current);
      if (next.cname != null) {
        m.addRecord(new CNAMERecord(current, DClass.IN, ttl, next.cname), Section.ANSWER);
        current = next.cname;
        continue;
      }
      Set<InetAddress> seen = new LinkedHashSet<>();
      for (Entry e : next.entries) {
        if (isType(e.ip(), type) && seen.add(e.ip())) m.addRecord(address(current, e.ip()), Section.ANSWER);
      }
      break;
    }
    return new Answer(m, null, 0);
  }

  private Answer reverse(Message m, Name qname, int type, Inet4Address ip) {
    Name soaZone = reverseCidrs.stream().filter(c -> c.contains(ip)).findFirst().orElseThrow().reverseZone();
    List<Name> targets = ptrTargets(ip.getHostAddress());
    if (targets.isEmpty()) return negative(m, Rcode.NXDOMAIN, soaZone);
    if (type != Type.PTR) return negative(m, Rcode.NOERROR, soaZone);
    for (Name t : targets) m.addRecord(new PTRRecord(qname, DClass.IN, ttl, t), Section.ANSWER);
    return new Answer(m, null, 0);
  }

  /** The Service whose ClusterIP it is, else the ready endpoints with that address (as CoreDNS's reverse lookup). */
  private List<Name> ptrTargets(String ip) {
    List<Service> owners = new ArrayList<>(services.byIndex(SERVICES_BY_CLUSTER_IP, ip));
    owners.sort(Comparator.comparing(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
    for (Service s : owners) {
      Name n = childOrNull(s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc");
      if (n != null) return List.of(n);
    }
    Set<Name> out = new LinkedHashSet<>();
    List<EndpointSlice> list = new ArrayList<>(slices.byIndex(SLICES_BY_ADDRESS, ip));
    list.sort(Comparator.comparing(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
    for (EndpointSlice slice : list) {
      try {
        String service = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
        for (Endpoint ep : slice.getEndpoints()) {
          if (!isReady(ep) || ep.getAddresses() == null) continue;
          for (String address : ep.getAddresses()) {
            InetAddress a = IpAddresses.parse(address);
            if (a == null || !a.getHostAddress().equals(ip)) continue;
            Name n = childOrNull(endpointHostname(ep.getHostname(), a) + "." + service + "." + slice.getMetadata().getNamespace() + ".svc");
            if (n != null) out.add(n);
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("endpointslice {} cannot be read for DNS: {}", slice.getMetadata().getName(), e.toString());
      }
    }
    return List.copyOf(out);
  }

  /** NXDOMAIN, or NODATA (NOERROR with no answer), with the zone's SOA in the authority section. */
  private Answer negative(Message m, int rcode, Name soaZone) {
    m.removeAllRecords(Section.ANSWER);
    m.removeAllRecords(Section.ADDITIONAL);
    m.getHeader().setRcode(rcode);
    m.addRecord(soa(soaZone), Section.AUTHORITY);
    return new Answer(m, null, 0);
  }

  private SOARecord soa(Name owner) {
    return new SOARecord(owner, DClass.IN, Math.min(ttl, 300), nsName, hostmaster, serial, 7200, 1800, 86400, ttl);
  }

  private Record address(Name owner, InetAddress ip) {
    return ip instanceof Inet4Address ? new ARecord(owner, DClass.IN, ttl, ip) : new AAAARecord(owner, DClass.IN, ttl, ip);
  }

  /** A reply to the query: its ID, opcode, question and RD flag; authoritative. */
  static Message reply(Message query) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) m.getHeader().setFlag(Flags.RD);
    if (query.getHeader().getFlag(Flags.CD)) m.getHeader().setFlag(Flags.CD);
    m.getHeader().setFlag(Flags.AA);
    if (query.getQuestion() != null) m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  // ---- reading objects ----

  private List<InetAddress> kubeDnsAddresses() {
    Service svc = services.get("kube-system", "kube-dns");
    List<InetAddress> out = new ArrayList<>();
    if (svc == null) return out;
    for (String ip : clusterIps(svc)) {
      InetAddress a = IpAddresses.parse(ip);
      if (a != null) out.add(a);
    }
    return out;
  }

  private static List<String> clusterIps(Service svc) {
    var spec = svc.getSpec();
    if (spec == null) return List.of();
    if (spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) return spec.getClusterIPs();
    return spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
  }

  private static Collection<String> clusterIpKeys(Service svc) {
    if (svc.getSpec() == null || "ExternalName".equals(svc.getSpec().getType())) return List.of();
    List<String> out = new ArrayList<>();
    for (String ip : clusterIps(svc)) {
      InetAddress a = IpAddresses.parse(ip);
      if (a != null) out.add(a.getHostAddress());
    }
    return out;
  }

  private static Collection<String> serviceKey(EndpointSlice s) {
    var labels = s.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return service == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + service);
  }

  private static Collection<String> readyAddressKeys(EndpointSlice s) {
    if (!isIpSlice(s) || s.getEndpoints() == null || serviceKey(s).isEmpty()) return List.of();
    Set<String> out = new LinkedHashSet<>();
    for (Endpoint ep : s.getEndpoints()) {
      if (!isReady(ep) || ep.getAddresses() == null) continue;
      for (String address : ep.getAddresses()) {
        InetAddress a = IpAddresses.parse(address);
        if (a != null) out.add(a.getHostAddress());
      }
    }
    return out;
  }

  private static boolean isIpSlice(EndpointSlice s) {
    return s.getAddressType() == null || s.getAddressType().equals("IPv4") || s.getAddressType().equals("IPv6");
  }

  /** An endpoint whose ready condition is unset counts as ready (the API's meaning, and CoreDNS's). */
  private static boolean isReady(Endpoint ep) {
    return ep.getConditions() == null || ep.getConditions().getReady() == null || ep.getConditions().getReady();
  }

  /** The endpoint's hostname, else its address dashed (CoreDNS's endpointHostname). */
  static String endpointHostname(String hostname, InetAddress ip) {
    if (hostname != null && !hostname.isEmpty()) return hostname;
    if (ip instanceof Inet4Address) return ip.getHostAddress().replace('.', '-');
    String dashed = IpAddresses.text(ip).replace(':', '-');
    return dashed.endsWith("-") ? dashed + "0" : dashed;
  }

  private static Name externalName(String externalName) {
    if (externalName == null || externalName.isEmpty() || IpAddresses.parse(externalName) != null) return null;
    try {
      return Name.fromString(externalName.endsWith(".") ? externalName : externalName + ".");
    } catch (TextParseException e) {
      return null;
    }
  }

  /** The address of d.c.b.a.in-addr.arpa when it lies in a reverse CIDR, else null. */
  private Inet4Address reverseAddress(Name name) {
    if (name.labels() != 7 || !name.getLabelString(4).equalsIgnoreCase("in-addr")
        || !name.getLabelString(5).equalsIgnoreCase("arpa")) {
      return null;
    }
    InetAddress parsed = IpAddresses.parse(name.getLabelString(3) + "." + name.getLabelString(2) + "."
        + name.getLabelString(1) + "." + name.getLabelString(0));
    if (!(parsed instanceof Inet4Address ip)) return null;
    for (ReverseRange c : reverseCidrs) if (c.contains(ip)) return ip;
    return null;
  }

  private static boolean isType(InetAddress ip, int type) {
    return type == Type.A ? ip instanceof Inet4Address : ip instanceof Inet6Address;
  }

  /** A query's port or protocol label against an object's (null matches all), case-insensitively. */
  private static boolean matches(String query, String value) {
    return query == null || query.equalsIgnoreCase(value == null ? "" : value);
  }

  private static String strip(String label) {
    return label.startsWith("_") ? label.substring(1) : label;
  }

  private Name child(String relative) {
    Name n = childOrNull(relative);
    if (n == null) throw new IllegalArgumentException("not a name: " + relative);
    return n;
  }

  private Name childOrNull(String relative) {
    try {
      return new Name(relative, zone);
    } catch (TextParseException e) {
      return null;
    }
  }

  private static Collection<String> safely(java.util.function.Supplier<Collection<String>> f) {
    try {
      return f.get();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception ignored) {
        // nothing to release
      }
    }
  }
}
