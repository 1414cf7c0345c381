package io.kubeactor.controlplane.scheduler;

import static io.kubeactor.controlplane.scheduler.Fixtures.boundTo;
import static io.kubeactor.controlplane.scheduler.Fixtures.cordoned;
import static io.kubeactor.controlplane.scheduler.Fixtures.node;
import static io.kubeactor.controlplane.scheduler.Fixtures.pod;
import static io.kubeactor.controlplane.scheduler.Fixtures.taint;
import static io.kubeactor.controlplane.scheduler.Fixtures.withPhase;
import static io.kubeactor.controlplane.scheduler.Fixtures.withTaints;
import static io.kubeactor.controlplane.scheduler.Fixtures.yamlPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kubeactor.controlplane.scheduler.SchedulingAlgorithm.Decision;
import io.kubeactor.controlplane.scheduler.framework.Resources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole attempts: which node wins, and the FailedScheduling text when none does. */
class SchedulingAlgorithmTest {

  private static final List<Node> THREE_NODES = List.of(
      node("node-a", "2", "2Gi"), node("node-b", "2", "2Gi"), node("node-c", "2", "2Gi"));

  @Test
  void noNodesAtAll() {
    Decision decision = SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), List.of(), List.of());
    assertThat(decision.scheduled()).isFalse();
    assertThat(decision.message()).isEqualTo("no nodes available to schedule pods");
  }

  @Test
  void nodeSelectorPicksTheLabelledNode() {
    List<Node> nodes = List.of(node("node-a", "2", "2Gi"), node("node-b", "2", "2Gi", "server=webap"),
        node("node-c", "2", "2Gi", "server=db"));
    Pod pod = new PodBuilder(pod("web", "50m", "300Mi")).editSpec().addToNodeSelector("server", "webap").endSpec().build();

    Decision decision = SchedulingAlgorithm.schedule(pod, nodes, List.of());

    assertThat(decision).isEqualTo(new Decision("node-b", null));
    assertThat(decision.scheduled()).isTrue();
  }

  @Test
  void nodeSelectorMatchingNoNode() {
    Pod pod = new PodBuilder(pod("web", "50m", "300Mi")).editSpec().addToNodeSelector("server", "webap").endSpec().build();

    assertThat(SchedulingAlgorithm.schedule(pod, THREE_NODES, List.of()).message())
        .isEqualTo("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
  }

  @Test
  void oversizedRequest() {
    Decision decision = SchedulingAlgorithm.schedule(pod("big", "50m", "64Gi"), THREE_NODES, List.of());

    assertThat(decision.nodeName()).isNull();
    assertThat(decision.message()).isEqualTo("0/3 nodes are available: 3 Insufficient memory.");
  }

  @Test
  void requestsOfBoundPodsAreAccountedUntilTheNodeIsFull() {
    List<Node> nodes = List.of(node("only", "1", "1Gi"));
    List<Pod> bound = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Decision decision = SchedulingAlgorithm.schedule(pod("web-" + i, "50m", "300Mi"), nodes, bound);
      assertThat(decision.nodeName()).isEqualTo("only");
      bound.add(boundTo(pod("web-" + i, "50m", "300Mi"), "only"));
    }
    // 3 x 300Mi = 900Mi of 1024Mi are requested: another 300Mi does not fit, 124Mi does.
    assertThat(SchedulingAlgorithm.schedule(pod("web-3", "50m", "300Mi"), nodes, bound).message())
        .isEqualTo("0/1 nodes are available: 1 Insufficient memory.");
    assertThat(SchedulingAlgorithm.schedule(pod("small", "50m", "124Mi"), nodes, bound).nodeName()).isEqualTo("only");
  }

  @Test
  void terminatedPodsFreeTheirRequests() {
    List<Node> nodes = List.of(node("only", "1", "1Gi"));
    List<Pod> bound = List.of(withPhase(boundTo(pod("done", "50m", "1Gi"), "only"), "Succeeded"),
        withPhase(boundTo(pod("crashed", "50m", "1Gi"), "only"), "Failed"));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), nodes, bound).nodeName()).isEqualTo("only");
  }

  @Test
  void podsBoundToUnknownNodesAndThePodItselfAreIgnored() {
    List<Node> nodes = List.of(node("only", "1", "1Gi"));
    Pod web = pod("web", "50m", "600Mi");
    List<Pod> bound = List.of(boundTo(pod("elsewhere", "50m", "1Gi"), "gone"), boundTo(web, "only"));

    assertThat(SchedulingAlgorithm.schedule(web, nodes, bound).nodeName()).isEqualTo("only");
  }

  @Test
  void oneNodeMayGiveSeveralReasons() {
    assertThat(SchedulingAlgorithm.schedule(pod("huge", "8", "64Gi"), THREE_NODES, List.of()).message())
        .isEqualTo("0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory.");
  }

  @Test
  void reasonsFromDifferentFiltersAreCountedAndSortedAsStrings() {
    List<Node> nodes = List.of(node("node-a", "2", "2Gi", "disk=ssd"), node("node-b", "2", "2Gi", "disk=ssd"),
        node("node-c", "2", "8Gi"));
    Pod pod = new PodBuilder(pod("db", "50m", "4Gi")).editSpec().addToNodeSelector("disk", "ssd").endSpec().build();

    assertThat(SchedulingAlgorithm.schedule(pod, nodes, List.of()).message())
        .isEqualTo("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient memory.");
  }

  @Test
  void countsSortAsTextSoTenComesBeforeTwo() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 10; i++) nodes.add(node("small-" + i, "100m", "8Gi"));
    nodes.add(withTaints(node("tainted-0", "8", "8Gi"), taint("dedicated", "gpu", "NoSchedule")));
    nodes.add(withTaints(node("tainted-1", "8", "8Gi"), taint("dedicated", "gpu", "NoSchedule")));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "1", "1Gi"), nodes, List.of()).message())
        .isEqualTo("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}.");
  }

  @Test
  void filtersRunInUpstreamOrderAndTheFirstFailureDecides() {
    // Cordoned, tainted and too small at once: only "were unschedulable" is reported.
    Node node = cordoned(withTaints(node("node-a", "100m", "100Mi"), taint("k", "v", "NoSchedule")));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "1", "1Gi"), List.of(node), List.of()).message())
        .isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable.");
  }

  @Test
  void notReadyAndUnreachableNodesAreAvoidedThroughTheirTaints() {
    List<Node> nodes = List.of(
        withTaints(node("node-a", "2", "2Gi"), taint("node.kubernetes.io/not-ready", null, "NoSchedule")),
        withTaints(node("node-b", "2", "2Gi"), taint("node.kubernetes.io/unreachable", null, "NoExecute")),
        node("node-c", "2", "2Gi"));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), nodes, List.of()).nodeName()).isEqualTo("node-c");
    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), nodes.subList(0, 2), List.of()).message())
        .isEqualTo("0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, "
            + "1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.");
  }

  @Test
  void aTolerationOpensATaintedNode() {
    List<Node> nodes = List.of(withTaints(node("gpu", "2", "2Gi"), taint("dedicated", "gpu", "NoSchedule")));
    Pod pod = new PodBuilder(pod("trainer", "50m", "300Mi")).editSpec()
        .addToTolerations(new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("gpu")
            .withEffect("NoSchedule").build())
        .endSpec().build();

    assertThat(SchedulingAlgorithm.schedule(pod, nodes, List.of()).nodeName()).isEqualTo("gpu");
  }

  @Test
  void preferNoScheduleOnlyLowersTheScore() {
    List<Node> nodes = List.of(withTaints(node("node-a", "2", "2Gi"), taint("spot", "true", "PreferNoSchedule")),
        node("node-b", "2", "2Gi"));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), nodes, List.of()).nodeName()).isEqualTo("node-b");
    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), nodes.subList(0, 1), List.of()).nodeName())
        .isEqualTo("node-a");
  }

  @Test
  void cordonedNodeIsUnschedulableUnlessTolerated() {
    List<Node> nodes = List.of(cordoned(node("node-a", "2", "2Gi")));
    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), nodes, List.of()).message())
        .isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable.");

    Pod tolerant = new PodBuilder(pod("ds", "50m", "300Mi")).editSpec()
        .addToTolerations(new TolerationBuilder().withKey("node.kubernetes.io/unschedulable").withOperator("Exists")
            .withEffect("NoSchedule").build())
        .endSpec().build();
    assertThat(SchedulingAlgorithm.schedule(tolerant, nodes, List.of()).nodeName()).isEqualTo("node-a");
  }

  @Test
  void tooManyPods() {
    List<Node> nodes = List.of(Fixtures.withAllocatable(node("tiny", "2", "2Gi"), "pods", "1"));
    List<Pod> bound = List.of(boundTo(pod("first", null, null), "tiny"));

    assertThat(SchedulingAlgorithm.schedule(pod("second", null, null), nodes, bound).message())
        .isEqualTo("0/1 nodes are available: 1 Too many pods.");
  }

  @Test
  void nodeWithoutAllocatablePodsTakesNone() {
    Node node = node("bare", "2", "2Gi");
    node.getStatus().getAllocatable().remove("pods");

    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), List.of(node), List.of()).message())
        .isEqualTo("0/1 nodes are available: 1 Too many pods.");
  }

  @Test
  void requestedNodeName() {
    Pod pod = new PodBuilder(pod("web", "50m", "300Mi")).editSpec().withNodeName("node-b").endSpec().build();

    assertThat(SchedulingAlgorithm.schedule(pod, THREE_NODES, List.of()).nodeName()).isEqualTo("node-b");
    assertThat(SchedulingAlgorithm.schedule(pod, THREE_NODES.subList(0, 1), List.of()).message())
        .isEqualTo("0/1 nodes are available: 1 node(s) didn't match the requested node name.");
  }

  @Test
  void leastAllocatedPrefersTheEmptierNode() {
    List<Pod> bound = List.of(boundTo(pod("busy", "1", "1Gi"), "node-a"), boundTo(pod("light", "100m", "100Mi"), "node-b"));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), THREE_NODES, bound).nodeName())
        .isEqualTo("node-c");
    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), THREE_NODES.subList(0, 2), bound).nodeName())
        .isEqualTo("node-b");
  }

  @Test
  void podsWithoutRequestsSpreadToo() {
    // No requests: scoring assumes 100m and 200Mi per container, so the second pod avoids the first's node.
    List<Node> nodes = List.of(node("node-a", "2", "2Gi"), node("node-b", "2", "2Gi"));
    List<Pod> bound = List.of(boundTo(pod("first", null, null), "node-a"));

    assertThat(SchedulingAlgorithm.schedule(pod("second", null, null), nodes, bound).nodeName()).isEqualTo("node-b");
  }

  @Test
  void equalNodesTieToTheFirstName() {
    List<Node> reversed = List.of(node("node-c", "2", "2Gi"), node("node-b", "2", "2Gi"), node("node-a", "2", "2Gi"));

    assertThat(SchedulingAlgorithm.schedule(pod("web", "50m", "300Mi"), reversed, List.of()).nodeName()).isEqualTo("node-a");
  }

  @Test
  void replicasSpreadOverEqualNodes() {
    List<Pod> bound = new ArrayList<>();
    List<String> placements = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Pod pod = pod("web-" + i, "100m", "128Mi", "app=web");
      String node = SchedulingAlgorithm.schedule(pod, THREE_NODES, bound).nodeName();
      placements.add(node);
      bound.add(boundTo(pod, node));
    }
    assertThat(placements).containsExactly("node-a", "node-b", "node-c", "node-a", "node-b", "node-c");
  }

  @Test
  void daemonSetStylePinToAFullNode() {
    Pod pinned = pinnedTo("ds-pod", "node-b");
    List<Pod> bound = List.of(boundTo(pod("hog", "2", "100Mi"), "node-b"));

    assertThat(SchedulingAlgorithm.schedule(pinned, THREE_NODES, List.of()).nodeName()).isEqualTo("node-b");
    assertThat(SchedulingAlgorithm.schedule(pinned, THREE_NODES, bound).message())
        .isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  }

  @Test
  void pinnedToANodeThatDoesNotExist() {
    assertThat(SchedulingAlgorithm.schedule(pinnedTo("ds-pod", "node-z"), THREE_NODES, List.of()).message())
        .isEqualTo("0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  }

  @Test
  void conflictingNodeNameTerms() {
    Pod pod = yamlPod("""
        metadata: {name: confused, namespace: default}
        spec:
          containers: [{name: main, image: nginx}]
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchFields:
                  - {key: metadata.name, operator: In, values: [node-a]}
                  - {key: metadata.name, operator: In, values: [node-b]}
        """);

    assertThat(SchedulingAlgorithm.schedule(pod, THREE_NODES, List.of()).message())
        .isEqualTo("0/3 nodes are available: pod affinity terms conflict.");
  }

  @Test
  void hostPortsMustBeFree() {
    String yaml = """
        metadata: {name: %s, namespace: default, uid: %s}
        spec:
          containers:
          - name: main
            image: nginx
            ports: [{containerPort: 80, hostPort: 8080}]
        """;
    Pod first = yamlPod(yaml.formatted("first", "u1"));
    Pod second = yamlPod(yaml.formatted("second", "u2"));
    List<Pod> bound = List.of(boundTo(first, "node-a"));

    assertThat(SchedulingAlgorithm.schedule(second, THREE_NODES.subList(0, 2), bound).nodeName()).isEqualTo("node-b");
    assertThat(SchedulingAlgorithm.schedule(second, THREE_NODES.subList(0, 1), bound).message())
        .isEqualTo("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
  }

  @Test
  void antiAffinitySpreadsReplicasAndThenRefuses() {
    List<Pod> bound = new ArrayList<>();
    List<String> placements = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Pod pod = antiAffine("cache-" + i);
      Decision decision = SchedulingAlgorithm.schedule(pod, THREE_NODES, bound);
      placements.add(decision.nodeName());
      bound.add(boundTo(pod, decision.nodeName()));
    }
    assertThat(placements).containsExactlyInAnyOrder("node-a", "node-b", "node-c");
    assertThat(SchedulingAlgorithm.schedule(antiAffine("cache-3"), THREE_NODES, bound).message())
        .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
  }

  @Test
  void existingPodsAntiAffinityKeepsOthersAway() {
    List<Pod> bound = List.of(boundTo(antiAffine("cache-0"), "node-a"));
    // A pod without any affinity of its own, but labelled as the existing pod's term selects.
    Pod intruder = pod("intruder", "50m", "100Mi", "app=cache");

    assertThat(SchedulingAlgorithm.schedule(intruder, THREE_NODES.subList(0, 1), bound).message())
        .isEqualTo("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.");
    assertThat(SchedulingAlgorithm.schedule(intruder, THREE_NODES, bound).nodeName()).isEqualTo("node-b");
  }

  @Test
  void affinityFollowsTheSelectedPods() {
    Pod web = yamlPod("""
        metadata: {name: web, namespace: default, labels: {app: web}}
        spec:
          containers: [{name: main, image: nginx}]
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {app: db}}
                topologyKey: kubernetes.io/hostname
        """);
    assertThat(SchedulingAlgorithm.schedule(web, THREE_NODES, List.of()).message())
        .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");

    List<Pod> bound = List.of(boundTo(pod("db", "50m", "100Mi", "app=db"), "node-c"));
    assertThat(SchedulingAlgorithm.schedule(web, THREE_NODES, bound).nodeName()).isEqualTo("node-c");
  }

  @Test
  void theFirstOfAGroupWithAffinityToItselfMayStartIt() {
    Pod member = yamlPod("""
        metadata: {name: member-0, namespace: default, labels: {group: g}}
        spec:
          containers: [{name: main, image: nginx}]
          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {group: g}}
                topologyKey: kubernetes.io/hostname
        """);

    String first = SchedulingAlgorithm.schedule(member, THREE_NODES, List.of()).nodeName();
    assertThat(first).isEqualTo("node-a");
    Pod second = new PodBuilder(member).editMetadata().withName("member-1").endMetadata().build();
    List<Pod> bound = List.of(boundTo(pod("other", "1", "1Gi"), "node-a"), boundTo(member, "node-b"));
    assertThat(SchedulingAlgorithm.schedule(second, THREE_NODES, bound).nodeName()).isEqualTo("node-b");
  }

  @Test
  void preferredNodeAffinityWins() {
    Pod pod = yamlPod("""
        metadata: {name: web, namespace: default}
        spec:
          containers: [{name: main, image: nginx}]
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 50
                preference:
                  matchExpressions: [{key: zone, operator: In, values: [b]}]
        """);
    List<Node> nodes = List.of(node("node-a", "2", "2Gi", "zone=a"), node("node-b", "2", "2Gi", "zone=b"));
    // node-b is busier, yet its preference (50 x weight 2 after normalising to 100) outweighs that.
    List<Pod> bound = List.of(boundTo(pod("busy", "500m", "500Mi"), "node-b"));

    assertThat(SchedulingAlgorithm.schedule(pod, nodes, bound).nodeName()).isEqualTo("node-b");
  }

  @Test
  void requestsOfIsPublic() {
    assertThat(SchedulingAlgorithm.requestsOf(pod("web", "50m", "300Mi")))
        .isEqualTo(new Resources(50, 300L * 1024 * 1024, 0, 0, java.util.Map.of()));
  }

  private static Pod pinnedTo(String name, String nodeName) {
    return yamlPod("""
        metadata: {name: %s, namespace: default}
        spec:
          containers:
          - name: main
            image: nginx
            resources: {requests: {cpu: 100m, memory: 100Mi}}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchFields: [{key: metadata.name, operator: In, values: [%s]}]
        """.formatted(name, nodeName));
  }

  private static Pod antiAffine(String name) {
    return yamlPod("""
        metadata: {name: %s, namespace: default, uid: %s, labels: {app: cache}}
        spec:
          containers:
          - name: main
            image: redis
            resources: {requests: {cpu: 100m, memory: 100Mi}}
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
              - labelSelector: {matchLabels: {app: cache}}
                topologyKey: kubernetes.io/hostname
        """.formatted(name, "uid-" + name));
  }

  @Test
  void aLargeClusterIsFilteredOnlyUntilEnoughNodesFitAsUpstreamCountsThem() {
    assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(50)).isEqualTo(50);
    assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(100)).isEqualTo(100);
    assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(1000)).isEqualTo(420);
    assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(5000)).isEqualTo(500);
    assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(10000)).isEqualTo(500);
  }

  @Test
  void eachAttemptGoesOnFromTheNodeAfterTheLastOneThePreviousAttemptChecked() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 200; i++) nodes.add(node(String.format("node-%03d", i), "4", "8Gi"));
    // 200 equal nodes: 100 are checked per attempt, and the first checked wins the tie
    var snapshot = io.kubeactor.controlplane.scheduler.cache.SchedulerCache.snapshotOf(nodes, List.of(), null, null);
    SchedulingAlgorithm.NodeCursor cursor = new SchedulingAlgorithm.NodeCursor();
    assertThat(SchedulingAlgorithm.schedule(pod("a", "50m", "64Mi"), snapshot, cursor).nodeName()).isEqualTo("node-000");
    assertThat(SchedulingAlgorithm.schedule(pod("b", "50m", "64Mi"), snapshot, cursor).nodeName()).isEqualTo("node-100");
    assertThat(SchedulingAlgorithm.schedule(pod("c", "50m", "64Mi"), snapshot, cursor).nodeName()).isEqualTo("node-000");
  }
}
