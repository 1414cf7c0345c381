package io.kubeactor.controlplane.controller.daemonset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DaemonSet controller over a real store, without a scheduler or kubelets: nodes are plain Node
 * objects, and the tests write the pods' status (Ready, Failed) themselves.
 */
class DaemonSetsControllerTest {

  ControllerFixture fixture;

  @BeforeEach
  void start() {
    fixture = new ControllerFixture();
    fixture.start(new DaemonSetsController(fixture.context));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  // ---- helpers ----

  void node(String name, String labels, String taints) {
    fixture.apply("""
        apiVersion: v1
        kind: Node
        metadata: {name: %s, labels: {%s}}
        spec: {taints: [%s]}
        """.formatted(name, labels, taints));
  }

  void node(String name) {
    node(name, "", "");
  }

  void daemonSet(String name, String extraSpec, String podSpec) {
    fixture.apply("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          %s
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: c, image: "busybox:1"}]
              %s
        """.formatted(name, name, extraSpec, name, podSpec));
  }

  List<Pod> pods(String ds) {
    return fixture.list(Pod.class, "default").stream()
        .filter(p -> OwnerReferences.controllerOf(p).map(r -> r.getName().equals(ds)).orElse(false))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /** The live (not being deleted) pods of the DaemonSet by their node. */
  Map<String, List<Pod>> podsByNode(String ds) {
    return pods(ds).stream().filter(p -> !OwnerReferences.beingDeleted(p))
        .collect(Collectors.groupingBy(DaemonPodTemplates::targetNodeName));
  }

  Set<String> nodesWithPods(String ds) {
    return podsByNode(ds).keySet();
  }

  DaemonSet ds(String name) {
    return fixture.get(DaemonSet.class, "default", name);
  }

  DaemonSetStatus status(String name) {
    DaemonSet ds = ds(name);
    return ds == null || ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
  }

  List<ControllerRevision> revisions(String ds) {
    return fixture.list(ControllerRevision.class, "default").stream()
        .filter(r -> OwnerReferences.controllerOf(r).map(ref -> ref.getName().equals(ds)).orElse(false))
        .sorted(Comparator.comparing(ControllerRevision::getRevision))
        .toList();
  }

  void setPhase(Pod pod, String phase, boolean ready) {
    fixture.changeStatus("v1", "Pod", "default", pod.getMetadata().getName(), o -> {
      ObjectNode status = o.withObjectProperty("status");
      status.put("phase", phase);
      var conditions = status.putArray("conditions");
      conditions.addObject().put("type", "Ready").put("status", ready ? "True" : "False")
          .put("lastTransitionTime", Timestamps.format(Instant.now()));
      return o;
    });
  }

  void makeReady(Pod pod) {
    setPhase(pod, "Running", true);
  }

  void changeNode(String name, java.util.function.Consumer<ObjectNode> change) {
    fixture.change("v1", "Node", null, name, o -> {
      change.accept(o);
      return o;
    });
  }

  List<Event> events(String reason) {
    return fixture.list(Event.class, "default").stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  static int n(Integer i) {
    return i == null ? 0 : i;
  }

  // ---- tests ----

  @Test
  void eachNodeGetsOnePodPinnedByNodeAffinityForTheScheduler() {
    node("n1");
    node("n2");
    daemonSet("fluentd", "", "");
    await().until(() -> nodesWithPods("fluentd").equals(Set.of("n1", "n2")));
    await().until(() -> n(status("fluentd").getDesiredNumberScheduled()) == 2 && n(status("fluentd").getCurrentNumberScheduled()) == 2);

    List<ControllerRevision> revisions = revisions("fluentd");
    assertThat(revisions).hasSize(1);
    ControllerRevision rev = revisions.get(0);
    String hash = rev.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(rev.getMetadata().getName()).isEqualTo("fluentd-" + hash);
    assertThat(rev.getRevision()).isEqualTo(1L);
    assertThat(rev.getMetadata().getLabels()).containsEntry("app", "fluentd");
    var data = Json.MAPPER.valueToTree(rev.getData());
    assertThat(data.path("spec").path("template").path("$patch").asText()).isEqualTo("replace");
    assertThat(data.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText()).isEqualTo("busybox:1");

    assertThat(ds("fluentd").getMetadata().getAnnotations()).containsEntry("deprecated.daemonset.template.generation", "1");
    for (Pod pod : pods("fluentd")) {
      String node = DaemonPodTemplates.targetNodeName(pod);
      assertThat(pod.getMetadata().getName()).startsWith("fluentd-");
      assertThat(pod.getMetadata().getGenerateName()).isEqualTo("fluentd-");
      assertThat(pod.getSpec().getNodeName()).isNull();
      var terms = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
      assertThat(terms).hasSize(1);
      assertThat(terms.get(0).getMatchExpressions()).isNullOrEmpty();
      NodeSelectorRequirement field = terms.get(0).getMatchFields().get(0);
      assertThat(field.getKey()).isEqualTo("metadata.name");
      assertThat(field.getOperator()).isEqualTo("In");
      assertThat(field.getValues()).containsExactly(node);
      assertThat(pod.getMetadata().getLabels()).containsEntry("app", "fluentd")
          .containsEntry("controller-revision-hash", hash).containsEntry("pod-template-generation", "1");
      assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey).contains(
          "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/disk-pressure",
          "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable");
      assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey).doesNotContain("node.kubernetes.io/network-unavailable");
      assertThat(OwnerReferences.controllerOf(pod).orElseThrow().getKind()).isEqualTo("DaemonSet");
    }
    await().until(() -> events("SuccessfulCreate").size() == 2);
    assertThat(events("SuccessfulCreate")).extracting(Event::getMessage).allMatch(m -> m.startsWith("Created pod: fluentd-"));
    assertThat(events("SuccessfulCreate").get(0).getSource().getComponent()).isEqualTo("daemonset-controller");
  }

  @Test
  void theStatusCountsReadyUpdatedAndAvailablePods() {
    node("n1");
    node("n2");
    node("other", "role: db", "");
    daemonSet("web", "", "nodeSelector: {role: web}");
    changeNode("n1", o -> o.with("metadata").with("labels").put("role", "web"));
    changeNode("n2", o -> o.with("metadata").with("labels").put("role", "web"));
    await().until(() -> pods("web").size() == 2);
    await().until(() -> n(status("web").getCurrentNumberScheduled()) == 2);
    DaemonSetStatus s = status("web");
    assertThat(s.getDesiredNumberScheduled()).isEqualTo(2);
    assertThat(s.getNumberMisscheduled()).isZero();
    assertThat(s.getNumberReady()).isZero();
    assertThat(s.getUpdatedNumberScheduled()).isEqualTo(2);
    assertThat(s.getNumberAvailable()).isNull();
    assertThat(s.getNumberUnavailable()).isEqualTo(2);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);

    makeReady(pods("web").get(0));
    await().until(() -> n(status("web").getNumberReady()) == 1);
    assertThat(status("web").getNumberAvailable()).isEqualTo(1);
    assertThat(status("web").getNumberUnavailable()).isEqualTo(1);
    makeReady(pods("web").get(1));
    await().until(() -> n(status("web").getNumberAvailable()) == 2);
    assertThat(status("web").getNumberUnavailable()).isNull();
  }

  @Test
  void relabellingANodeAddsOrRemovesItsPod() {
    node("n1");
    node("n2");
    daemonSet("ch06", "", "nodeSelector: {kiamol: ch06}");
    await().until(() -> ds("ch06").getStatus() != null && ds("ch06").getStatus().getObservedGeneration() != null);
    assertThat(pods("ch06")).isEmpty();
    assertThat(status("ch06").getDesiredNumberScheduled()).isZero();

    // kubectl label node n1 kiamol=ch06
    changeNode("n1", o -> o.with("metadata").with("labels").put("kiamol", "ch06"));
    await().until(() -> nodesWithPods("ch06").equals(Set.of("n1")));
    await().until(() -> n(status("ch06").getDesiredNumberScheduled()) == 1);

    // kubectl label node n1 kiamol-
    changeNode("n1", o -> {
      ((ObjectNode) o.with("metadata").with("labels")).remove("kiamol");
    });
    await().until(() -> pods("ch06").isEmpty());
    await().until(() -> n(status("ch06").getDesiredNumberScheduled()) == 0 && n(status("ch06").getCurrentNumberScheduled()) == 0);
    assertThat(events("SuccessfulDelete")).extracting(Event::getMessage).anyMatch(m -> m.startsWith("Deleted pod: ch06-"));
  }

  @Test
  void aNodeThatJoinsGetsItsPodAndOneThatLeavesLosesIt() {
    node("n1");
    daemonSet("agent", "", "");
    await().until(() -> nodesWithPods("agent").equals(Set.of("n1")));
    node("n2");
    await().until(() -> nodesWithPods("agent").equals(Set.of("n1", "n2")));
    // a pod already bound to the node, as the scheduler's binding would have it
    Pod onN2 = podsByNode("agent").get("n2").get(0);
    fixture.changeStatus("v1", "Pod", "default", onN2.getMetadata().getName(), o -> {
      o.with("spec").put("nodeName", "n2");
      return o;
    });
    makeReady(onN2);
    fixture.delete("v1", "Node", null, "n2", null);
    await().until(() -> pods("agent").stream().noneMatch(p -> "n2".equals(DaemonPodTemplates.targetNodeName(p))));
    assertThat(nodesWithPods("agent")).containsExactly("n1");
    await().until(() -> n(status("agent").getDesiredNumberScheduled()) == 1);
  }

  @Test
  void untoleratedTaintsKeepPodsOffButDaemonTolerationsLetThemOn() {
    node("tainted", "", "{key: dedicated, value: gpu, effect: NoSchedule}");
    node("cordoned", "", "{key: node.kubernetes.io/unschedulable, effect: NoSchedule}");
    node("plain");
    daemonSet("logs", "", "");
    await().until(() -> nodesWithPods("logs").equals(Set.of("cordoned", "plain")));
    await().until(() -> n(status("logs").getDesiredNumberScheduled()) == 2);

    // a NoSchedule taint added later leaves the pod running; a NoExecute one evicts it
    changeNode("plain", o -> o.with("spec").withArray("taints").addObject().put("key", "maintenance").put("effect", "NoSchedule"));
    await().until(() -> n(status("logs").getDesiredNumberScheduled()) == 1);
    assertThat(nodesWithPods("logs")).contains("plain");
    changeNode("plain", o -> o.with("spec").withArray("taints").addObject().put("key", "evict").put("effect", "NoExecute"));
    await().until(() -> nodesWithPods("logs").equals(Set.of("cordoned")));

    // a DaemonSet that tolerates the taint runs there
    daemonSet("gpu", "", "tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]");
    await().until(() -> nodesWithPods("gpu").equals(Set.of("tainted", "cordoned")));
  }

  @Test
  void extraPodsOnANodeGoAndTheBoundOneStays() {
    node("n1");
    daemonSet("dup", "", "");
    await().until(() -> pods("dup").size() == 1);
    Pod first = pods("dup").get(0);
    String hash = first.getMetadata().getLabels().get("controller-revision-hash");
    // bound to its node: it sorts before an unbound pod of the same second
    fixture.changeStatus("v1", "Pod", "default", first.getMetadata().getName(), o -> {
      o.with("spec").put("nodeName", "n1");
      return o;
    });
    // an orphan of the current template that the DaemonSet selects, for the same node: adopted, then deleted
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: dup-extra, namespace: default, labels: {app: dup, controller-revision-hash: %s}}
        spec:
          containers: [{name: c, image: "busybox:1"}]
          affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [
            {matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]}}}
        """.formatted(hash));
    await().until(() -> fixture.get(Pod.class, "default", "dup-extra") == null);
    assertThat(events("SuccessfulDelete")).extracting(Event::getMessage).containsExactly("Deleted pod: dup-extra");
    assertThat(pods("dup")).extracting(p -> p.getMetadata().getName()).containsExactly(first.getMetadata().getName());
  }

  @Test
  void aFailedDaemonPodIsReplaced() {
    node("n1");
    daemonSet("flaky", "", "");
    await().until(() -> pods("flaky").size() == 1);
    Pod failed = pods("flaky").get(0);
    setPhase(failed, "Failed", false);
    await().until(() -> pods("flaky").size() == 1
        && !pods("flaky").get(0).getMetadata().getUid().equals(failed.getMetadata().getUid()));
    assertThat(events("FailedDaemonPod")).extracting(Event::getMessage)
        .containsExactly("Found failed daemon pod default/" + failed.getMetadata().getName() + " on node n1, will try to kill it");
    assertThat(events("FailedDaemonPod").get(0).getType()).isEqualTo("Warning");
  }

  @Test
  void aRollingUpdateReplacesOnePodAtATimeAndKeepsRevisions() {
    for (String n : List.of("n1", "n2", "n3")) node(n);
    daemonSet("proxy", "", "");
    await().until(() -> pods("proxy").size() == 3);
    pods("proxy").forEach(this::makeReady);
    await().until(() -> n(status("proxy").getNumberAvailable()) == 3);
    String oldHash = revisions("proxy").get(0).getMetadata().getLabels().get("controller-revision-hash");

    fixture.change("apps/v1", "DaemonSet", "default", "proxy", o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
      return o;
    });
    await().until(() -> revisions("proxy").size() == 2);
    assertThat(ds("proxy").getMetadata().getAnnotations()).containsEntry("deprecated.daemonset.template.generation", "2");
    ControllerRevision current = revisions("proxy").get(1);
    assertThat(current.getRevision()).isEqualTo(2L);
    String newHash = current.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(newHash).isNotEqualTo(oldHash);

    Set<String> replaced = new HashSet<>();
    while (replaced.size() < 3) {
      // wait for the controller to start one new pod; never more than one node without an available pod
      await().atMost(Duration.ofSeconds(10)).until(() -> pods("proxy").stream()
          .anyMatch(p -> newHash.equals(p.getMetadata().getLabels().get("controller-revision-hash"))
              && !Pods.isReady(p)));
      long unavailableNodes = List.of("n1", "n2", "n3").stream()
          .filter(node -> podsByNode("proxy").getOrDefault(node, List.of()).stream().noneMatch(Pods::isReady))
          .count();
      assertThat(unavailableNodes).isLessThanOrEqualTo(1);
      Pod fresh = pods("proxy").stream()
          .filter(p -> newHash.equals(p.getMetadata().getLabels().get("controller-revision-hash")) && !Pods.isReady(p))
          .findFirst().orElseThrow();
      assertThat(fresh.getMetadata().getLabels()).containsEntry("pod-template-generation", "2");
      assertThat(fresh.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:2");
      replaced.add(DaemonPodTemplates.targetNodeName(fresh));
      makeReady(fresh);
    }
    await().until(() -> n(status("proxy").getUpdatedNumberScheduled()) == 3 && n(status("proxy").getNumberAvailable()) == 3);
    assertThat(status("proxy").getObservedGeneration()).isEqualTo(2L);
    assertThat(pods("proxy")).allMatch(p -> newHash.equals(p.getMetadata().getLabels().get("controller-revision-hash")));
    assertThat(revisions("proxy")).extracting(ControllerRevision::getRevision).containsExactly(1L, 2L);
  }

  @Test
  void withMaxSurgeTheNewPodStartsBesideTheOldOneWhichGoesOnceItIsAvailable() {
    node("n1");
    node("n2");
    daemonSet("surge", "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}", "");
    await().until(() -> pods("surge").size() == 2);
    pods("surge").forEach(this::makeReady);
    await().until(() -> n(status("surge").getNumberAvailable()) == 2);
    fixture.change("apps/v1", "DaemonSet", "default", "surge", o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
      return o;
    });
    for (int round = 0; round < 2; round++) {
      // one node at a time has both pods; the old one stays until the new one is ready
      await().until(() -> podsByNode("surge").values().stream().filter(p -> p.size() == 2).count() == 1);
      assertThat(pods("surge")).hasSize(3);
      List<Pod> both = podsByNode("surge").values().stream().filter(p -> p.size() == 2).findFirst().orElseThrow();
      Pod fresh = both.stream().filter(p -> p.getSpec().getContainers().get(0).getImage().equals("busybox:2")).findFirst().orElseThrow();
      Pod old = both.stream().filter(p -> p != fresh).findFirst().orElseThrow();
      makeReady(fresh);
      await().until(() -> fixture.get(Pod.class, "default", old.getMetadata().getName()) == null);
    }
    await().until(() -> n(status("surge").getUpdatedNumberScheduled()) == 2 && n(status("surge").getNumberAvailable()) == 2);
    assertThat(pods("surge")).hasSize(2).allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("busybox:2"));
  }

  @Test
  void onDeleteWaitsForPodsToBeDeleted() {
    node("n1");
    node("n2");
    daemonSet("manual", "updateStrategy: {type: OnDelete}", "");
    await().until(() -> pods("manual").size() == 2);
    fixture.change("apps/v1", "DaemonSet", "default", "manual", o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
      return o;
    });
    await().until(() -> revisions("manual").size() == 2 && n(status("manual").getUpdatedNumberScheduled()) == 0
        && status("manual").getObservedGeneration() == 2L);
    assertThat(pods("manual")).hasSize(2);
    Pod gone = pods("manual").get(0);
    fixture.delete("v1", "Pod", "default", gone.getMetadata().getName(), null);
    await().until(() -> n(status("manual").getUpdatedNumberScheduled()) == 1);
    assertThat(pods("manual")).filteredOn(p -> p.getSpec().getContainers().get(0).getImage().equals("busybox:2")).hasSize(1);
  }

  @Test
  void oldRevisionsBeyondTheLimitAreDeleted() {
    daemonSet("hist", "revisionHistoryLimit: 1", "");
    await().until(() -> revisions("hist").size() == 1);
    for (int i = 2; i <= 4; i++) {
      String image = "busybox:" + i;
      fixture.change("apps/v1", "DaemonSet", "default", "hist", o -> {
        ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", image);
        return o;
      });
      long revision = i;
      await().until(() -> revisions("hist").stream().anyMatch(r -> r.getRevision() == revision));
    }
    await().until(() -> revisions("hist").size() == 2);
    assertThat(revisions("hist")).extracting(ControllerRevision::getRevision).containsExactly(3L, 4L);
  }

  @Test
  void rollingBackToAnEarlierTemplateRenumbersItsRevision() {
    daemonSet("undo", "", "");
    await().until(() -> revisions("undo").size() == 1);
    fixture.change("apps/v1", "DaemonSet", "default", "undo", o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
      return o;
    });
    await().until(() -> revisions("undo").size() == 2);
    String firstName = revisions("undo").get(0).getMetadata().getName();
    fixture.change("apps/v1", "DaemonSet", "default", "undo", o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "busybox:1");
      return o;
    });
    await().until(() -> revisions("undo").stream().anyMatch(r -> r.getRevision() == 3L));
    assertThat(revisions("undo")).hasSize(2);
    assertThat(revisions("undo").get(1).getMetadata().getName()).isEqualTo(firstName);
  }
}
