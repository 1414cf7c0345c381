package io.kubeactor.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cluster-autoscaler scenario: a control plane whose node group "ca" (1 to 2 nodes) is served
 * by the local node provider, its first node an agent started by the test with the group's label,
 * a pod pinned to it that keeps it busy (60% requested), and a Deployment whose pod does not fit
 * beside it, so that the autoscaler adds an agent for it; when the Deployment goes, the added node
 * is unneeded and removed after a test-sized unneeded time. Shared by {@link ClusterAutoscalerIT},
 * which checks what happens, and the scale-up benchmark, which times it.
 */
public final class ClusterAutoscaling implements AutoCloseable {
  public static final String GROUP = "ca";
  public static final String ADDED = "ca-m02";

  public final ClusterWithNodes c;

  private ClusterAutoscaling(ClusterWithNodes c) {
    this.c = c;
  }

  /** The cluster, its first node Ready and the pod that keeps it busy Running. */
  public static ClusterAutoscaling start(Duration unneededTime) throws Exception {
    Path target = Path.of("..", "kubelet-agent", "target").toAbsolutePath().normalize();
    ClusterWithNodes c = ClusterWithNodes.start("ca", Map.of(
        "kubeactor.cluster-autoscaler.nodes", "1:2:" + GROUP,
        "kubeactor.cluster-autoscaler.scan-interval", "2s",
        "kubeactor.cluster-autoscaler.scale-down-unneeded-time", unneededTime.toMillis() + "ms",
        "kubeactor.cluster-autoscaler.scale-down-delay-after-add", unneededTime.toMillis() + "ms",
        "kubeactor.cluster-autoscaler.local-node-provider.classpath",
        target.resolve("kubelet-agent.jar") + java.io.File.pathSeparator + target.resolve("lib") + "/*",
        "kubeactor.cluster-autoscaler.local-node-provider.agent-flags", List.of("--cpu", "2", "--memory", "2Gi")), List.of());
    ClusterAutoscaling s = new ClusterAutoscaling(c);
    try {
      // the provider's nodes live beside the test's (ClusterWithNodes.dir/nodes)
      AgentProcess first = c.startAgent(GROUP, "--labels", "kubeactor.io/node-group=" + GROUP);
      c.agents.add(first);
      c.awaitReady(first);
      c.cluster.kubectlWithInput("""
          apiVersion: v1
          kind: Pod
          metadata: {name: base}
          spec:
            nodeSelector: {kubernetes.io/hostname: ca}
            terminationGracePeriodSeconds: 1
            containers: [{name: c, image: busybox, command: [sleep, "3600"], resources: {requests: {cpu: 1200m}}}]
          """, "apply", "-f", "-").outOrFail();
      c.awaitRunning("base");
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** A Deployment of {@code replicas} pods of 1200m each: none fits beside the busy pod. */
  public void deploy(int replicas) {
    c.cluster.kubectlWithInput("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: burst}
        spec:
          replicas: %d
          selector: {matchLabels: {app: burst}}
          template:
            metadata: {labels: {app: burst}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: c, image: busybox, command: [sleep, "3600"], resources: {requests: {cpu: 1200m}}}]
        """.formatted(replicas), "apply", "-f", "-").outOrFail();
  }

  /** Waits until the Deployment's one pod runs and returns its name. */
  public String awaitBurstRunning(Duration atMost) {
    c.awaitRunningPods("app=burst", 1, atMost);
    return c.runningPodNames("app=burst").get(0);
  }

  /** Waits until the added node is gone. */
  public void awaitAddedNodeGone(Duration atMost) {
    ClusterWithNodes.awaitTrue(atMost, () -> addedNode().isEmpty());
  }

  /** The added node, as kubectl shows it (empty when there is none). */
  public String addedNode() {
    return c.kubectl("get", "nodes", ADDED, "--ignore-not-found", "-o", "name").out().strip();
  }

  @Override
  public void close() throws Exception {
    try {
      c.close();
    } finally {
      // the agents the provider started outlive the control plane, as the launcher's do: stopped here
      String nodes = c.dir.resolve("nodes").toString();
      ProcessHandle.allProcesses().filter(h -> String.join(" ", h.info().arguments().orElse(new String[0]))
          .contains("--data-dir " + nodes + "/")).forEach(h -> {
            h.destroy();
            h.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(x -> null).join();
          });
      AgentProcess.removeContainers(ADDED);
    }
  }
}
