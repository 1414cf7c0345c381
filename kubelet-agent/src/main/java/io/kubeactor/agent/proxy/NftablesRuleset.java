package io.kubeactor.agent.proxy;

import io.kubeactor.agent.proxy.ProxyModel.HostedNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service proxy's nftables transaction, in the shapes of kube-proxy's nftables mode (v1.32):
 * one table of our own; ClusterIP, external and load-balancer addresses dispatched through the
 * {@code service-ips} verdict map, node ports through {@code service-nodeports} on every local
 * address; a {@code service-} chain per service port spreading new connections over its endpoints
 * with {@code numgen random}, an {@code endpoint-} chain per endpoint doing the DNAT, {@code
 * external-} and {@code local-} chains for the traffic policies, per-endpoint {@code affinity-} sets
 * for ClientIP session affinity, masquerading by mark, and reject/drop for services without
 * endpoints. Besides kube-proxy's job, the table masquerades pods' traffic that leaves the cluster
 * CIDR, as kindnet does, since Docker's own masquerading is off on the pods' bridges.
 *
 * <p>Several nodes may share one host (one network namespace): the table serves them all. Node
 * ports answer on every node's address; externalTrafficPolicy Local sends traffic that arrives on a
 * node's address to that node's endpoints; internalTrafficPolicy Local keeps traffic on the host.
 *
 * <p>A sync is one transaction (atomic: no packet sees half of it). The first one makes the table
 * anew; later ones rewrite only the service ports whose Service or endpoints changed (their map
 * elements, chains and sets), as kube-proxy's partial syncs do, unless the nodes of this host
 * changed, which rewrites everything. Affinity sets survive a sync, so sticky clients stay stuck.
 */
public final class NftablesRuleset {

  public static final String TABLE = "kubeactor";
  static final String MASQUERADE_MARK = "0x00004000";

  private final ProxyModel model;
  private final String clusterCidr;
  /** Tables, chains, maps and sets first: rules and elements may only name what exists. */
  private final StringBuilder declarations = new StringBuilder();
  private final StringBuilder out = new StringBuilder();
  private final Set<String> chains = new LinkedHashSet<>();
  private final Set<String> affinitySets = new LinkedHashSet<>();
  /** What the service port being written adds (null while the table's own parts are written). */
  private PortRules.Builder port;

  private NftablesRuleset(ProxyModel model, String clusterCidr) {
    this.model = model;
    this.clusterCidr = clusterCidr;
  }

  /** What one service port adds to the table: its chains and sets, its rules, its map elements. */
  public record PortRules(List<String> declarations, List<String> rules, List<Element> elements, Set<String> chains,
      Set<String> sets) {

    record Element(String map, String key, String verdict) {}

    private static final class Builder {
      final List<String> declarations = new ArrayList<>();
      final List<String> rules = new ArrayList<>();
      final List<Element> elements = new ArrayList<>();
      final Set<String> chains = new LinkedHashSet<>();
      final Set<String> sets = new LinkedHashSet<>();

      PortRules build() {
        return new PortRules(List.copyOf(declarations), List.copyOf(rules), List.copyOf(elements), Set.copyOf(chains),
            Set.copyOf(sets));
      }
    }
  }

  /**
   * The transaction, and what the table holds after it: every service chain and affinity set, and
   * each service port's rules, which the next sync compares with.
   */
  public record Transaction(String script, Set<String> chains, Set<String> affinitySets, ProxyModel model,
      Map<ServicePort, PortRules> ports) {}

  /**
   * Renders a sync. Without {@code previous} (a proxy starting or taking over) the table is made
   * anew, leaving nothing of an earlier one. Otherwise only what changed since {@code previous} is
   * written; chains no longer used are flushed, to be deleted by {@link #deleteChains} a moment
   * later once the kernel has dropped its references to them, and sets no longer used deleted.
   */
  public static Transaction render(ProxyModel model, String clusterCidr, Transaction previous) {
    NftablesRuleset r = new NftablesRuleset(model, clusterCidr);
    Map<ServicePort, PortRules> ports = new LinkedHashMap<>();
    boolean partial = previous != null && previous.model().hostedNodes().equals(model.hostedNodes());
    if (!partial) {
      r.writeTable(previous == null);
      for (Map.Entry<ServicePort, List<ServiceEndpoint>> e : model.services().entrySet()) {
        PortRules rules = r.portRules(e.getKey(), e.getValue());
        ports.put(e.getKey(), rules);
        r.emit(rules);
      }
    } else {
      Map<ServicePort, List<ServiceEndpoint>> before = previous.model().services();
      for (Map.Entry<ServicePort, PortRules> old : previous.ports().entrySet()) {
        ServicePort sp = old.getKey();
        if (!model.services().containsKey(sp) || !model.services().get(sp).equals(before.get(sp))) {
          for (PortRules.Element e : old.getValue().elements()) {
            r.line("delete element ip " + TABLE + " " + e.map() + " { " + e.key() + " }");
          }
        }
      }
      for (Map.Entry<ServicePort, List<ServiceEndpoint>> e : model.services().entrySet()) {
        ServicePort sp = e.getKey();
        PortRules rules = e.getValue().equals(before.get(sp)) ? previous.ports().get(sp) : null;
        if (rules == null) {
          rules = r.portRules(sp, e.getValue());
          r.emit(rules);
        }
        ports.put(sp, rules);
        r.chains.addAll(rules.chains());
        r.affinitySets.addAll(rules.sets());
      }
    }
    if (previous != null) {
      for (String c : previous.chains()) if (!r.chains.contains(c)) r.line("flush chain ip " + TABLE + " " + c);
      for (String set : previous.affinitySets()) if (!r.affinitySets.contains(set)) r.line("delete set ip " + TABLE + " " + set);
    }
    return new Transaction(r.declarations.toString() + r.out, Set.copyOf(r.chains), Set.copyOf(r.affinitySets), model,
        Map.copyOf(ports));
  }

  /** A transaction deleting chains flushed by an earlier one. */
  public static String deleteChains(Collection<String> stale) {
    StringBuilder b = new StringBuilder();
    for (String c : stale) b.append("delete chain ip ").append(TABLE).append(' ').append(c).append('\n');
    return b.toString();
  }

  /** A transaction removing everything the proxy made (when the cluster goes). */
  public static String deleteTable() {
    return "add table ip " + TABLE + "\ndelete table ip " + TABLE + "\n";
  }

  /** The table's own chains and maps, made (or emptied) for a full sync. */
  private void writeTable(boolean fresh) {
    if (fresh) declarations.append(deleteTable());
    declare("add table ip " + TABLE + " { comment \"rules for kubeactor's service proxy\" ; }");
    base("filter-input", "filter", "input");
    base("filter-forward", "filter", "forward");
    base("filter-output", "filter", "output");
    base("nat-prerouting", "nat", "prerouting");
    base("nat-output", "nat", "output");
    base("nat-postrouting", "nat", "postrouting");
    for (String c : List.of("endpoints-check", "services", "masquerading", "mark-for-masquerade", "pod-masquerade", "reject-chain")) {
      top(c);
    }
    for (String hook : List.of("filter-input", "filter-forward", "filter-output")) rule(hook, "ct state new jump endpoints-check");
    rule("nat-prerouting", "jump services");
    rule("nat-output", "jump services");
    rule("nat-postrouting", "jump masquerading");
    rule("nat-postrouting", "jump pod-masquerade");
    rule("mark-for-masquerade", "mark set mark or " + MASQUERADE_MARK);
    rule("masquerading", "mark and " + MASQUERADE_MARK + " == 0 return");
    rule("masquerading", "mark set mark xor " + MASQUERADE_MARK);
    rule("masquerading", "masquerade fully-random");
    // the pod network's own: pods' traffic to anywhere outside the cluster CIDR leaves with the node's address
    rule("pod-masquerade", "ip saddr " + clusterCidr + " ip daddr != " + clusterCidr + " masquerade");
    rule("reject-chain", "reject");
    map("no-endpoint-services", "ipv4_addr . inet_proto . inet_service : verdict",
        "vmap to drop or reject packets to services with no endpoints");
    map("no-endpoint-nodeports", "inet_proto . inet_service : verdict",
        "vmap to drop or reject packets to service nodeports with no endpoints");
    map("service-ips", "ipv4_addr . inet_proto . inet_service : verdict", "ClusterIP, ExternalIP and LoadBalancer IP traffic");
    map("service-nodeports", "inet_proto . inet_service : verdict", "NodePort traffic");
    rule("endpoints-check", "ip daddr . meta l4proto . th dport vmap @no-endpoint-services");
    rule("endpoints-check", "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports");
    rule("services", "ip daddr . meta l4proto . th dport vmap @service-ips");
    rule("services", "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports");
  }

  private PortRules portRules(ServicePort sp, List<ServiceEndpoint> endpoints) {
    port = new PortRules.Builder();
    servicePort(sp, endpoints);
    PortRules rules = port.build();
    port = null;
    return rules;
  }

  /** Writes one service port's part: its declarations before every rule, its elements after them. */
  private void emit(PortRules rules) {
    rules.declarations().forEach(this::declare);
    rules.rules().forEach(this::line);
    for (PortRules.Element e : rules.elements()) {
      line("add element ip " + TABLE + " " + e.map() + " { " + e.key() + " : " + e.verdict() + " }");
    }
    chains.addAll(rules.chains());
    affinitySets.addAll(rules.sets());
  }

  private void servicePort(ServicePort sp, List<ServiceEndpoint> all) {
    String base = sp.chainBase();
    List<ServiceEndpoint> cluster = usable(all, null);
    boolean hasEndpoints = !cluster.isEmpty();
    Set<String> hostedNames = new LinkedHashSet<>();
    for (HostedNode n : model.hostedNodes()) hostedNames.add(n.name());
    List<ServiceEndpoint> hostLocal = usable(all, hostedNames);
    String clusterChain = "service-" + hashAndTruncate(base);
    String localChain = "local-" + hashAndTruncate(base);
    String externalChain = "external-" + hashAndTruncate(base);
    String key = sp.protocol() + " . " + sp.port();

    // the endpoints each policy chain may use, and their chains
    Set<ServiceEndpoint> reachable = new LinkedHashSet<>();
    if (hasEndpoints) reachable.addAll(cluster);
    if (sp.internalLocal()) reachable.addAll(hostLocal);
    Map<HostedNode, List<ServiceEndpoint>> perNode = new java.util.LinkedHashMap<>();
    boolean oneNode = model.hostedNodes().size() == 1;
    if (sp.externalLocal()) {
      for (HostedNode n : model.hostedNodes()) {
        List<ServiceEndpoint> local = usable(all, Set.of(n.name()));
        perNode.put(n, local);
        reachable.addAll(local);
      }
    }

    // internal (ClusterIP) traffic
    boolean hasInternal = sp.internalLocal() ? !hostLocal.isEmpty() : hasEndpoints;
    String internalChain = sp.internalLocal() ? localChain : clusterChain;
    if (hasInternal) {
      element("service-ips", sp.clusterIp() + " . " + key, "goto " + internalChain);
    } else {
      element("no-endpoint-services", sp.clusterIp() + " . " + key, hasEndpoints ? "drop" : "goto reject-chain");
    }

    // external traffic: node ports, external IPs, load-balancer addresses
    boolean hasExternal = !sp.externalLocal() ? hasEndpoints
        : perNode.values().stream().anyMatch(l -> !l.isEmpty());
    if (hasEndpoints && sp.externallyAccessible()) {
      chain(externalChain);
      if (!sp.externalLocal()) {
        rule(externalChain, "jump mark-for-masquerade");
        rule(externalChain, "goto " + clusterChain);
      } else {
        rule(externalChain, "ip saddr " + clusterCidr + " goto " + clusterChain + " comment \"short-circuit pod traffic\"");
        rule(externalChain, "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"");
        rule(externalChain, "fib saddr type local goto " + clusterChain + " comment \"short-circuit local traffic\"");
        if (oneNode) {
          if (hasExternal) rule(externalChain, "goto " + localChain);
        } else {
          for (Map.Entry<HostedNode, List<ServiceEndpoint>> n : perNode.entrySet()) {
            if (!n.getValue().isEmpty()) {
              rule(externalChain, "ip daddr " + n.getKey().address() + " goto " + nodeLocalChain(base, n.getKey()));
            }
          }
          // arrived on a node of this host without endpoints of its own
          rule(externalChain, "drop");
        }
      }
    }
    List<String> externalAddresses = new ArrayList<>(sp.externalIps());
    externalAddresses.addAll(sp.loadBalancerIps());
    String externalVerdict = hasEndpoints ? "drop" : "goto reject-chain";
    for (String ip : externalAddresses) {
      if (hasEndpoints) element("service-ips", ip + " . " + key, "goto " + externalChain);
      if (!hasExternal) element("no-endpoint-services", ip + " . " + key, externalVerdict);
    }
    if (sp.nodePort() > 0) {
      String nodePortKey = sp.protocol() + " . " + sp.nodePort();
      if (hasEndpoints) element("service-nodeports", nodePortKey, "goto " + externalChain);
      if (!hasExternal) element("no-endpoint-nodeports", nodePortKey, externalVerdict);
    }

    // affinity sets, then the policy chains, then one chain per endpoint
    if (sp.affinitySeconds() > 0) {
      for (ServiceEndpoint ep : reachable) {
        String set = "affinity-" + hashAndTruncate(base + "__" + ep.ip() + "/" + ep.port());
        port.sets.add(set);
        port.declarations.add("add set ip " + TABLE + " " + set + " { type ipv4_addr ; flags dynamic,timeout ; timeout "
            + sp.affinitySeconds() + "s ; }");
      }
    }
    if (hasEndpoints) {
      chain(clusterChain);
      if (!sp.internalLocal()) {
        // traffic from outside the pod network to a cluster IP is masqueraded, so that replies come back here
        rule(clusterChain, "ip daddr " + sp.clusterIp() + " " + sp.protocol() + " dport " + sp.port() + " ip saddr != "
            + clusterCidr + " jump mark-for-masquerade");
      }
      spread(sp, base, clusterChain, cluster);
    }
    if (sp.internalLocal() && !hostLocal.isEmpty()) {
      chain(localChain);
      spread(sp, base, localChain, hostLocal);
    }
    if (sp.externalLocal()) {
      for (Map.Entry<HostedNode, List<ServiceEndpoint>> n : perNode.entrySet()) {
        String chain = oneNode ? localChain : nodeLocalChain(base, n.getKey());
        if (n.getValue().isEmpty() || port.chains.contains(chain)) continue;
        chain(chain);
        spread(sp, base, chain, n.getValue());
      }
    }
    for (ServiceEndpoint ep : reachable) {
      String chain = endpointChain(base, ep);
      chain(chain);
      rule(chain, "ip saddr " + ep.ip() + " jump mark-for-masquerade");
      if (sp.affinitySeconds() > 0) rule(chain, "update @" + affinitySet(base, ep) + " { ip saddr }");
      rule(chain, "meta l4proto " + sp.protocol() + " dnat to " + ep.ip() + ":" + ep.port());
    }
  }

  /** Affinity first (a client seen lately goes where it went), else a random endpoint. */
  private void spread(ServicePort sp, String base, String chain, List<ServiceEndpoint> endpoints) {
    if (sp.affinitySeconds() > 0) {
      for (ServiceEndpoint ep : endpoints) rule(chain, "ip saddr @" + affinitySet(base, ep) + " goto " + endpointChain(base, ep));
    }
    StringBuilder vmap = new StringBuilder("numgen random mod ").append(endpoints.size()).append(" vmap { ");
    for (int i = 0; i < endpoints.size(); i++) {
      if (i > 0) vmap.append(", ");
      vmap.append(i).append(" : goto ").append(endpointChain(base, endpoints.get(i)));
    }
    rule(chain, vmap.append(" }").toString());
  }

  /**
   * The endpoints traffic may go to (kube-proxy's CategorizeEndpoints): the ready ones, or when none
   * is ready, those still serving while they terminate (so a rolling update drops no connection);
   * on {@code nodes} only, when given.
   */
  static List<ServiceEndpoint> usable(List<ServiceEndpoint> all, Set<String> nodes) {
    List<ServiceEndpoint> ready = new ArrayList<>();
    List<ServiceEndpoint> terminating = new ArrayList<>();
    for (ServiceEndpoint ep : all) {
      if (nodes != null && !nodes.contains(ep.nodeName())) continue;
      if (ep.ready()) ready.add(ep);
      else if (ep.serving() && ep.terminating()) terminating.add(ep);
    }
    return ready.isEmpty() ? terminating : ready;
  }

  private static String nodeLocalChain(String base, HostedNode node) {
    return "local-" + hashAndTruncate(base + "__" + node.name());
  }

  private static String endpointChain(String base, ServiceEndpoint ep) {
    return "endpoint-" + hashAndTruncate(base + "__" + ep.ip() + "/" + ep.port());
  }

  private static String affinitySet(String base, ServiceEndpoint ep) {
    return "affinity-" + hashAndTruncate(base + "__" + ep.ip() + "/" + ep.port());
  }

  /**
   * kube-proxy's chain names: the first 8 characters of the name's SHA-256 in base32, a dash, then
   * the name, cut to 240 characters (nftables allows 256 with the prefix).
   */
  static String hashAndTruncate(String name) {
    String hashed = base32(sha256(name)).substring(0, 8) + "-" + name;
    return hashed.length() > 240 ? hashed.substring(0, 237) + "..." : hashed;
  }

  private void base(String name, String type, String hook) {
    // nftables' named priorities are not valid on every hook: the numbers (dstnat -100, srcnat 100);
    // filters run just before DNAT, on the addresses the client used
    String priority = type.equals("filter") ? "-110" : hook.equals("postrouting") ? "100" : "-100";
    declare("add chain ip " + TABLE + " " + name + " { type " + type + " hook " + hook + " priority " + priority + " ; }");
    declare("flush chain ip " + TABLE + " " + name);
  }

  private void top(String name) {
    declare("add chain ip " + TABLE + " " + name);
    declare("flush chain ip " + TABLE + " " + name);
  }

  private void chain(String name) {
    if (port.chains.add(name)) {
      port.declarations.add("add chain ip " + TABLE + " " + name);
      port.declarations.add("flush chain ip " + TABLE + " " + name);
    }
  }

  private void map(String name, String type, String comment) {
    declare("add map ip " + TABLE + " " + name + " { type " + type + " ; comment \"" + comment + "\" ; }");
    declare("flush map ip " + TABLE + " " + name);
  }

  private void element(String map, String key, String verdict) {
    port.elements.add(new PortRules.Element(map, key, verdict));
  }

  private void rule(String chain, String rule) {
    String line = "add rule ip " + TABLE + " " + chain + " " + rule;
    if (port != null) port.rules.add(line);
    else line(line);
  }

  private void declare(String s) {
    declarations.append(s).append('\n');
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 4648 base32, as Go's base32.StdEncoding (only the first characters are used). */
  private static String base32(byte[] data) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder b = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte d : data) {
      buffer = (buffer << 8) | (d & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) b.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    return b.toString();
  }
}
