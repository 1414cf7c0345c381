package io.kubeactor.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.agent.proxy.ProxyModel.HostedNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules have kube-proxy's nftables shapes (pkg/proxy/nftables/proxier.go, v1.32). */
class NftablesRulesetTest {

  private static final String CIDR = "10.244.0.0/16";
  private static final HostedNode NODE = new HostedNode("node-a", "10.244.0.1", "10.244.0.0/24");

  private static ServicePort port(String name, int nodePort, int affinity, boolean externalLocal) {
    return new ServicePort("ns1", name, "p80", "tcp", "10.96.0.41", 80, nodePort, List.of(), List.of(), affinity, externalLocal, false);
  }

  private static ServiceEndpoint ready(String ip, String node) {
    return new ServiceEndpoint(ip, 8080, node, true, true, false);
  }

  private static String render(Map<ServicePort, List<ServiceEndpoint>> services, List<HostedNode> nodes) {
    return NftablesRuleset.render(new ProxyModel(services, nodes), CIDR, null).script();
  }

  @Test
  void chainNamesAreKubeProxys() {
    // the names upstream's tests expect for these service ports and endpoints
    assertThat(NftablesRuleset.hashAndTruncate("ns1/svc1/tcp/p80")).isEqualTo("ULMVA6XW-ns1/svc1/tcp/p80");
    assertThat(NftablesRuleset.hashAndTruncate("ns1/svc1/tcp/p80__10.180.0.1/80")).isEqualTo("5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80");
    assertThat(NftablesRuleset.hashAndTruncate("x".repeat(300))).hasSize(240).endsWith("...");
  }

  @Test
  void aClusterIpSpreadsNewConnectionsOverItsEndpoints() {
    ServicePort sp = port("svc1", 0, 0, false);
    String rules = render(Map.of(sp, List.of(ready("10.244.0.5", "node-a"), ready("10.244.1.5", "node-b"))), List.of(NODE));
    String svc = "service-" + NftablesRuleset.hashAndTruncate("ns1/svc1/tcp/p80");
    String ep1 = "endpoint-" + NftablesRuleset.hashAndTruncate("ns1/svc1/tcp/p80__10.244.0.5/8080");
    String ep2 = "endpoint-" + NftablesRuleset.hashAndTruncate("ns1/svc1/tcp/p80__10.244.1.5/8080");
    assertThat(rules).contains(
        "add element ip kubeactor service-ips { 10.96.0.41 . tcp . 80 : goto " + svc + " }",
        "add rule ip kubeactor " + svc + " ip daddr 10.96.0.41 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
        "add rule ip kubeactor " + svc + " numgen random mod 2 vmap { 0 : goto " + ep1 + ", 1 : goto " + ep2 + " }",
        "add rule ip kubeactor " + ep1 + " ip saddr 10.244.0.5 jump mark-for-masquerade",
        "add rule ip kubeactor " + ep1 + " meta l4proto tcp dnat to 10.244.0.5:8080",
        "add rule ip kubeactor services ip daddr . meta l4proto . th dport vmap @service-ips",
        "add rule ip kubeactor services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports",
        "add rule ip kubeactor masquerading masquerade fully-random",
        "add rule ip kubeactor pod-masquerade ip saddr 10.244.0.0/16 ip daddr != 10.244.0.0/16 masquerade");
    assertThat(rules).doesNotContain("no-endpoint-services { 10.96.0.41");
    // every chain is declared before any rule or element names it
    int firstRule = rules.indexOf("add rule");
    assertThat(rules.lastIndexOf("add chain")).isLessThan(firstRule);
    assertThat(rules.indexOf("add element")).isGreaterThan(rules.lastIndexOf("add chain"));
  }

  @Test
  void aServiceWithoutEndpointsRejectsAndHasNoChains() {
    ServicePort sp = port("empty", 30080, 0, false);
    String rules = render(Map.of(sp, List.of()), List.of(NODE));
    assertThat(rules).contains(
        "add element ip kubeactor no-endpoint-services { 10.96.0.41 . tcp . 80 : goto reject-chain }",
        "add element ip kubeactor no-endpoint-nodeports { tcp . 30080 : goto reject-chain }",
        "add rule ip kubeactor endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services");
    assertThat(rules).doesNotContain("service-" + NftablesRuleset.hashAndTruncate("ns1/empty/tcp/p80"));
  }

  @Test
  void aNodePortGoesThroughTheExternalChainAndIsMasqueraded() {
    ServicePort sp = port("np", 30080, 0, false);
    String rules = render(Map.of(sp, List.of(ready("10.244.0.5", "node-a"))), List.of(NODE));
    String ext = "external-" + NftablesRuleset.hashAndTruncate("ns1/np/tcp/p80");
    String svc = "service-" + NftablesRuleset.hashAndTruncate("ns1/np/tcp/p80");
    assertThat(rules).contains(
        "add element ip kubeactor service-nodeports { tcp . 30080 : goto " + ext + " }",
        "add rule ip kubeactor " + ext + " jump mark-for-masquerade",
        "add rule ip kubeactor " + ext + " goto " + svc);
  }

  @Test
  void externalTrafficPolicyLocalKeepsTheClientAndUsesTheNodesOwnEndpoints() {
    ServicePort sp = port("loc", 30081, 0, true);
    String rules = render(Map.of(sp, List.of(ready("10.244.0.5", "node-a"), ready("10.244.1.5", "node-b"))), List.of(NODE));
    String base = NftablesRuleset.hashAndTruncate("ns1/loc/tcp/p80");
    String local = "local-" + base;
    assertThat(rules).contains(
        "add rule ip kubeactor external-" + base + " ip saddr 10.244.0.0/16 goto service-" + base + " comment \"short-circuit pod traffic\"",
        "add rule ip kubeactor external-" + base + " fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"",
        "add rule ip kubeactor external-" + base + " fib saddr type local goto service-" + base + " comment \"short-circuit local traffic\"",
        "add rule ip kubeactor external-" + base + " goto " + local,
        "add rule ip kubeactor " + local + " numgen random mod 1 vmap { 0 : goto endpoint-"
            + NftablesRuleset.hashAndTruncate("ns1/loc/tcp/p80__10.244.0.5/8080") + " }");
    assertThat(rules).doesNotContain("add rule ip kubeactor external-" + base + " jump mark-for-masquerade\n");

    // no endpoint on this node: traffic from outside is dropped, not rejected
    String none = render(Map.of(sp, List.of(ready("10.244.1.5", "node-b"))), List.of(NODE));
    assertThat(none).contains("add element ip kubeactor no-endpoint-nodeports { tcp . 30081 : drop }");
  }

  @Test
  void nodesSharingAHostEachReachTheirOwnEndpointsUnderLocalPolicy() {
    HostedNode b = new HostedNode("node-b", "10.244.1.1", "10.244.1.0/24");
    HostedNode c = new HostedNode("node-c", "10.244.2.1", "10.244.2.0/24");
    ServicePort sp = port("loc", 30081, 0, true);
    String rules = render(Map.of(sp, List.of(ready("10.244.0.5", "node-a"), ready("10.244.1.5", "node-b"))), List.of(NODE, b, c));
    String base = NftablesRuleset.hashAndTruncate("ns1/loc/tcp/p80");
    String ext = "external-" + base;
    assertThat(rules).contains(
        "add rule ip kubeactor " + ext + " ip daddr 10.244.0.1 goto local-" + NftablesRuleset.hashAndTruncate("ns1/loc/tcp/p80__node-a"),
        "add rule ip kubeactor " + ext + " ip daddr 10.244.1.1 goto local-" + NftablesRuleset.hashAndTruncate("ns1/loc/tcp/p80__node-b"),
        "add rule ip kubeactor " + ext + " drop");
    assertThat(rules).doesNotContain("ip daddr 10.244.2.1 goto");
  }

  @Test
  void clientIpAffinityRemembersWhereEachClientWent() {
    ServicePort sp = port("sticky", 0, 10800, false);
    String rules = render(Map.of(sp, List.of(ready("10.244.0.5", "node-a"))), List.of(NODE));
    String set = "affinity-" + NftablesRuleset.hashAndTruncate("ns1/sticky/tcp/p80__10.244.0.5/8080");
    String ep = "endpoint-" + NftablesRuleset.hashAndTruncate("ns1/sticky/tcp/p80__10.244.0.5/8080");
    assertThat(rules).contains(
        "add set ip kubeactor " + set + " { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }",
        "add rule ip kubeactor service-" + NftablesRuleset.hashAndTruncate("ns1/sticky/tcp/p80") + " ip saddr @" + set + " goto " + ep,
        "add rule ip kubeactor " + ep + " update @" + set + " { ip saddr }");
  }

  @Test
  void terminatingEndpointsServeOnlyWhenNoneIsReady() {
    ServiceEndpoint terminating = new ServiceEndpoint("10.244.0.6", 8080, "node-a", false, true, true);
    ServiceEndpoint notReady = new ServiceEndpoint("10.244.0.7", 8080, "node-a", false, false, false);
    assertThat(NftablesRuleset.usable(List.of(ready("10.244.0.5", "node-a"), terminating, notReady), null))
        .containsExactly(ready("10.244.0.5", "node-a"));
    assertThat(NftablesRuleset.usable(List.of(terminating, notReady), null)).containsExactly(terminating);
    assertThat(NftablesRuleset.usable(List.of(notReady), null)).isEmpty();
  }

  @Test
  void aLaterSyncRewritesOnlyWhatChangedAndFlushesChainsNoLongerUsed() {
    ServicePort kept = port("kept", 0, 0, false);
    ServicePort changed = port("changed", 0, 0, false);
    ServicePort gone = port("gone", 0, 10800, false);
    Map<ServicePort, List<ServiceEndpoint>> services = new LinkedHashMap<>();
    services.put(kept, List.of(ready("10.244.0.5", "node-a")));
    services.put(changed, List.of(ready("10.244.0.6", "node-a")));
    services.put(gone, List.of(ready("10.244.0.7", "node-a")));
    var first = NftablesRuleset.render(new ProxyModel(services, List.of(NODE)), CIDR, null);

    Map<ServicePort, List<ServiceEndpoint>> next = new LinkedHashMap<>(services);
    next.remove(gone);
    next.put(changed, List.of(ready("10.244.0.6", "node-a"), ready("10.244.0.8", "node-a")));
    var second = NftablesRuleset.render(new ProxyModel(next, List.of(NODE)), CIDR, first);
    String script = second.script();
    String keptChain = "service-" + NftablesRuleset.hashAndTruncate("ns1/kept/tcp/p80");
    String changedChain = "service-" + NftablesRuleset.hashAndTruncate("ns1/changed/tcp/p80");
    String goneBase = NftablesRuleset.hashAndTruncate("ns1/gone/tcp/p80");
    assertThat(script).doesNotContain(keptChain).doesNotContain("add table").doesNotContain("flush map");
    assertThat(script).contains(
        "delete element ip kubeactor service-ips { 10.96.0.41 . tcp . 80 }",
        "flush chain ip kubeactor " + changedChain,
        "add rule ip kubeactor " + changedChain + " numgen random mod 2 vmap",
        "add element ip kubeactor service-ips { 10.96.0.41 . tcp . 80 : goto " + changedChain + " }",
        "flush chain ip kubeactor service-" + goneBase,
        "delete set ip kubeactor affinity-" + NftablesRuleset.hashAndTruncate("ns1/gone/tcp/p80__10.244.0.7/8080"));
    assertThat(second.chains()).contains(keptChain, changedChain).doesNotContain("service-" + goneBase);
    assertThat(second.ports()).containsOnlyKeys(kept, changed);
    assertThat(NftablesRuleset.deleteChains(List.of("service-" + goneBase)))
        .isEqualTo("delete chain ip kubeactor service-" + goneBase + "\n");

    // the nodes of the host changed: everything is written again, the table kept
    var third = NftablesRuleset.render(new ProxyModel(next, List.of()), CIDR, second);
    assertThat(third.script()).contains("flush map ip kubeactor service-ips", keptChain).doesNotContain("delete table");
  }

  @Test
  void aFreshRulesetReplacesTheWholeTable() {
    String rules = NftablesRuleset.render(new ProxyModel(Map.of(), List.of()), CIDR, null).script();
    assertThat(rules).startsWith("add table ip kubeactor\ndelete table ip kubeactor\nadd table ip kubeactor");
  }
}
