package io.kubeactor.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerSettings;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pods on NoExecute-tainted nodes: evicted now, after their tolerationSeconds, or never. */
class TaintEvictionControllerTest {

  private Cluster cluster;
  private ActorRef<Controller.Command> controller;
  private TaintEvictionController eviction;

  @BeforeEach
  void start() {
    cluster = new Cluster(new ControllerSettings(60, Duration.ofSeconds(40)));
    cluster.node("a", "z1");
    cluster.node("b", "z1");
    eviction = new TaintEvictionController(cluster.fixture.context);
    controller = cluster.fixture.start(eviction);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void taint(String node, String key, String effect, Instant added) {
    cluster.fixture.change("v1", "Node", null, node, n -> {
      var t = n.withObjectProperty("spec").withArrayProperty("taints").addObject().put("key", key).put("effect", effect);
      if (added != null) t.put("timeAdded", Timestamps.format(added));
      return n;
    });
  }

  private boolean terminating(String pod) {
    Pod p = cluster.pod(pod);
    return p != null && p.getMetadata().getDeletionTimestamp() != null;
  }

  @Test
  void newPodsGetTheClustersDefaultTolerations() {
    cluster.runningPod("p0", "a", "");
    assertThat(cluster.pod("p0").getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getOperator,
        Toleration::getEffect, Toleration::getTolerationSeconds).containsExactly(
        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/not-ready", "Exists", "NoExecute", 60L),
        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "Exists", "NoExecute", 60L));
  }

  @Test
  void aPodThatDoesNotTolerateTheTaintIsDeletedAtOnce() {
    cluster.runningPod("p1", "a", "");
    cluster.runningPod("other", "b", "");
    taint("a", "dedicated", "NoExecute", cluster.clock.instant());
    await().until(() -> terminating("p1"));
    assertThat(cluster.events("p1", "TaintManagerEviction")).extracting(e -> e.getMessage())
        .containsExactly("Marking for deletion Pod default/p1");
    PodCondition target = Pods.condition(cluster.pod("p1"), "DisruptionTarget");
    assertThat(target.getStatus()).isEqualTo("True");
    assertThat(target.getReason()).isEqualTo("DeletionByTaintManager");
    assertThat(target.getMessage()).isEqualTo("Taint manager: deleting due to NoExecute taint");
    // graceful: the pod stays Terminating until its kubelet is done with it
    assertThat(cluster.pod("p1").getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    assertThat(terminating("other")).isFalse();
  }

  @Test
  void aPodToleratingForAWhileIsDeletedWhenTheTolerationRunsOutFromTheTaintsTimeAdded() {
    cluster.runningPod("p2", "a", "");
    Instant tainted = cluster.clock.instant();
    cluster.advance(Duration.ofSeconds(20));
    taint("a", NodeTaints.UNREACHABLE, "NoExecute", tainted);
    cluster.advance(Duration.ofSeconds(39));
    cluster.fixture.awaitReconciled(controller, "default/p2");
    assertThat(terminating("p2")).isFalse();
    assertThat(eviction.scheduled("default/p2")).isTrue();
    cluster.advance(Duration.ofSeconds(2));
    controller.tell(new Controller.Enqueue("default/p2"));
    await().until(() -> terminating("p2"));
  }

  @Test
  void aPodToleratingForeverStaysAndAScheduledEvictionIsCancelledWhenTheTaintGoes() {
    cluster.runningPod("forever", "a", "tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]");
    cluster.runningPod("p3", "a", "");
    taint("a", NodeTaints.UNREACHABLE, "NoExecute", cluster.clock.instant());
    await().until(() -> eviction.scheduled("default/p3"));
    assertThat(eviction.scheduled("default/forever")).isFalse();
    cluster.fixture.change("v1", "Node", null, "a", n -> {
      n.withObjectProperty("spec").remove("taints");
      return n;
    });
    await().until(() -> !cluster.events("p3", "TaintManagerEviction").isEmpty());
    assertThat(cluster.events("p3", "TaintManagerEviction")).extracting(e -> e.getMessage())
        .containsExactly("Cancelling deletion of Pod default/p3");
    cluster.advance(Duration.ofSeconds(120));
    taint("a", NodeTaints.UNREACHABLE, "NoExecute", cluster.clock.instant().minusSeconds(100));
    await().until(() -> terminating("p3"));
    assertThat(terminating("forever")).isFalse();
    assertThat(cluster.events("forever", "TaintManagerEviction")).isEmpty();
  }

  @Test
  void eachTolerationCountsFromItsOwnTaint() {
    cluster.runningPod("gpu", "a", "tolerations: [{key: dedicated, operator: Exists, effect: NoExecute}]");
    taint("a", "dedicated", "NoExecute", cluster.clock.instant().minusSeconds(3600));
    taint("a", NodeTaints.UNREACHABLE, "NoExecute", cluster.clock.instant());
    await().until(() -> eviction.scheduled("default/gpu"));
    assertThat(terminating("gpu")).isFalse();
  }

  @Test
  void withTheNodeLifecycleControllerANodeThatStopsReportingLosesItsPodsAfterTheirTolerationSeconds() {
    cluster.runningPod("web", "a", "");
    NodeLifecycleController nodeLifecycle = new NodeLifecycleController(cluster.fixture.context);
    ActorRef<Controller.Command> lifecycle = cluster.fixture.start(nodeLifecycle);
    await().until(() -> nodeLifecycle.observed("a") && nodeLifecycle.observed("b"));
    cluster.advance(Duration.ofSeconds(41));
    cluster.heartbeat("b");
    lifecycle.tell(new Controller.Enqueue("a"));
    await().until(() -> cluster.taint("a", NodeTaints.UNREACHABLE, "NoExecute").isPresent());
    assertThat(terminating("web")).isFalse();
    cluster.advance(Duration.ofSeconds(61));
    cluster.heartbeat("b");
    controller.tell(new Controller.Enqueue("default/web"));
    await().until(() -> terminating("web"));
  }

  @Test
  void aReplicaSetReplacesItsPodEvictedFromATaintedNode() {
    cluster.fixture.start(new io.kubeactor.controlplane.controller.replicaset.ReplicaSetController(cluster.fixture.context));
    cluster.fixture.apply("""
        {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: web, namespace: default},
         spec: {replicas: 1, selector: {matchLabels: {app: web}},
                template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}}}""");
    await().until(() -> cluster.fixture.list(Pod.class, "default").stream()
        .anyMatch(p -> p.getMetadata().getName().startsWith("web-")));
    String first = cluster.fixture.list(Pod.class, "default").stream().map(p -> p.getMetadata().getName())
        .filter(n -> n.startsWith("web-")).findFirst().orElseThrow();
    // as the scheduler and the node's kubelet would
    io.kubeactor.controlplane.registry.PodBinding.bind(cluster.fixture.registry,
        cluster.fixture.registry.types().byKind("v1", "Pod").orElseThrow(), "default", first, "a", cluster.clock)
        .toCompletableFuture().join();
    cluster.running(first);
    taint("a", "broken", "NoExecute", cluster.clock.instant());
    await().until(() -> terminating(first));
    await().until(() -> cluster.fixture.list(Pod.class, "default").stream()
        .anyMatch(p -> p.getMetadata().getName().startsWith("web-") && !p.getMetadata().getName().equals(first)));
    assertThat(cluster.pod(first).getSpec().getNodeName()).isEqualTo("a");
  }

  /** Reading conditions of a typed pod. */
  private static final class Pods {
    static PodCondition condition(Pod p, String type) {
      return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
  }
}
