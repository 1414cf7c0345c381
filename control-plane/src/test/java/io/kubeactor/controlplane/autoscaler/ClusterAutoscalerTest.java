package io.kubeactor.controlplane.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster autoscaler's decisions over the real store and informers, with a node group that
 * starts nothing: which unschedulable pods make the group grow and by how much (and the events
 * that say so, worded as upstream's), which do not and why, which nodes are unneeded and how one
 * is removed (tainted, drained through evictions, given back to the group, its Node deleted), and
 * the status ConfigMap.
 */
class ClusterAutoscalerTest {

  final ControllerFixture fixture = new ControllerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  static AutoscalerSettings settings(RecordingNodeGroup group, Duration unneeded, Duration delayAfterAdd) {
    return new AutoscalerSettings(new AutoscalerSettings.GroupSpec(group.min, group.max, group.id), Duration.ofMinutes(10),
        true, unneeded, delayAfterAdd, 0.5, Duration.ofMinutes(15), Duration.ofSeconds(20),
        new AutoscalerSettings.LocalProviderSpec("", List.of(), "cp", Path.of("nodes"), null, null, List.of()));
  }

  ActorRef<Controller.Command> start(RecordingNodeGroup group, Duration unneeded, Duration delayAfterAdd) {
    return fixture.start(new ClusterAutoscaler(fixture.context, group, settings(group, unneeded, delayAfterAdd)));
  }

  void node(String name, String group, String cpu) {
    fixture.apply("""
        {apiVersion: v1, kind: Node, metadata: {name: %s, labels: {kubernetes.io/hostname: %s, kubeactor.io/node-group: %s}},
         status: {allocatable: {cpu: "%s", memory: 4Gi, pods: "110"}, capacity: {cpu: "%s", memory: 4Gi, pods: "110"},
                  conditions: [{type: Ready, status: "True"}]}}
        """.formatted(name, name, group, cpu, cpu));
  }

  /** A pod of a ReplicaSet, bound to the node or (node null) marked unschedulable as the scheduler marks it. */
  void pod(String name, String node, String cpu, String... annotations) {
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: default, labels: {app: web},
           annotations: {%s},
           ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: 11111111-2222-3333-4444-555555555555, controller: true}]},
         spec: {%s containers: [{name: c, image: nginx, resources: {requests: {cpu: %s, memory: 64Mi}}}]}}
        """.formatted(name, String.join(", ", annotations), node == null ? "" : "nodeName: " + node + ",", cpu));
    if (node == null) {
      fixture.changeStatus("v1", "Pod", "default", name, p -> {
        p.with("status").putArray("conditions").addObject().put("type", "PodScheduled").put("status", "False")
            .put("reason", "Unschedulable").put("message", "0/1 nodes are available: 1 Insufficient cpu.");
        return p;
      });
    }
  }

  /** The group's node "pool", 2 cpu, 1500m of them requested. */
  void busyNode() {
    node("pool", "pool", "2");
    pod("busy", "pool", "1500m");
  }

  /** The autoscaler (upstream's default times) after its first look at the cluster. */
  ActorRef<Controller.Command> scanned(RecordingNodeGroup group) {
    var autoscaler = start(group, Duration.ofMinutes(10), Duration.ofMinutes(10));
    fixture.awaitReconciled(autoscaler, ClusterAutoscaler.KEY);
    return autoscaler;
  }

  List<String> events(String involved, String reason) {
    return fixture.list(Event.class, null).stream()
        .filter(e -> e.getInvolvedObject().getName().equals(involved) && e.getReason().equals(reason))
        .map(Event::getMessage).toList();
  }

  String status() {
    ConfigMap cm = fixture.get(ConfigMap.class, "kube-system", "cluster-autoscaler-status");
    return cm == null ? "" : cm.getData().get("status");
  }

  @Test
  void podsThatFitATemplateNodeGrowTheGroupByTheNodesTheyNeed() {
    RecordingNodeGroup group = new RecordingNodeGroup("pool", 1, 3);
    busyNode();
    // two 1-cpu pods share one new 2-cpu node
    pod("web-1", null, "1");
    pod("web-2", null, "1");
    var autoscaler = scanned(group);

    assertThat(group.increases).containsExactly(1);
    await().untilAsserted(() -> {
      assertThat(events("web-1", "TriggeredScaleUp")).containsExactly("pod triggered scale-up: [{pool 1->2 (max: 3)}]");
      assertThat(events("web-2", "TriggeredScaleUp")).containsExactly("pod triggered scale-up: [{pool 1->2 (max: 3)}]");
      assertThat(events("cluster-autoscaler-status", "ScaledUpGroup"))
          .contains("Scale-up: setting group pool size to 2 instead of 1 (max: 3)",
              "Scale-up: group pool size set to 2 instead of 1 (max: 3)");
    });
    assertThat(status()).contains("autoscalerStatus: Running", "cloudProviderTarget: 2", "maxSize: 3", "minSize: 1",
        "  name: pool\n", "status: InProgress");

    // the node on its way counts: the same pods do not ask for another one
    fixture.awaitReconciled(autoscaler, ClusterAutoscaler.KEY);
    assertThat(group.increases).containsExactly(1);
  }

  @Test
  void theGroupNeverGrowsPastItsMaximumAndPodsNoTemplateFitsSayWhy() {
    RecordingNodeGroup group = new RecordingNodeGroup("pool", 1, 2);
    busyNode();
    pod("web-1", null, "1500m");
    pod("web-2", null, "1500m");
    pod("huge", null, "3");
    scanned(group);

    assertThat(group.increases).containsExactly(1);
    await().untilAsserted(() -> {
      assertThat(events("web-1", "TriggeredScaleUp")).containsExactly("pod triggered scale-up: [{pool 1->2 (max: 2)}]");
      assertThat(events("web-2", "NotTriggerScaleUp")).containsExactly("pod didn't trigger scale-up: 1 max node group size reached");
      assertThat(events("huge", "NotTriggerScaleUp")).containsExactly("pod didn't trigger scale-up: 1 Insufficient cpu");
    });
  }

  @Test
  void afterANodeFailedToComeUpTheGroupBacksOff() {
    RecordingNodeGroup group = new RecordingNodeGroup("pool", 1, 3);
    busyNode();
    pod("web-1", null, "1");
    var autoscaler = scanned(group);
    assertThat(group.increases).containsExactly(1);

    group.fail("pool-m02");
    fixture.awaitReconciled(autoscaler, ClusterAutoscaler.KEY);
    assertThat(group.increases).containsExactly(1);
    await().untilAsserted(() -> assertThat(events("web-1", "NotTriggerScaleUp"))
        .containsExactly("pod didn't trigger scale-up: 1 in backoff after failed scale-up"));
    assertThat(status()).contains("status: Backoff");
  }

  @Test
  void aPodThatFitsAnExistingNodeIsLeftToTheScheduler() {
    RecordingNodeGroup group = new RecordingNodeGroup("pool", 1, 3);
    node("pool", "pool", "2");
    pod("web-1", null, "1");
    scanned(group);
    assertThat(group.increases).isEmpty();
    assertThat(events("web-1", "NotTriggerScaleUp")).isEmpty();
    assertThat(status()).contains("status: NoActivity", "cloudProviderTarget: 1");
  }

  @Test
  void anUnderusedNodeWhosePodsFitElsewhereIsDrainedAndRemovedAfterTheUnneededTime() {
    RecordingNodeGroup group = new RecordingNodeGroup("pool", 1, 3);
    // pool is 55% requested, pool-m02 25%: only pool-m02 is unneeded, and its pod fits on pool
    node("pool", "pool", "2");
    pod("busy", "pool", "1100m");
    node("pool-m02", "pool", "2");
    pod("web-1", "pool-m02", "500m");
    var autoscaler = start(group, Duration.ZERO, Duration.ZERO);
    fixture.awaitReconciled(autoscaler, ClusterAutoscaler.KEY);

    // the node is tainted and its pod evicted: gracefully, so it stays Terminating until its kubelet confirms
    await().untilAsserted(() -> assertThat(fixture.get(Pod.class, "default", "web-1").getMetadata().getDeletionTimestamp()).isNotNull());
    Node tainted = fixture.get(Node.class, null, "pool-m02");
    assertThat(tainted.getSpec().getTaints()).anyMatch(t -> t.getKey().equals("ToBeDeletedByClusterAutoscaler")
        && t.getEffect().equals("NoSchedule"));
    assertThat(events("pool-m02", "ScaleDown")).contains("marked the node as toBeDeleted/unschedulable");
    assertThat(events("web-1", "ScaleDown")).containsExactly("deleting pod for node scale down");
    assertThat(group.deleted).isEmpty();

    // as the kubelet would: the pod's containers stopped, its deletion finished
    fixture.registry.delete(fixture.registry.types().find("/api/v1", "pods").orElseThrow(), "default", "web-1",
        new DeleteOptions(0L, null, null, null, false)).toCompletableFuture().join();
    await().untilAsserted(() -> {
      assertThat(group.deleted).containsExactly("pool-m02");
      assertThat(fixture.get(Node.class, null, "pool-m02")).isNull();
      assertThat(events("pool-m02", "ScaleDown")).contains("node removed by cluster autoscaler");
    });
    // never below the minimum: the last node stays, however idle
    fixture.awaitReconciled(autoscaler, ClusterAutoscaler.KEY);
    assertThat(group.deleted).containsExactly("pool-m02");
    assertThat(fixture.get(Node.class, null, "pool")).isNotNull();
  }

  @Test
  void nodesThatMustStayAreNotCandidates() {
    RecordingNodeGroup group = new RecordingNodeGroup("pool", 0, 5);
    node("pool", "pool", "2");
    pod("big", "pool", "900m");
    // busy: 60% requested
    node("pool-m02", "pool", "2");
    pod("busy", "pool-m02", "1200m");
    // scale-down disabled by annotation
    node("pool-m03", "pool", "2");
    fixture.change("v1", "Node", null, "pool-m03", n -> {
      n.with("metadata").with("annotations").put("cluster-autoscaler.kubernetes.io/scale-down-disabled", "true");
      return n;
    });
    // a pod marked not safe to evict
    node("pool-m04", "pool", "2");
    pod("pinned", "pool-m04", "100m", "cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"");
    // a pod that may run on this node only
    node("pool-m05", "pool", "2");
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: only-here, namespace: default,
           ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: 11111111-2222-3333-4444-555555555555, controller: true}]},
         spec: {nodeName: pool-m05, nodeSelector: {kubernetes.io/hostname: pool-m05},
                containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]}}
        """);
    // a pod whose disruption budget allows no disruption now
    node("pool-m06", "pool", "2");
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: guarded, namespace: default, labels: {app: guarded},
           ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: g, uid: 11111111-2222-3333-4444-555555555556, controller: true}]},
         spec: {nodeName: pool-m06, containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]}}
        """);
    fixture.apply("""
        {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: guarded, namespace: default},
         spec: {minAvailable: 1, selector: {matchLabels: {app: guarded}}}}
        """);
    fixture.changeStatus("policy/v1", "PodDisruptionBudget", "default", "guarded", b -> {
      b.with("status").put("disruptionsAllowed", 0).put("currentHealthy", 1).put("desiredHealthy", 1).put("expectedPods", 1);
      return b;
    });
    var autoscaler = new ClusterAutoscaler(fixture.context, group, settings(group, Duration.ofHours(1), Duration.ofHours(1)));
    var controller = fixture.start(autoscaler);
    fixture.awaitReconciled(controller, ClusterAutoscaler.KEY);

    // pool's 900m pod fits on another node; every other node must stay
    assertThat(autoscaler.unneeded()).containsOnlyKeys("pool");
    assertThat(status()).contains("candidates: 1", "status: CandidatesPresent");
    assertThat(group.deleted).isEmpty();
  }
}
