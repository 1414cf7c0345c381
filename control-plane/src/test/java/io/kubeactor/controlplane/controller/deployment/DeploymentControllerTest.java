package io.kubeactor.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment controller over a real store, without a ReplicaSet controller: ReplicaSets "run"
 * by {@link ReplicaSetRunner} (in the namespaces it is given) or by the test writing their status.
 */
class DeploymentControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static ReplicaSetRunner runner;

  @BeforeAll
  static void start() {
    fixture.start(new DeploymentController(fixture.context));
    runner = new ReplicaSetRunner(fixture.context);
    fixture.start(runner);
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  // ---- scenarios ----

  @Test
  void scalingUpAndDownResizesTheOneReplicaSet() {
    String ns = namespace("scale", true);
    apply(ns, "web", 2, "nginx:1", "");
    ReplicaSet rs = awaitReplicaSet(ns, "nginx:1", 2);
    awaitComplete(ns, "web");

    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(hash).isEqualTo(PodTemplates.hash(deployment(ns, "web").getSpec().getTemplate(), null));
    assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash).containsEntry("app", "web");
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
    OwnerReference ref = rs.getMetadata().getOwnerReferences().get(0);
    assertThat(ref.getKind()).isEqualTo("Deployment");
    assertThat(ref.getName()).isEqualTo("web");
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getBlockOwnerDeletion()).isTrue();
    assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
        .containsEntry("deployment.kubernetes.io/max-replicas", "3");

    Deployment d = deployment(ns, "web");
    assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    assertThat(d.getStatus().getReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getUnavailableReplicas()).isNull();
    assertThat(condition(d, "Available")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
      assertThat(c.getMessage()).isEqualTo("Deployment has minimum availability.");
    });
    assertThat(condition(d, "Progressing")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
      assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" has successfully progressed.");
    });

    scale(ns, "web", 4);
    awaitReplicaSet(ns, "nginx:1", 4);
    awaitComplete(ns, "web");
    scale(ns, "web", 2);
    awaitReplicaSet(ns, "nginx:1", 2);
    awaitComplete(ns, "web");

    assertThat(replicaSets(ns)).hasSize(1);
    assertThat(replicaSets(ns).get(0).getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/desired-replicas", "2");
    String name = rs.getMetadata().getName();
    await().until(() -> scalingEvents(ns).size() == 3);
    assertThat(scalingEvents(ns)).containsExactly(
        "Scaled up replica set " + name + " from 0 to 2",
        "Scaled up replica set " + name + " from 2 to 4",
        "Scaled down replica set " + name + " from 4 to 2");
  }

  @Test
  void aNewTemplateRollsOutWithinMaxSurgeAndMaxUnavailable() {
    String ns = namespace("rolling", true);
    // 3 replicas at 25%: surge rounds up to 1, unavailability down to 0
    apply(ns, "web", 3, "nginx:1", "");
    ReplicaSet first = awaitReplicaSet(ns, "nginx:1", 3);
    awaitComplete(ns, "web");
    List<int[]> states = recordStates(ns);

    setImage(ns, "web", "nginx:2");
    ReplicaSet second = awaitReplicaSet(ns, "nginx:2", 3);
    await().until(() -> replicaSet(ns, "nginx:1").map(ReplicaSets::replicas).orElse(-1) == 0);
    awaitComplete(ns, "web");

    assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName())
        .isEqualTo("web-" + second.getMetadata().getLabels().get("pod-template-hash"));
    assertThat(second.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(states).isNotEmpty().allSatisfy(s -> {
      assertThat(s[0]).as("pods asked for").isLessThanOrEqualTo(3 + 1);
      assertThat(s[1]).as("pods available").isGreaterThanOrEqualTo(3 - 0);
    });
    await().until(() -> scalingEvents(ns).size() >= 7);
    assertThat(scalingEvents(ns)).startsWith(
        "Scaled up replica set " + first.getMetadata().getName() + " from 0 to 3",
        "Scaled up replica set " + second.getMetadata().getName() + " from 0 to 1",
        "Scaled down replica set " + first.getMetadata().getName() + " from 3 to 2");
    Deployment d = deployment(ns, "web");
    assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(condition(d, "Progressing").orElseThrow().getMessage())
        .isEqualTo("ReplicaSet \"" + second.getMetadata().getName() + "\" has successfully progressed.");
  }

  @Test
  void newPodsThatNeverBecomeAvailableLeaveTheOldOnesServingUntilTheDeadline() {
    String ns = namespace("stuck", true);
    runner.brokenImages.add("photoview:v10");
    apply(ns, "web", 4, "photoview:v1", "progressDeadlineSeconds: 1");
    awaitReplicaSet(ns, "photoview:v1", 4);
    awaitComplete(ns, "web");

    setImage(ns, "web", "photoview:v10");
    // 25% of 4: one more pod than asked for, one fewer available
    await().atMost(Duration.ofSeconds(10)).until(() -> condition(deployment(ns, "web"), "Progressing")
        .map(c -> "ProgressDeadlineExceeded".equals(c.getReason())).orElse(false));
    ReplicaSet broken = replicaSet(ns, "photoview:v10").orElseThrow();
    assertThat(ReplicaSets.replicas(replicaSet(ns, "photoview:v1").orElseThrow())).isEqualTo(3);
    assertThat(ReplicaSets.replicas(broken)).isEqualTo(2);
    Deployment d = deployment(ns, "web");
    DeploymentCondition progressing = condition(d, "Progressing").orElseThrow();
    assertThat(progressing.getStatus()).isEqualTo("False");
    assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"" + broken.getMetadata().getName() + "\" has timed out progressing.");
    assertThat(condition(d, "Available").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(2);
  }

  @Test
  void reapplyingAnOldTemplateTakesItsReplicaSetBackWithTheNextRevision() {
    String ns = namespace("reuse", true);
    apply(ns, "web", 2, "nginx:1", "");
    ReplicaSet first = awaitReplicaSet(ns, "nginx:1", 2);
    awaitComplete(ns, "web");
    annotate(ns, "web", "kubernetes.io/change-cause", "kubectl set image deployment/web web=nginx:2");
    setImage(ns, "web", "nginx:2");
    ReplicaSet second = awaitReplicaSet(ns, "nginx:2", 2);
    awaitComplete(ns, "web");
    assertThat(second.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/change-cause", "kubectl set image deployment/web web=nginx:2");

    setImage(ns, "web", "nginx:1");
    await().until(() -> replicaSet(ns, "nginx:1").map(rs -> ReplicaSets.replicas(rs) == 2
        && "3".equals(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))).orElse(false));
    awaitComplete(ns, "web");
    ReplicaSet again = replicaSet(ns, "nginx:1").orElseThrow();
    assertThat(again.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(again.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision-history", "1");
    assertThat(replicaSets(ns)).hasSize(2);
    assertThat(ReplicaSets.replicas(replicaSet(ns, "nginx:2").orElseThrow())).isZero();
    assertThat(deployment(ns, "web").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
  }

  @Test
  void oldReplicaSetsBeyondTheHistoryLimitAreDeletedOldestFirst() {
    String ns = namespace("history", true);
    apply(ns, "web", 1, "nginx:1", "revisionHistoryLimit: 1");
    awaitReplicaSet(ns, "nginx:1", 1);
    awaitComplete(ns, "web");
    setImage(ns, "web", "nginx:2");
    awaitReplicaSet(ns, "nginx:2", 1);
    awaitComplete(ns, "web");
    setImage(ns, "web", "nginx:3");
    awaitReplicaSet(ns, "nginx:3", 1);
    awaitComplete(ns, "web");

    await().until(() -> replicaSet(ns, "nginx:1").isEmpty());
    assertThat(replicaSets(ns)).hasSize(2);
    assertThat(ReplicaSets.replicas(replicaSet(ns, "nginx:2").orElseThrow())).isZero();
  }

  @Test
  void recreateScalesTheOldDownAndStartsTheNewOnlyWhenNoOldPodRuns() {
    String ns = namespace("recreate", false);
    apply(ns, "web", 2, "nginx:1", "strategy: {type: Recreate}");
    ReplicaSet old = awaitReplicaSet(ns, "nginx:1", 2);
    runReplicaSet(ns, old.getMetadata().getName(), 2);
    awaitComplete(ns, "web");
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: old-pod, namespace: %s, labels: {app: web, pod-template-hash: %s},
         ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}]},
         spec: {containers: [{name: web, image: 'nginx:1'}]}}
        """.formatted(ns, old.getMetadata().getLabels().get("pod-template-hash"), old.getMetadata().getName(),
        old.getMetadata().getUid()));
    fixture.changeStatus("v1", "Pod", ns, "old-pod", p -> {
      p.with("status").put("phase", "Running");
      return p;
    });

    setImage(ns, "web", "nginx:2");
    await().until(() -> ReplicaSets.replicas(replicaSet(ns, "nginx:1").orElseThrow()) == 0);
    assertThat(replicaSet(ns, "nginx:2")).isEmpty();
    // the old ReplicaSet reports no pods, but one of its pods still runs
    runReplicaSet(ns, old.getMetadata().getName(), 0);
    await().until(() -> Deployments.nz(deployment(ns, "web").getStatus().getReplicas()) == 0);
    assertThat(replicaSet(ns, "nginx:2")).isEmpty();

    fixture.delete("v1", "Pod", ns, "old-pod", null);
    ReplicaSet fresh = awaitReplicaSet(ns, "nginx:2", 2);
    await().until(() -> scalingEvents(ns).size() == 3);
    assertThat(scalingEvents(ns)).containsExactly(
        "Scaled up replica set " + old.getMetadata().getName() + " from 0 to 2",
        "Scaled down replica set " + old.getMetadata().getName() + " from 2 to 0",
        "Scaled up replica set " + fresh.getMetadata().getName() + " from 0 to 2");
    runReplicaSet(ns, fresh.getMetadata().getName(), 2);
    awaitComplete(ns, "web");
  }

  @Test
  void aPausedDeploymentScalesButDoesNotRollOutUntilResumed() {
    String ns = namespace("paused", true);
    apply(ns, "web", 2, "nginx:1", "");
    awaitReplicaSet(ns, "nginx:1", 2);
    awaitComplete(ns, "web");
    List<String> reasons = recordProgressingReasons(ns, "web");

    change(ns, "web", d -> {
      d.with("spec").put("paused", true);
      return d;
    });
    await().until(() -> condition(deployment(ns, "web"), "Progressing")
        .map(c -> "DeploymentPaused".equals(c.getReason()) && "Unknown".equals(c.getStatus())
            && "Deployment is paused".equals(c.getMessage())).orElse(false));
    setImage(ns, "web", "nginx:2");
    scale(ns, "web", 3);
    awaitReplicaSet(ns, "nginx:1", 3);
    await().until(() -> observed(deployment(ns, "web")));
    assertThat(replicaSets(ns)).hasSize(1);

    change(ns, "web", d -> {
      d.with("spec").put("paused", false);
      return d;
    });
    awaitReplicaSet(ns, "nginx:2", 3);
    await().until(() -> replicaSet(ns, "nginx:1").map(ReplicaSets::replicas).orElse(-1) == 0);
    awaitComplete(ns, "web");
    assertThat(reasons).containsSubsequence("DeploymentPaused", "DeploymentResumed", "NewReplicaSetAvailable");
  }

  @Test
  void scalingToZeroLeavesTheReplicaSetEmptyAndTheDeploymentAvailable() {
    String ns = namespace("zero", true);
    apply(ns, "web", 2, "nginx:1", "");
    ReplicaSet rs = awaitReplicaSet(ns, "nginx:1", 2);
    awaitComplete(ns, "web");
    scale(ns, "web", 0);
    awaitReplicaSet(ns, "nginx:1", 0);
    await().until(() -> observed(deployment(ns, "web")) && deployment(ns, "web").getStatus().getReplicas() == null);
    Deployment d = deployment(ns, "web");
    assertThat(d.getStatus().getAvailableReplicas()).isNull();
    assertThat(condition(d, "Available").orElseThrow().getStatus()).isEqualTo("True");
    await().until(() -> scalingEvents(ns).contains("Scaled down replica set " + rs.getMetadata().getName() + " from 2 to 0"));
  }

  @Test
  void scalingMidRolloutSharesTheNewReplicasInProportion() {
    String ns = namespace("proportional", false);
    apply(ns, "web", 10, "nginx:1", "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 3, maxUnavailable: 2}}");
    ReplicaSet old = awaitReplicaSet(ns, "nginx:1", 10);
    runReplicaSet(ns, old.getMetadata().getName(), 10);
    awaitComplete(ns, "web");

    // the new pods never become available: the rollout stops at 8 old and 5 new
    setImage(ns, "web", "nginx:bad");
    awaitReplicaSet(ns, "nginx:bad", 5);
    await().until(() -> ReplicaSets.replicas(replicaSet(ns, "nginx:1").orElseThrow()) == 8);

    scale(ns, "web", 15);
    ReplicaSet fresh = awaitReplicaSet(ns, "nginx:bad", 7);
    awaitReplicaSet(ns, "nginx:1", 11);
    await().until(() -> scalingEvents(ns).contains("Scaled up replica set " + old.getMetadata().getName() + " from 8 to 11")
        && scalingEvents(ns).contains("Scaled up replica set " + fresh.getMetadata().getName() + " from 5 to 7"));
    assertThat(fresh.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/desired-replicas", "15")
        .containsEntry("deployment.kubernetes.io/max-replicas", "18");
  }

  @Test
  void aReplicaSetThatMatchesTheSelectorIsAdoptedAndOneThatNoLongerMatchesIsReleased() {
    String ns = namespace("adopt", true);
    fixture.apply("""
        {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: orphan, namespace: %s, labels: {app: web}},
         spec: {replicas: 1, selector: {matchLabels: {app: web}},
                template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: 'nginx:1'}]}}}}
        """.formatted(ns));
    apply(ns, "web", 1, "nginx:1", "");
    await().until(() -> replicaSet(ns, "nginx:1").map(rs -> rs.getMetadata().getOwnerReferences() != null
        && !rs.getMetadata().getOwnerReferences().isEmpty()).orElse(false));
    awaitComplete(ns, "web");
    // the adopted ReplicaSet is the new one: nothing else is created
    assertThat(replicaSets(ns)).extracting(rs -> rs.getMetadata().getName()).containsExactly("orphan");

    fixture.change("apps/v1", "ReplicaSet", ns, "orphan", rs -> {
      ((ObjectNode) rs.path("metadata").path("labels")).put("app", "other");
      return rs;
    });
    await().until(() -> {
      ReplicaSet rs = fixture.get(ReplicaSet.class, ns, "orphan");
      return rs.getMetadata().getOwnerReferences() == null || rs.getMetadata().getOwnerReferences().isEmpty();
    });
  }

  @Test
  void kubectlRolloutUndoPatchesTheOldTemplateBackAndItsReplicaSetTakesTheNextRevision() {
    String ns = namespace("undo", true);
    apply(ns, "web", 2, "nginx:1", "");
    annotate(ns, "web", "kubernetes.io/change-cause", "v1");
    ReplicaSet first = awaitReplicaSet(ns, "nginx:1", 2);
    await().until(() -> "v1".equals(replicaSet(ns, "nginx:1").orElseThrow().getMetadata().getAnnotations()
        .get("kubernetes.io/change-cause")));
    awaitComplete(ns, "web");
    annotate(ns, "web", "kubernetes.io/change-cause", "v2");
    setImage(ns, "web", "nginx:2");
    awaitReplicaSet(ns, "nginx:2", 2);
    awaitComplete(ns, "web");

    // kubectl rollout undo: the revision's template as Go writes it (no hash label, zero values
    // included), and its annotations but the Deployment's own
    ReplicaSet revision1 = replicaSet(ns, "nginx:1").orElseThrow();
    ObjectNode template = io.kubeactor.common.Json.toTree(revision1.getSpec().getTemplate());
    ((ObjectNode) template.path("metadata").path("labels")).remove("pod-template-hash");
    ((ObjectNode) template.path("metadata")).putNull("creationTimestamp");
    ((ObjectNode) template.path("spec").path("containers").path(0)).putObject("resources");
    ObjectNode annotations = io.kubeactor.common.Json.object()
        .put("deployment.kubernetes.io/revision", "2").put("kubernetes.io/change-cause", "v1");
    com.fasterxml.jackson.databind.node.ArrayNode patch = io.kubeactor.common.Json.MAPPER.createArrayNode();
    patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
    patch.addObject().put("op", "replace").put("path", "/metadata/annotations").set("value", annotations);
    fixture.registry.patch(fixture.context.informers().typeOf(Deployment.class), ns, "web", null,
        "application/json-patch+json", patch, io.kubeactor.controlplane.registry.WriteOptions.internal())
        .toCompletableFuture().join();

    await().until(() -> replicaSet(ns, "nginx:1").map(rs -> ReplicaSets.replicas(rs) == 2
        && "3".equals(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))).orElse(false));
    awaitComplete(ns, "web");
    assertThat(replicaSets(ns)).hasSize(2);
    assertThat(replicaSet(ns, "nginx:1").orElseThrow().getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(replicaSet(ns, "nginx:1").orElseThrow().getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision-history", "1")
        .containsEntry("kubernetes.io/change-cause", "v1");
  }

  @Test
  void aNameTakenByAnotherReplicaSetIsAHashCollisionAndTheNextHashIsUsed() {
    String ns = namespace("collision", true);
    apply(ns, "web", 1, "nginx:1", "paused: true");
    await().until(() -> observed(deployment(ns, "web")));
    String taken = "web-" + PodTemplates.hash(deployment(ns, "web").getSpec().getTemplate(), null);
    fixture.apply("""
        {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: %s, namespace: %s, labels: {app: other}},
         spec: {replicas: 0, selector: {matchLabels: {app: other}},
                template: {metadata: {labels: {app: other}}, spec: {containers: [{name: other, image: 'busybox'}]}}}}
        """.formatted(taken, ns));
    change(ns, "web", d -> {
      d.with("spec").put("paused", false);
      return d;
    });

    ReplicaSet rs = awaitReplicaSet(ns, "nginx:1", 1);
    Deployment d = deployment(ns, "web");
    assertThat(d.getStatus().getCollisionCount()).isEqualTo(1);
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + PodTemplates.hash(d.getSpec().getTemplate(), 1));
    assertThat(fixture.get(ReplicaSet.class, ns, taken).getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  // ---- helpers ----

  private static String namespace(String name, boolean run) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + name + "}}");
    if (run) runner.namespaces.add(name);
    return name;
  }

  private static void apply(String ns, String name, int replicas, String image, String extraSpec) {
    fixture.apply("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: web, image: '%s'}]
          %s
        """.formatted(name, ns, replicas, name, name, image, extraSpec));
  }

  private static void change(String ns, String name, UnaryOperator<ObjectNode> change) {
    fixture.change("apps/v1", "Deployment", ns, name, change);
  }

  private static void setImage(String ns, String name, String image) {
    change(ns, name, d -> {
      ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").path(0)).put("image", image);
      return d;
    });
  }

  private static void scale(String ns, String name, int replicas) {
    change(ns, name, d -> {
      d.with("spec").put("replicas", replicas);
      return d;
    });
  }

  private static void annotate(String ns, String name, String key, String value) {
    change(ns, name, d -> {
      d.with("metadata").with("annotations").put(key, value);
      return d;
    });
  }

  /** Makes a ReplicaSet report {@code available} of its pods running, ready and available. */
  private static void runReplicaSet(String ns, String name, int available) {
    fixture.changeStatus("apps/v1", "ReplicaSet", ns, name, rs -> {
      ObjectNode status = rs.putObject("status");
      status.put("replicas", available).put("readyReplicas", available).put("availableReplicas", available)
          .put("observedGeneration", rs.path("metadata").path("generation").asLong());
      return rs;
    });
  }

  private static Deployment deployment(String ns, String name) {
    return fixture.get(Deployment.class, ns, name);
  }

  private static List<ReplicaSet> replicaSets(String ns) {
    return fixture.list(ReplicaSet.class, ns);
  }

  private static Optional<ReplicaSet> replicaSet(String ns, String image) {
    return replicaSets(ns).stream()
        .filter(rs -> image.equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
        .findFirst();
  }

  private static ReplicaSet awaitReplicaSet(String ns, String image, int replicas) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> replicaSet(ns, image).map(rs -> ReplicaSets.replicas(rs) == replicas).orElse(false));
    return replicaSet(ns, image).orElseThrow();
  }

  private static boolean observed(Deployment d) {
    return d.getStatus() != null && d.getStatus().getObservedGeneration() != null
        && d.getStatus().getObservedGeneration().equals(d.getMetadata().getGeneration());
  }

  /** What {@code kubectl rollout status} waits for. */
  private static void awaitComplete(String ns, String name) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Deployment d = deployment(ns, name);
      int n = Deployments.replicas(d);
      return observed(d) && Deployments.nz(d.getStatus().getUpdatedReplicas()) == n
          && Deployments.nz(d.getStatus().getReplicas()) == n && Deployments.nz(d.getStatus().getAvailableReplicas()) == n;
    });
  }

  private static Optional<DeploymentCondition> condition(Deployment d, String type) {
    return d.getStatus() == null ? Optional.empty() : DeploymentConditions.get(d.getStatus(), type);
  }

  private static List<String> scalingEvents(String ns) {
    return fixture.list(Event.class, ns).stream()
        .filter(e -> "ScalingReplicaSet".equals(e.getReason()))
        .sorted(Comparator.comparing((Event e) -> e.getMetadata().getCreationTimestamp())
            .thenComparing(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .map(Event::getMessage)
        .toList();
  }

  /**
   * From now on, after each change of the namespace's ReplicaSets: the pods asked for in all, and
   * the pods available in all (no ReplicaSet counts more available pods than it is asked for).
   */
  private static List<int[]> recordStates(String ns) {
    List<int[]> states = new CopyOnWriteArrayList<>();
    Informer<ReplicaSet> informer = fixture.context.informers().of(ReplicaSet.class);
    informer.addHandler(e -> {
      if (!ns.equals(e.object().getMetadata().getNamespace())) return;
      List<ReplicaSet> all = informer.list(ns);
      int asked = all.stream().mapToInt(ReplicaSets::replicas).sum();
      int available = all.stream().mapToInt(rs -> Math.min(ReplicaSets.replicas(rs), ReplicaSets.availableReplicas(rs))).sum();
      states.add(new int[] {asked, available});
    });
    return states;
  }

  private static List<String> recordProgressingReasons(String ns, String name) {
    List<String> reasons = new CopyOnWriteArrayList<>();
    fixture.context.informers().of(Deployment.class).addHandler(e -> {
      if (!Informer.key(ns, name).equals(Informer.keyOf(e.object()))) return;
      condition(e.object(), "Progressing").map(DeploymentCondition::getReason)
          .filter(r -> reasons.isEmpty() || !reasons.get(reasons.size() - 1).equals(r))
          .ifPresent(reasons::add);
    });
    return reasons;
  }
}
