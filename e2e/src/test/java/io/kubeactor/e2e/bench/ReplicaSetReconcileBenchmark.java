package io.kubeactor.e2e.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.e2e.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reconcile throughput: one ReplicaSet of N replicas (1,000 by default) over simulated "hollow"
 * nodes, as kubemark's hollow kubelets: Node objects this benchmark creates and keeps Ready with
 * heartbeats, with no agent and no containers behind them (a simulated mode, never the default).
 * Measures from the ReplicaSet's create request to all its pods created, and to all bound by the
 * scheduler, seen through a watch. Usage: ReplicaSetReconcileBenchmark [REPLICAS] [NODES]
 */
public final class ReplicaSetReconcileBenchmark {
  private ReplicaSetReconcileBenchmark() {}

  public static void main(String[] args) throws Exception {
    int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path dir = Files.createTempDirectory("kubeactor-bench-rs");
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    try (TestCluster cluster = TestCluster.start(dir, Map.of()); KubernetesClient client = cluster.fabric8()) {
      for (int i = 0; i < nodes; i++) client.nodes().resource(hollowNode("hollow-" + i)).create();
      heartbeats.scheduleWithFixedDelay(() -> {
        for (int i = 0; i < nodes; i++) {
          client.nodes().withName("hollow-" + i).editStatus(n -> {
            n.getStatus().getConditions().forEach(c -> c.setLastHeartbeatTime(Timestamps.format(Instant.now())));
            return n;
          });
        }
      }, 10, 10, TimeUnit.SECONDS);

      Set<String> created = ConcurrentHashMap.newKeySet();
      Set<String> bound = ConcurrentHashMap.newKeySet();
      CountDownLatch allCreated = new CountDownLatch(replicas);
      CountDownLatch allBound = new CountDownLatch(replicas);
      long[] createdAt = new long[1];
      try (var watch = client.pods().inNamespace("default").watch(new Watcher<Pod>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          String name = pod.getMetadata().getName();
          if (created.add(name)) {
            allCreated.countDown();
            if (allCreated.getCount() == 0) createdAt[0] = System.nanoTime();
          }
          if (pod.getSpec().getNodeName() != null && bound.add(name)) allBound.countDown();
        }

        @Override
        public void onClose(WatcherException cause) {}
      })) {
        long t0 = System.nanoTime();
        client.apps().replicaSets().inNamespace("default").resource(new ReplicaSetBuilder()
            .withNewMetadata().withName("bench").endMetadata()
            .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "bench").endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", "bench").endMetadata()
            .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
            .endTemplate().endSpec().build()).create();
        if (!allBound.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException((replicas - bound.size()) + " pods were not bound within 10 minutes");
        }
        long t1 = System.nanoTime();
        System.out.println();
        System.out.println("| measure (ReplicaSet of " + replicas + ", " + nodes + " hollow nodes) | value |");
        System.out.println("|---|---|");
        System.out.printf("| create request → all %d pods created | %.2f s |%n", replicas, (createdAt[0] - t0) / 1e9);
        System.out.printf("| create request → all %d pods bound | %.2f s |%n", replicas, (t1 - t0) / 1e9);
        System.out.printf("| pods bound per second | %.0f |%n", replicas / ((t1 - t0) / 1e9));
      }
    } finally {
      heartbeats.shutdownNow();
    }
  }

  private static Node hollowNode(String name) {
    String now = Timestamps.format(Instant.now());
    Map<String, Quantity> capacity = Map.of("cpu", new Quantity("32"), "memory", new Quantity("64Gi"), "pods", new Quantity("110"));
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
        .addToLabels("kubeactor.io/hollow", "true").endMetadata()
        .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("hollow node (simulated, no agent)").withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .endStatus().build();
  }
}
