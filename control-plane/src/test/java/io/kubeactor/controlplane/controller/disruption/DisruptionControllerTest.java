package io.kubeactor.controlplane.controller.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.nodelifecycle.Cluster;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PodDisruptionBudget status for minAvailable and maxUnavailable, numbers and percentages. */
class DisruptionControllerTest {

  private Cluster cluster;
  private ActorRef<Controller.Command> controller;

  @BeforeEach
  void start() {
    cluster = new Cluster();
    cluster.node("a", "z1");
    controller = cluster.fixture.start(new DisruptionController(cluster.fixture.context));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** A ReplicaSet (no controller runs it here) and its pods, running and Ready; returns its uid. */
  private String replicaSet(String name, int replicas, int pods, String owner) {
    String uid = cluster.fixture.apply("""
        {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: %s, namespace: default %s},
         spec: {replicas: %d, selector: {matchLabels: {app: %s}},
                template: {metadata: {labels: {app: %s}}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}}}"""
        .formatted(name, owner, replicas, name, name)).path("metadata").path("uid").asText();
    for (int i = 0; i < pods; i++) {
      cluster.pod(name + "-" + i, "a", "{app: " + name + "}",
          "ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}]".formatted(name, uid), "");
      cluster.running(name + "-" + i);
    }
    return uid;
  }

  private void budget(String name, String spec) {
    cluster.fixture.apply("{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: %s, namespace: default}, spec: %s}"
        .formatted(name, spec));
  }

  private PodDisruptionBudgetStatus status(String name) {
    PodDisruptionBudget pdb = cluster.fixture.get(PodDisruptionBudget.class, "default", name);
    return pdb == null ? null : pdb.getStatus();
  }

  private Condition allowed(String name) {
    return status(name).getConditions().stream().filter(c -> c.getType().equals("DisruptionAllowed")).findFirst().orElseThrow();
  }

  @Test
  void minAvailableAsANumberCountsTheSelectedPods() {
    replicaSet("web", 3, 3, "");
    budget("web", "{minAvailable: 2, selector: {matchLabels: {app: web}}}");
    await().until(() -> status("web") != null && status("web").getObservedGeneration() != null);
    PodDisruptionBudgetStatus s = status("web");
    assertThat(s.getCurrentHealthy()).isEqualTo(3);
    assertThat(s.getDesiredHealthy()).isEqualTo(2);
    assertThat(s.getExpectedPods()).isEqualTo(3);
    assertThat(s.getDisruptionsAllowed()).isEqualTo(1);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(allowed("web").getStatus()).isEqualTo("True");
    assertThat(allowed("web").getReason()).isEqualTo("SufficientPods");

    cluster.notReadyPod("web-0");
    await().until(() -> status("web").getCurrentHealthy() == 2);
    assertThat(status("web").getDisruptionsAllowed()).isZero();
    assertThat(allowed("web").getStatus()).isEqualTo("False");
    assertThat(allowed("web").getReason()).isEqualTo("InsufficientPods");
  }

  @Test
  void maxUnavailableAsAPercentageOfTheDeploymentsReplicas() {
    String deployment = cluster.fixture.apply("""
        {apiVersion: apps/v1, kind: Deployment, metadata: {name: api, namespace: default},
         spec: {replicas: 4, selector: {matchLabels: {app: api}},
                template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}}}""")
        .path("metadata").path("uid").asText();
    replicaSet("api", 4, 3, ", ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: %s, controller: true}]"
        .formatted(deployment));
    budget("api", "{maxUnavailable: \"25%\", selector: {matchLabels: {app: api}}}");
    await().until(() -> status("api") != null && status("api").getObservedGeneration() != null);
    PodDisruptionBudgetStatus s = status("api");
    assertThat(s.getExpectedPods()).isEqualTo(4);
    assertThat(s.getDesiredHealthy()).isEqualTo(3);
    assertThat(s.getCurrentHealthy()).isEqualTo(3);
    assertThat(s.getDisruptionsAllowed()).isZero();
  }

  @Test
  void minAvailableAsAPercentageWithAnUnmanagedPodWarns() {
    replicaSet("db", 2, 2, "");
    cluster.pod("stray", "a", "{app: db}", "", "");
    cluster.running("stray");
    budget("db", "{minAvailable: \"50%\", selector: {matchLabels: {app: db}}}");
    await().until(() -> status("db") != null && status("db").getObservedGeneration() != null);
    assertThat(status("db").getExpectedPods()).isEqualTo(2);
    assertThat(status("db").getDesiredHealthy()).isEqualTo(1);
    assertThat(status("db").getCurrentHealthy()).isEqualTo(3);
    assertThat(status("db").getDisruptionsAllowed()).isEqualTo(2);
    await().until(() -> !cluster.events("db", "UnmanagedPods").isEmpty());
    assertThat(cluster.events("db", "UnmanagedPods").get(0).getMessage()).isEqualTo("Pods selected by this "
        + "PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: db,},MatchExpressions:[]"
        + "LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated "
        + "correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" "
        + "field of the PDB to an integer value.");
  }

  @Test
  void aBudgetWhoseCountCannotBeKnownAllowsNothing() {
    cluster.pod("agent", "a", "{app: agent}",
        "ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: 0000-1, controller: true}]", "");
    cluster.running("agent");
    budget("agent", "{maxUnavailable: 1, selector: {matchLabels: {app: agent}}}");
    await().until(() -> status("agent") != null && status("agent").getConditions() != null
        && !status("agent").getConditions().isEmpty());
    assertThat(status("agent").getDisruptionsAllowed()).isZero();
    assertThat(allowed("agent").getStatus()).isEqualTo("False");
    assertThat(allowed("agent").getReason()).isEqualTo("SyncFailed");
    assertThat(allowed("agent").getMessage()).isEqualTo("daemonsets.apps does not implement the scale subresource");
    await().until(() -> !cluster.events("agent", "CalculateExpectedPodCountFailed").isEmpty());
    assertThat(cluster.events("agent", "CalculateExpectedPodCountFailed").get(0).getMessage())
        .isEqualTo("Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource");
  }

  @Test
  void anEvictedPodDoesNotCountUntilItGoesOrTwoMinutesPass() {
    replicaSet("web", 3, 3, "");
    budget("web", "{minAvailable: 1, selector: {matchLabels: {app: web}}}");
    await().until(() -> status("web") != null && status("web").getDisruptionsAllowed() == 2);
    String evictedAt = Timestamps.format(cluster.clock.instant());
    cluster.fixture.changeStatus("policy/v1", "PodDisruptionBudget", "default", "web", p -> {
      p.withObjectProperty("status").put("disruptionsAllowed", 1).putObject("disruptedPods").put("web-1", evictedAt);
      return p;
    });
    await().until(() -> status("web").getCurrentHealthy() == 2);
    assertThat(status("web").getDisruptedPods()).isEqualTo(Map.of("web-1", evictedAt));
    assertThat(status("web").getDisruptionsAllowed()).isEqualTo(1);

    cluster.advance(Duration.ofSeconds(121));
    controller.tell(new Controller.Enqueue("default/web"));
    await().until(() -> status("web").getDisruptedPods() == null || status("web").getDisruptedPods().isEmpty());
    assertThat(status("web").getCurrentHealthy()).isEqualTo(3);
    assertThat(cluster.events("web-1", "NotDeleted")).extracting(e -> e.getMessage())
        .containsExactly("Pod was expected by PDB default/default to be deleted but it wasn't");
  }

  @Test
  void aBudgetSelectingNothingAllowsNothing() {
    budget("none", "{minAvailable: 1, selector: {matchLabels: {app: nothing}}}");
    await().until(() -> status("none") != null && status("none").getObservedGeneration() != null);
    assertThat(status("none").getExpectedPods()).isZero();
    assertThat(status("none").getDisruptionsAllowed()).isZero();
    await().until(() -> !cluster.events("none", "NoPods").isEmpty());
    assertThat(cluster.events("none", "NoPods").get(0).getMessage()).isEqualTo("No matching pods found");
  }
}
