package io.kubeactor.e2e.bench;

import io.kubeactor.agent.network.Commands;
import io.kubeactor.agent.proxy.NftablesRuleset;
import io.kubeactor.agent.proxy.ProxyModel;
import io.kubeactor.agent.proxy.ServiceEndpoint;
import io.kubeactor.agent.proxy.ServicePort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the service proxy takes to write its rules for SERVICES Services of ENDPOINTS endpoints
 * each (1,000 x 10 by default): the whole ruleset rendered and applied with the real nft, in a
 * network namespace of the benchmark's own (the host's rules are never touched). First the fresh
 * table (a proxy starting or taking over), then SYNCS syncs that each follow one endpoint change
 * (each sync writes what changed: the changed Service's elements and chains).
 */
public final class ProxySyncBenchmark {
  private ProxySyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int syncs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    String ns = "kubeactor-bench-" + ProcessHandle.current().pid();
    Commands.run(List.of("ip", "netns", "add", ns), null);
    try {
      Map<ServicePort, List<ServiceEndpoint>> model = new LinkedHashMap<>();
      for (int s = 0; s < services; s++) {
        ServicePort port = new ServicePort("bench", "svc-" + s, "http", "tcp", "10.96." + (s / 250 + 10) + "." + (s % 250 + 1), 80,
            s % 4 == 0 ? 30000 + s : 0, List.of(), List.of(), 0, false, false);
        List<ServiceEndpoint> eps = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) {
          int n = s * endpoints + e;
          eps.add(new ServiceEndpoint("10.244." + (n / 250) % 256 + "." + (n % 250 + 2), 8080, "node-" + (n % 3), true, true, false));
        }
        model.put(port, eps);
      }
      List<ProxyModel.HostedNode> nodes = List.of(new ProxyModel.HostedNode("node-0", "10.244.0.1", "10.244.0.0/24"));

      long start = System.nanoTime();
      var tx = NftablesRuleset.render(new ProxyModel(model, nodes), "10.244.0.0/16", null);
      long rendered = System.nanoTime();
      apply(ns, tx.script());
      long applied = System.nanoTime();
      System.out.printf("ruleset for %d services x %d endpoints: %d chains, %d lines%n", services, endpoints, tx.chains().size(),
          tx.script().lines().count());
      System.out.printf("fresh sync: %.0f ms (render %.0f ms, nft %.0f ms)%n", (applied - start) / 1e6, (rendered - start) / 1e6,
          (applied - rendered) / 1e6);

      double[] times = new double[syncs];
      var previous = tx;
      for (int i = 0; i < syncs; i++) {
        // one endpoint of one Service changes, as when a pod becomes ready
        ServicePort changed = new ArrayList<>(model.keySet()).get(i % services);
        List<ServiceEndpoint> eps = new ArrayList<>(model.get(changed));
        ServiceEndpoint first = eps.remove(0);
        eps.add(new ServiceEndpoint(first.ip(), first.port() + 1, first.nodeName(), true, true, false));
        model.put(changed, eps);
        long t0 = System.nanoTime();
        var next = NftablesRuleset.render(new ProxyModel(model, nodes), "10.244.0.0/16", previous);
        apply(ns, next.script());
        times[i] = (System.nanoTime() - t0) / 1e6;
        List<String> stale = new ArrayList<>(previous.chains());
        stale.removeAll(next.chains());
        if (!stale.isEmpty()) apply(ns, NftablesRuleset.deleteChains(stale));
        previous = next;
      }
      Arrays.sort(times);
      System.out.printf("sync after one endpoint change (%d syncs): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", syncs,
          times[syncs / 2], times[Math.min(syncs - 1, (int) Math.ceil(syncs * 0.99) - 1)], times[syncs - 1]);
    } finally {
      Commands.run(List.of("ip", "netns", "delete", ns), null);
    }
  }

  private static void apply(String ns, String script) throws Commands.Failed {
    Commands.run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), script);
  }
}
