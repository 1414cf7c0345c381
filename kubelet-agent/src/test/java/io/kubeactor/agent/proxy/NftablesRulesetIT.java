package io.kubeactor.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.agent.network.Commands;
import io.kubeactor.agent.proxy.ProxyModel.HostedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel takes the proxy's transactions: rendered rulesets applied with the real nft in a
 * network namespace of the test's own (so the host's rules are never touched), one after another as
 * the proxy syncs, with stale chains flushed then deleted.
 */
class NftablesRulesetIT {

  private final String namespace = "kubeactor-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void createNamespace() throws Exception {
    Commands.run(List.of("ip", "netns", "add", namespace), null);
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    Commands.run(List.of("ip", "netns", "delete", namespace), null);
  }

  private String nft(String script) throws Commands.Failed {
    return Commands.run(List.of("ip", "netns", "exec", namespace, "nft", "-f", "-"), script);
  }

  private String table() throws Commands.Failed {
    return Commands.run(List.of("ip", "netns", "exec", namespace, "nft", "list", "table", "ip", NftablesRuleset.TABLE), null);
  }

  private static ServiceEndpoint ep(String ip, String node) {
    return new ServiceEndpoint(ip, 8080, node, true, true, false);
  }

  @Test
  void everyKindOfServiceIsAcceptedAndALaterSyncReplacesIt() throws Exception {
    HostedNode a = new HostedNode("a", "10.244.0.1", "10.244.0.0/24");
    HostedNode b = new HostedNode("b", "10.244.1.1", "10.244.1.0/24");
    Map<ServicePort, List<ServiceEndpoint>> services = new LinkedHashMap<>();
    services.put(new ServicePort("d", "cluster", "", "tcp", "10.96.0.20", 80, 0, List.of(), List.of(), 0, false, false),
        List.of(ep("10.244.0.5", "a"), ep("10.244.1.5", "b")));
    services.put(new ServicePort("d", "node", "http", "tcp", "10.96.0.21", 80, 30080, List.of(), List.of(), 0, false, false),
        List.of(ep("10.244.0.6", "a")));
    services.put(new ServicePort("d", "lb", "http", "tcp", "10.96.0.22", 80, 30081, List.of("192.0.2.10"),
        List.of("10.244.0.1", "10.244.1.1"), 10800, true, false), List.of(ep("10.244.0.7", "a")));
    services.put(new ServicePort("d", "dns", "dns", "udp", "10.96.0.10", 53, 0, List.of(), List.of(), 0, false, true),
        List.of(ep("10.244.1.8", "b")));
    services.put(new ServicePort("d", "empty", "", "tcp", "10.96.0.23", 80, 30082, List.of(), List.of(), 0, false, false),
        List.of());
    ProxyModel model = new ProxyModel(services, List.of(a, b));

    var first = NftablesRuleset.render(model, "10.244.0.0/16", null);
    nft(first.script());
    String listed = table();
    assertThat(listed).contains("10.96.0.20 . tcp . 80 : goto service-", "tcp . 30080 : goto external-",
        "10.96.0.23 . tcp . 80 : goto reject-chain", "numgen random mod 2 vmap", "dnat to 10.244.0.5:8080",
        "flags dynamic,timeout", "masquerade fully-random");

    // the next sync: one service gone; its chains are flushed now and deleted a moment later
    Map<ServicePort, List<ServiceEndpoint>> fewer = new LinkedHashMap<>(services);
    fewer.keySet().removeIf(p -> p.name().equals("lb"));
    var second = NftablesRuleset.render(new ProxyModel(fewer, List.of(a, b)), "10.244.0.0/16", first);
    nft(second.script());
    List<String> stale = new ArrayList<>(first.chains());
    stale.removeAll(second.chains());
    assertThat(stale).isNotEmpty();
    nft(NftablesRuleset.deleteChains(stale));
    String after = table();
    assertThat(after).doesNotContain("d/lb/", "10.96.0.22", "affinity-").contains("10.96.0.20 . tcp . 80");

    nft(NftablesRuleset.deleteTable());
    assertThat(Commands.run(List.of("ip", "netns", "exec", namespace, "nft", "list", "tables"), null)).doesNotContain("kubeactor");
  }
}
