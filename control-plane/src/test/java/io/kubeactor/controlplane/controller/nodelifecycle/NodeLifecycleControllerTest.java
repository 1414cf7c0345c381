package io.kubeactor.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubeactor.controlplane.controller.Controller;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nodes that stop reporting, come back, get cordoned; what their taints and pods show. */
class NodeLifecycleControllerTest {

  private Cluster cluster;
  private ActorRef<Controller.Command> controller;

  @BeforeEach
  void start() {
    cluster = new Cluster();
    cluster.node("a", "z1");
    cluster.node("b", "z1");
    cluster.runningPod("web", "a", "");
    NodeLifecycleController lifecycle = new NodeLifecycleController(cluster.fixture.context);
    controller = cluster.fixture.start(lifecycle);
    // the grace periods run from when the controller first sees the nodes
    await().until(() -> lifecycle.observed("a") && lifecycle.observed("b"));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Time passes; node b keeps reporting, node a does not. */
  private void aStopsReporting() {
    cluster.advance(Duration.ofSeconds(41));
    cluster.heartbeat("b");
    controller.tell(new Controller.Enqueue("a"));
  }

  @Test
  void aNodeThatStopsReportingGoesUnknownIsTaintedAndItsPodsAreNotReady() {
    // within the grace period nothing happens
    cluster.advance(Duration.ofSeconds(30));
    cluster.fixture.awaitReconciled(controller, "a");
    assertThat(cluster.ready("a")).isEqualTo("True");
    assertThat(NodeTaints.taints(cluster.node("a"))).isEmpty();

    aStopsReporting();
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isPresent());
    for (String type : new String[] {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
      NodeCondition c = NodeConditions.get(cluster.node("a"), type);
      assertThat(c.getStatus()).isEqualTo("Unknown");
      assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
      assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-03-01T10:01:11Z");
      assertThat(c.getLastHeartbeatTime()).isEqualTo("2025-03-01T10:00:00Z");
    }
    Taint noExecute = cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").orElseThrow();
    assertThat(noExecute.getTimeAdded()).isEqualTo("2025-03-01T10:01:11Z");
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoSchedule").isPresent());
    await().until(() -> "False".equals(Cluster.podReady(cluster.pod("web"))));
    await().until(() -> !cluster.events("a", "NodeNotReady").isEmpty());
    assertThat(cluster.events("a", "NodeNotReady").get(0).getMessage()).isEqualTo("Node a status is now: NodeNotReady");
    await().until(() -> !cluster.events("web", "NodeNotReady").isEmpty());
    assertThat(cluster.events("web", "NodeNotReady").get(0).getMessage()).isEqualTo("Node is not ready");
    assertThat(cluster.events("web", "NodeNotReady").get(0).getType()).isEqualTo("Warning");
    // node b is fine
    cluster.fixture.awaitReconciled(controller, "b");
    assertThat(cluster.ready("b")).isEqualTo("True");
    assertThat(NodeTaints.taints(cluster.node("b"))).isEmpty();
  }

  @Test
  void aNodeThatReportsAgainIsReadyAndUntainted() {
    aStopsReporting();
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isPresent());
    cluster.heartbeat("a");
    await().until(() -> NodeTaints.taints(cluster.node("a")).isEmpty());
    assertThat(cluster.ready("a")).isEqualTo("True");
  }

  @Test
  void aNotReadyNodeIsTaintedNotReadyAndSwappedToUnreachableWhenItStopsReporting() {
    cluster.notReady("a");
    await().until(() -> cluster.taint("a", NodeTaints.NOT_READY, "NoExecute").isPresent()
        && cluster.taint("a", NodeTaints.NOT_READY, "NoSchedule").isPresent());
    await().until(() -> "False".equals(Cluster.podReady(cluster.pod("web"))));
    aStopsReporting();
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isPresent()
        && cluster.taint("a", NodeTaints.NOT_READY, "NoExecute").isEmpty()
        && cluster.taint("a", NodeTaints.UNREACHABLE, "NoSchedule").isPresent()
        && cluster.taint("a", NodeTaints.NOT_READY, "NoSchedule").isEmpty());
  }

  @Test
  void whenEveryNodeIsDownNothingIsTaintedNoExecute() {
    cluster.advance(Duration.ofSeconds(41));
    controller.tell(new Controller.Enqueue("a"));
    controller.tell(new Controller.Enqueue("b"));
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoSchedule").isPresent()
        && cluster.taint("b", NodeTaints.UNREACHABLE, "NoSchedule").isPresent());
    cluster.fixture.awaitReconciled(controller, "a", "b");
    assertThat(cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute")).isEmpty();
    assertThat(cluster.taint("b", NodeTaints.UNREACHABLE, "NoExecute")).isEmpty();
    // one node back: the problem is the other node's again
    cluster.heartbeat("b");
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isPresent());
    cluster.fixture.awaitReconciled(controller, "b");
    assertThat(NodeTaints.taints(cluster.node("b"))).isEmpty();
  }

  @Test
  void cordonAndUncordonSetAndRemoveTheUnschedulableTaint() {
    cluster.fixture.change("v1", "Node", null, "a", n -> {
      n.withObjectProperty("spec").put("unschedulable", true);
      return n;
    });
    await().until(() -> cluster.taint("a", NodeTaints.UNSCHEDULABLE, "NoSchedule").isPresent());
    assertThat(cluster.taint("a", NodeTaints.UNSCHEDULABLE, "NoSchedule").get().getTimeAdded()).isNotNull();
    cluster.fixture.change("v1", "Node", null, "a", n -> {
      n.withObjectProperty("spec").remove("unschedulable");
      return n;
    });
    await().until(() -> cluster.taint("a", NodeTaints.UNSCHEDULABLE, "NoSchedule").isEmpty());
  }

  @Test
  void aTaintSomeoneElseSetIsLeftAlone() {
    cluster.fixture.change("v1", "Node", null, "a", n -> {
      n.withObjectProperty("spec").putArray("taints").addObject().put("key", "dedicated").put("value", "gpu")
          .put("effect", "NoSchedule");
      return n;
    });
    aStopsReporting();
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isPresent());
    cluster.heartbeat("a");
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isEmpty());
    assertThat(cluster.taint("a", "dedicated", "NoSchedule")).isPresent();
  }
}
