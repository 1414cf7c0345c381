package io.kubeactor.e2e.bench;

import io.kubeactor.e2e.ClusterWithNodes;
import io.kubeactor.e2e.NodeFailure;

/**
 * Recovery time from a node's death: a ReplicaSet spread over three agents (each its own process,
 * running Docker containers), one agent killed with kill -9, and the time until every ReplicaSet pod
 * runs on the other nodes. With the toleration at 30 s (Kubernetes' default is 300 s, plus the 40 s
 * before a node is marked unknown). Usage: NodeFailureBenchmark [TOLERATION_SECONDS] [REPLICAS]
 */
public final class NodeFailureBenchmark {
  private NodeFailureBenchmark() {}

  public static void main(String[] args) throws Exception {
    long toleration = args.length > 0 ? Long.parseLong(args[0]) : 30;
    int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    try (ClusterWithNodes c = ClusterWithNodes.start("bench-failure", NodeFailure.settings(toleration), NodeFailure.NODES)) {
      NodeFailure chaos = new NodeFailure(c);
      chaos.deploy(replicas);
      String victim = chaos.chooseVictim();
      int moved = chaos.rsPodsOn(victim).size();
      long t0 = System.nanoTime();
      chaos.killVictim();
      long notReady = 0;
      while (!chaos.replicaSetRunsElsewhere(replicas)) {
        if (notReady == 0 && chaos.victimNotReady()) notReady = System.nanoTime();
        Thread.sleep(200);
        if (System.nanoTime() - t0 > 600e9) throw new IllegalStateException("pods did not move within 10 minutes");
      }
      long t1 = System.nanoTime();
      System.out.println();
      System.out.println("| measure (" + replicas + " replicas, 3 agents, toleration " + toleration + " s) | value |");
      System.out.println("|---|---|");
      System.out.printf("| kill -9 → Node NotReady | %.1f s |%n", (notReady - t0) / 1e9);
      System.out.printf("| kill -9 → all %d ReplicaSet pods Running elsewhere (%d moved) | %.1f s |%n", replicas, moved, (t1 - t0) / 1e9);
    }
  }
}
