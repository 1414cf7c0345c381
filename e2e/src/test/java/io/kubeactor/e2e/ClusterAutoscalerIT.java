package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster autoscaler with the local node provider, end to end: a pod that fits on no node
 * makes the autoscaler start a new agent process, the pod runs on it, a pod past the group's
 * maximum is told why no node comes for it, the status ConfigMap reads as upstream's, and once the
 * pods are gone the added node is drained away after the (test-sized) unneeded time, its agent
 * stopped, while the busy first node stays.
 */
class ClusterAutoscalerIT {
  static ClusterAutoscaling s;
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    s = ClusterAutoscaling.start(Duration.ofSeconds(10));
    c = s.c;
  }

  @AfterAll
  static void stop() throws Exception {
    if (s != null) s.close();
  }

  @Test
  void aNodeIsAddedForPodsThatDoNotFitAndRemovedWhenTheyGo() {
    s.deploy(1);
    c.awaitRunningPods("app=burst", 1, Duration.ofSeconds(90));
    String pod = c.runningPodNames("app=burst").get(0);
    assertThat(c.jsonpath("pod/" + pod, "{.spec.nodeName}")).isEqualTo(ClusterAutoscaling.ADDED);
    assertThat(c.jsonpath("node/" + ClusterAutoscaling.ADDED, "{.metadata.labels.kubeactor\\.io/node-group}"))
        .isEqualTo(ClusterAutoscaling.GROUP);
    assertThat(c.ok("get", "events", "--field-selector", "involvedObject.name=" + pod + ",reason=TriggeredScaleUp",
        "-o", "jsonpath={.items[*].message}")).isEqualTo("pod triggered scale-up: [{ca 1->2 (max: 2)}]");
    assertThat(c.ok("-n", "kube-system", "get", "configmap", "cluster-autoscaler-status", "-o", "jsonpath={.data.status}"))
        .contains("autoscalerStatus: Running", "  name: ca\n", "maxSize: 2", "minSize: 1");
    // it acts as its own ServiceAccount, as upstream's manifest makes it
    assertThat(c.ok("-n", "kube-system", "get", "serviceaccount", "cluster-autoscaler", "-o", "name").strip())
        .isEqualTo("serviceaccount/cluster-autoscaler");

    // the group is at its maximum: a third pod of 1200m fits nowhere and no node comes for it
    c.ok("scale", "deployment", "burst", "--replicas=2");
    ClusterWithNodes.awaitTrue(Duration.ofSeconds(60), () -> c.ok("get", "events", "--field-selector", "reason=NotTriggerScaleUp",
        "-o", "jsonpath={.items[*].message}").contains("pod didn't trigger scale-up: 1 max node group size reached"));

    // the pods go: the added node is unneeded, drained and removed; the busy first node stays
    c.ok("delete", "deployment", "burst");
    ClusterWithNodes.awaitTrue(Duration.ofSeconds(90), () -> s.addedNode().isEmpty());
    assertThat(c.ok("get", "events", "--field-selector", "involvedObject.name=" + ClusterAutoscaling.ADDED + ",reason=ScaleDown",
        "-o", "jsonpath={.items[*].message}")).contains("marked the node as toBeDeleted/unschedulable",
        "node removed by cluster autoscaler");
    assertThat(c.ok("get", "nodes", "-o", "name").strip()).isEqualTo("node/" + ClusterAutoscaling.GROUP);
    ClusterWithNodes.awaitTrue(Duration.ofSeconds(30), () -> ProcessHandle.allProcesses().noneMatch(h ->
        String.join(" ", h.info().arguments().orElse(new String[0])).contains("--name " + ClusterAutoscaling.ADDED + " ")));
  }
}
