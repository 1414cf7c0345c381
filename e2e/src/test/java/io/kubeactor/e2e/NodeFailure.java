package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chaos scenario of note 000's promise ("a ReplicaSet keeps its replicas"): a ReplicaSet of
 * several pods and a StatefulSet spread over three agents, then one agent killed with kill -9 (its
 * containers keep running, as on a cut-off machine). Shared by {@link ChaosIT}, which checks what
 * happens, and the node-failure benchmark, which times it.
 */
public final class NodeFailure {
  public static final List<String> NODES = List.of("chaos-node", "chaos-node-m02", "chaos-node-m03");
  static final String RS_SELECTOR = "app=chaos-web";
  static final String STS_SELECTOR = "app=chaos-db";
  static final Duration MINUTES = Duration.ofMinutes(3);

  final ClusterWithNodes c;
  String victim;

  public NodeFailure(ClusterWithNodes c) {
    this.c = c;
  }

  /** Settings of a control plane that evicts pods from an unreachable node after the toleration. */
  public static Map<String, Object> settings(long tolerationSeconds) {
    return Map.of("kubeactor.controllers.default-toleration-seconds", tolerationSeconds);
  }

  /** Starts the ReplicaSet and the StatefulSet and waits for all their pods to run. */
  public void deploy(int rsReplicas) {
    c.cluster.kubectlWithInput("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: chaos-web}
        spec:
          replicas: %d
          selector: {matchLabels: {app: chaos-web}}
          template:
            metadata: {labels: {app: chaos-web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: web, image: busybox, command: [sleep, "3600"]}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: chaos-db}
        spec:
          replicas: 3
          serviceName: chaos-db
          podManagementPolicy: Parallel
          selector: {matchLabels: {app: chaos-db}}
          template:
            metadata: {labels: {app: chaos-db}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: db, image: busybox, command: [sleep, "3600"]}]
        """.formatted(rsReplicas), "apply", "-f", "-").outOrFail();
    c.awaitRunningPods(RS_SELECTOR, rsReplicas, MINUTES);
    c.awaitRunningPods(STS_SELECTOR, 3, MINUTES);
  }

  /** The node with the most ReplicaSet pods among those running a StatefulSet pod. */
  public String chooseVictim() {
    Map<String, Long> rsPerNode = c.pods(RS_SELECTOR).stream().map(p -> p.split(" ")[2])
        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    victim = c.pods(STS_SELECTOR).stream().map(p -> p.split(" ")[2]).distinct()
        .max(Comparator.comparingLong(n -> rsPerNode.getOrDefault(n, 0L))).orElseThrow();
    return victim;
  }

  /** The ReplicaSet pods on a node. */
  public List<String> rsPodsOn(String node) {
    return c.pods(RS_SELECTOR).stream().filter(p -> p.split(" ")[2].equals(node)).map(p -> p.split(" ")[0]).toList();
  }

  /** The StatefulSet pod on a node (there is one per node when the scheduler spreads them). */
  public String stsPodOn(String node) {
    return c.pods(STS_SELECTOR).stream().filter(p -> p.split(" ")[2].equals(node)).map(p -> p.split(" ")[0])
        .findFirst().orElseThrow();
  }

  /** kill -9 of the victim's agent. */
  public void killVictim() throws InterruptedException {
    AgentProcess a = c.agent(victim);
    a.kill9();
    c.agents.remove(a);
  }

  /** Whether every ReplicaSet pod runs, none on the victim. */
  public boolean replicaSetRunsElsewhere(int replicas) {
    List<String> running = c.pods(RS_SELECTOR).stream().map(p -> p.split(" "))
        .filter(f -> f.length == 3 && f[1].equals("Running") && !f[2].equals(victim)).map(f -> f[0]).toList();
    return running.size() == replicas;
  }

  /** The running application containers (not sandboxes) of a pod, on every node of the engine. */
  public static int runningContainers(String pod) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("docker", "ps", "-q", "--filter", "label=io.kubernetes.pod.name=" + pod,
        "--filter", "label=io.kubernetes.docker.type=container").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out.isEmpty() ? 0 : out.split("\n").length;
  }

  /** The pod names of the containers Docker runs for a node. */
  public static List<String> podsWithContainersOn(String node) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("docker", "ps", "--filter", "label=io.kubeactor.node=" + node,
        "--filter", "label=io.kubernetes.docker.type=container", "--format", "{{.Label \"io.kubernetes.pod.name\"}}")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  /** Restarts the victim's agent with its own data directory, as after a reboot. */
  public AgentProcess restartVictim() throws Exception {
    AgentProcess again = c.startAgent(victim);
    c.agents.add(again);
    c.awaitReady(again);
    return again;
  }

  /** Whether the victim's Ready condition is no longer True. */
  public boolean victimNotReady() {
    return List.of("Unknown", "False").contains(c.jsonpath("node/" + victim, "{.status.conditions[?(@.type==\"Ready\")].status}"));
  }

  static void assertThatNodeIsNotReady(ClusterWithNodes c, String node) {
    assertThat(c.jsonpath("node/" + node, "{.status.conditions[?(@.type==\"Ready\")].status}")).isIn("Unknown", "False");
  }
}
