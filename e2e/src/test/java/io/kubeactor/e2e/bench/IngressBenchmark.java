package io.kubeactor.e2e.bench;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.kubeactor.e2e.ClusterWithNodes;
import io.kubeactor.e2e.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the ingress costs and how fast it follows a change, on one node agent on this machine's
 * Docker, measured from the host:
 * <ul>
 *   <li>requests/s and latency with wrk through the ingress (the node's port 80, the Ingress's host),
 *       beside the same nginx pod hit directly on its IP, in alternating rounds of the same run (the
 *       anchor); their ratio and the p99 added;
 *   <li>with 1,000 Ingresses in place: the time from a new Ingress being created (the API's answer)
 *       to the first request its host gets answered by its backend, and from an Ingress's backend
 *       being changed to the first answer from the new one.
 * </ul>
 * Usage: IngressBenchmark [SECONDS_PER_ROUND] [ROUNDS] [INGRESSES] [CHANGES]
 */
public final class IngressBenchmark {
  private IngressBenchmark() {}

  static final List<String> NODES = List.of("bench-ing");

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int ingresses = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int changes = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    try (ClusterWithNodes c = ClusterWithNodes.start("bench-ingress",
        Map.of("kubeactor.api.advertise-address", ClusterWithNodes.dockerBridgeAddress()), NODES)) {
      c.deployIngressController();
      String node = c.jsonpath("node/" + NODES.get(0), "{.status.addresses[?(@.type==\"InternalIP\")].address}");
      throughput(c, node, seconds, rounds);
      changeToTraffic(c, node, ingresses, changes);
    }
  }

  private static void throughput(ClusterWithNodes c, String node, int seconds, int rounds) throws Exception {
    c.ok("create", "deployment", "bench-nginx", "--image=nginx:1.16.1");
    c.ok("expose", "deployment", "bench-nginx", "--port=80");
    c.ok("create", "ingress", "bench-nginx", "--class=nginx", "--rule=bench.example/*=bench-nginx:80");
    c.awaitRunningPods("app=bench-nginx", 1, Duration.ofMinutes(3));
    String podIp = c.jsonpath("pods", "{.items[?(@.metadata.labels.app==\"bench-nginx\")].status.podIP}");
    awaitStatus(node, "bench.example", 200, Duration.ofMinutes(2));
    List<double[]> pod = new ArrayList<>();
    List<double[]> ingress = new ArrayList<>();
    WrkRounds.run("http://" + podIp + "/", null, 2); // warm-up
    WrkRounds.run("http://" + node + "/", "bench.example", 2);
    for (int i = 0; i < rounds; i++) {
      pod.add(WrkRounds.run("http://" + podIp + "/", null, seconds));
      ingress.add(WrkRounds.run("http://" + node + "/", "bench.example", seconds));
    }
    double podRate = WrkRounds.median(pod, 0);
    double ingressRate = WrkRounds.median(ingress, 0);
    System.out.println();
    System.out.printf("| wrk -t2 -c16, %d rounds of %d s each (medians) | requests/s | p50 | p99 |%n", rounds, seconds);
    System.out.println("|---|---|---|---|");
    System.out.printf("| nginx pod on its IP (anchor) | %.0f | %.2f ms | %.2f ms |%n", podRate, WrkRounds.median(pod, 1), WrkRounds.median(pod, 2));
    System.out.printf("| the same pod through the ingress (node port 80, Host bench.example) | %.0f | %.2f ms | %.2f ms |%n",
        ingressRate, WrkRounds.median(ingress, 1), WrkRounds.median(ingress, 2));
    System.out.printf("| ratio ingress / pod IP | %.2f | | p99 added: %.2f ms |%n", ingressRate / podRate,
        WrkRounds.median(ingress, 2) - WrkRounds.median(pod, 2));
  }

  private static void changeToTraffic(ClusterWithNodes c, String node, int count, int changes) throws Exception {
    c.ok("create", "deployment", "bench-whoami", "--image=kiamol/ch02-whoami");
    c.ok("expose", "deployment", "bench-whoami", "--port=80");
    c.awaitRunningPods("app=bench-whoami", 1, Duration.ofMinutes(3));
    var ingresses = c.fabric8().network().v1().ingresses().inNamespace("default");
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) ingresses.resource(ingress("many-" + i, "many-" + i + ".example", "bench-nginx")).create();
    awaitStatus(node, "many-" + (count - 1) + ".example", 200, Duration.ofMinutes(5));
    double filled = (System.nanoTime() - started) / 1e9;

    double[] created = new double[changes];
    double[] switched = new double[changes];
    for (int i = 0; i < changes; i++) {
      String host = "new-" + i + ".example";
      long t0 = System.nanoTime();
      ingresses.resource(ingress("new-" + i, host, "bench-whoami")).create();
      awaitBody(node, host, "\"I'm bench-whoami", Duration.ofMinutes(1));
      created[i] = (System.nanoTime() - t0) / 1e6;
      // the backend of one of the thousand, from nginx to whoami
      String changed = "many-" + i;
      long t1 = System.nanoTime();
      ingresses.resource(ingress(changed, changed + ".example", "bench-whoami")).update();
      awaitBody(node, changed + ".example", "\"I'm bench-whoami", Duration.ofMinutes(1));
      switched[i] = (System.nanoTime() - t1) / 1e6;
    }
    Arrays.sort(created);
    Arrays.sort(switched);
    System.out.println();
    System.out.printf("| with %,d Ingresses (all %,d served %.1f s after the first create) | p50 | max |%n", count, count, filled);
    System.out.println("|---|---|---|");
    System.out.printf("| a new Ingress created → its host answered by its backend (%d) | %.0f ms | %.0f ms |%n", changes,
        created[changes / 2], created[changes - 1]);
    System.out.printf("| an Ingress's backend changed → answers from the new backend (%d) | %.0f ms | %.0f ms |%n", changes,
        switched[changes / 2], switched[changes - 1]);
  }

  private static Ingress ingress(String name, String host, String service) {
    return new IngressBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withIngressClassName("nginx").addNewRule().withHost(host).withNewHttp().addNewPath()
        .withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName(service)
        .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
  }

  private static void awaitStatus(String node, String host, int status, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (Http.get(node, 80, host, "/", Map.of()).status() != status) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(host + " never answered " + status);
      Thread.sleep(5);
    }
  }

  private static void awaitBody(String node, String host, String prefix, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!Http.get(node, 80, host, "/", Map.of()).body().startsWith(prefix)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(host + " never answered " + prefix);
      Thread.sleep(5);
    }
  }



}
