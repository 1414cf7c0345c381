package io.kubeactor.controlplane.controller.podgc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.nodelifecycle.Cluster;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pods of deleted nodes, of out-of-service nodes, and finished pods beyond the threshold are force-deleted. */
class PodGcControllerTest {

  private Cluster cluster;
  private ActorRef<Controller.Command> controller;
  private PodGcController gc;

  @BeforeEach
  void start() {
    cluster = new Cluster();
    cluster.node("a", "z1");
    cluster.node("b", "z1");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void startGc(int threshold) {
    gc = new PodGcController(cluster.fixture.context, threshold);
    controller = cluster.fixture.start(gc);
  }

  private void pass() {
    controller.tell(new Controller.Enqueue(PodGcController.KEY));
  }

  @Test
  void thePodsOfADeletedNodeAreForceDeletedAfterTheQuarantine() {
    cluster.runningPod("on-a", "a", "");
    cluster.runningPod("on-b", "b", "");
    startGc(0);
    cluster.fixture.delete("v1", "Node", null, "a", null);
    await().until(() -> cluster.node("a") == null);
    cluster.fixture.awaitReconciled(controller, PodGcController.KEY);
    assertThat(gc.quarantined("a")).isTrue();
    assertThat(cluster.pod("on-a")).isNotNull();

    cluster.advance(Duration.ofSeconds(41));
    pass();
    await().until(() -> cluster.pod("on-a") == null);
    cluster.fixture.awaitReconciled(controller, PodGcController.KEY);
    assertThat(cluster.pod("on-b")).isNotNull();
  }

  @Test
  void terminatingPodsOfANotReadyOutOfServiceNodeAreForceDeleted() {
    cluster.runningPod("stuck", "a", "");
    cluster.runningPod("fine", "b", "");
    startGc(0);
    cluster.fixture.delete("v1", "Pod", "default", "stuck", null);
    cluster.fixture.delete("v1", "Pod", "default", "fine", null);
    await().until(() -> cluster.pod("stuck").getMetadata().getDeletionTimestamp() != null);
    cluster.notReady("a");
    cluster.fixture.change("v1", "Node", null, "a", n -> {
      n.withObjectProperty("spec").putArray("taints").addObject().put("key", "node.kubernetes.io/out-of-service")
          .put("value", "nodeshutdown").put("effect", "NoExecute");
      return n;
    });
    await().until(() -> cluster.pod("stuck") == null);
    cluster.fixture.awaitReconciled(controller, PodGcController.KEY);
    // a terminating pod of a Ready node is its kubelet's to finish
    assertThat(cluster.pod("fine")).isNotNull();
  }

  @Test
  void finishedPodsBeyondTheThresholdGoOldestFirst() {
    for (String name : new String[] {"old", "mid", "new"}) {
      cluster.runningPod(name, "a", "");
      cluster.fixture.changeStatus("v1", "Pod", "default", name, p -> {
        p.withObjectProperty("status").put("phase", "Succeeded");
        return p;
      });
      cluster.advance(Duration.ofSeconds(5));
    }
    cluster.runningPod("running", "a", "");
    startGc(2);
    await().until(() -> cluster.pod("old") == null);
    cluster.fixture.awaitReconciled(controller, PodGcController.KEY);
    assertThat(cluster.pod("mid")).isNotNull();
    assertThat(cluster.pod("new")).isNotNull();
    assertThat(cluster.pod("running")).isNotNull();
  }
}
