package io.kubeactor.controlplane.controller.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replicaset controller over a real store: pods made, adopted, released, replaced, scaled; status. */
class ReplicaSetControllerTest {

  /** The system clock, which the test can move forward, so pods can be created hours apart. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  static final MovableClock clock = new MovableClock();
  static final ControllerFixture fixture = new ControllerFixture(ControllerSettings.defaults(), clock);

  static ActorRef<Controller.Command> controller;

  @BeforeAll
  static void startController() {
    controller = fixture.start(new ReplicaSetController(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static void namespace(String ns) {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
  }

  static ObjectNode replicaSet(String ns, String name, int replicas, String extraSpec) {
    return fixture.apply("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s, tier: front}}
            spec: {containers: [{name: c, image: nginx}]}
        %s
        """.formatted(name, ns, replicas, name, name, extraSpec == null ? "" : "  " + extraSpec));
  }

  static void barePod(String ns, String name, String app) {
    fixture.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: {app: %s}}
        spec: {containers: [{name: c, image: nginx}]}
        """.formatted(name, ns, app));
  }

  static List<Pod> podsOf(String ns, String rsName) {
    ReplicaSet rs = fixture.get(ReplicaSet.class, ns, rsName);
    return fixture.list(Pod.class, ns).stream()
        .filter(p -> rs != null && OwnerReferences.isControlledBy(p, rs.getMetadata().getUid()))
        .toList();
  }

  static List<Pod> activePodsOf(String ns, String rsName) {
    return podsOf(ns, rsName).stream().filter(Pods::isActive).toList();
  }

  static void scale(String ns, String name, int replicas) {
    fixture.change("apps/v1", "ReplicaSet", ns, name, o -> {
      o.with("spec").put("replicas", replicas);
      return o;
    });
  }

  /** Running and, if {@code readySince} is given, Ready since then. */
  static void running(String ns, String pod, Instant readySince) {
    fixture.changeStatus("v1", "Pod", ns, pod, o -> {
      ObjectNode status = o.with("status");
      status.put("phase", "Running");
      ObjectNode ready = status.putArray("conditions").addObject();
      ready.put("type", "Ready");
      ready.put("status", readySince == null ? "False" : "True");
      ready.put("lastTransitionTime", Timestamps.format(readySince == null ? clock.instant() : readySince));
      return o;
    });
  }

  static ReplicaSet rs(String ns, String name) {
    return fixture.get(ReplicaSet.class, ns, name);
  }

  static int status(ReplicaSet rs, java.util.function.Function<io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus, Integer> f) {
    if (rs == null || rs.getStatus() == null) return -1;
    Integer n = f.apply(rs.getStatus());
    return n == null ? 0 : n;
  }

  @Test
  void createsItsPodsOwnedByItWithAnEventForEach() {
    namespace("rs-create");
    replicaSet("rs-create", "web", 3, null);
    await().until(() -> podsOf("rs-create", "web").size() == 3);
    ReplicaSet rs = rs("rs-create", "web");
    for (Pod p : podsOf("rs-create", "web")) {
      assertThat(p.getMetadata().getName()).startsWith("web-").hasSize("web-".length() + 5);
      assertThat(p.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("tier", "front");
      assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
        assertThat(r.getApiVersion()).isEqualTo("apps/v1");
        assertThat(r.getKind()).isEqualTo("ReplicaSet");
        assertThat(r.getName()).isEqualTo("web");
        assertThat(r.getUid()).isEqualTo(rs.getMetadata().getUid());
        assertThat(r.getController()).isTrue();
        assertThat(r.getBlockOwnerDeletion()).isTrue();
      });
    }
    await().until(() -> status(rs("rs-create", "web"), s -> s.getReplicas()) == 3);
    assertThat(rs("rs-create", "web").getStatus().getObservedGeneration()).isEqualTo(1L);
    Set<String> names = podsOf("rs-create", "web").stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    await().until(() -> fixture.list(Event.class, "rs-create").stream()
        .filter(e -> "SuccessfulCreate".equals(e.getReason())).count() == 3);
    assertThat(fixture.list(Event.class, "rs-create")).filteredOn(e -> "SuccessfulCreate".equals(e.getReason()))
        .allSatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Normal");
          assertThat(e.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
          assertThat(e.getSource().getComponent()).isEqualTo("replicaset-controller");
        })
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrderElementsOf(names.stream().map(n -> "Created pod: " + n).toList());
    // nothing more is created once the count is reached
    fixture.awaitReconciled(controller, "rs-create/web");
    assertThat(fixture.list(Pod.class, "rs-create")).hasSize(3);
  }

  @Test
  void adoptsAMatchingOrphanAndCreatesOnlyTheRest() {
    namespace("rs-adopt");
    barePod("rs-adopt", "bare", "web");
    barePod("rs-adopt", "other", "db");
    replicaSet("rs-adopt", "web", 5, null);
    await().until(() -> podsOf("rs-adopt", "web").size() == 5);
    fixture.awaitReconciled(controller, "rs-adopt/web");
    assertThat(fixture.list(Pod.class, "rs-adopt")).hasSize(6);
    Pod bare = fixture.get(Pod.class, "rs-adopt", "bare");
    assertThat(OwnerReferences.isControlledBy(bare, rs("rs-adopt", "web").getMetadata().getUid())).isTrue();
    assertThat(fixture.get(Pod.class, "rs-adopt", "other").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(fixture.list(Event.class, "rs-adopt")).filteredOn(e -> "SuccessfulCreate".equals(e.getReason())).hasSize(4);
  }

  @Test
  void releasesAPodWhoseLabelsNoLongerMatchAndReplacesIt() {
    namespace("rs-release");
    replicaSet("rs-release", "web", 2, null);
    await().until(() -> podsOf("rs-release", "web").size() == 2);
    String relabeled = podsOf("rs-release", "web").get(0).getMetadata().getName();
    fixture.change("v1", "Pod", "rs-release", relabeled, o -> {
      o.with("metadata").with("labels").put("app", "debug");
      return o;
    });
    await().until(() -> {
      Pod p = fixture.get(Pod.class, "rs-release", relabeled);
      return p.getMetadata().getOwnerReferences() == null || p.getMetadata().getOwnerReferences().isEmpty();
    });
    await().until(() -> podsOf("rs-release", "web").size() == 2 && fixture.list(Pod.class, "rs-release").size() == 3);
    assertThat(podsOf("rs-release", "web")).extracting(p -> p.getMetadata().getName()).doesNotContain(relabeled);
  }

  @Test
  void replacesADeletedPodAndAFailedOne() {
    namespace("rs-replace");
    replicaSet("rs-replace", "web", 2, null);
    await().until(() -> podsOf("rs-replace", "web").size() == 2);
    List<String> first = podsOf("rs-replace", "web").stream().map(p -> p.getMetadata().getName()).toList();

    fixture.delete("v1", "Pod", "rs-replace", first.get(0), null);
    await().until(() -> activePodsOf("rs-replace", "web").size() == 2
        && fixture.get(Pod.class, "rs-replace", first.get(0)) == null);

    fixture.changeStatus("v1", "Pod", "rs-replace", first.get(1), o -> {
      o.with("status").put("phase", "Failed");
      return o;
    });
    await().until(() -> activePodsOf("rs-replace", "web").size() == 2 && podsOf("rs-replace", "web").size() == 3);
    assertThat(activePodsOf("rs-replace", "web")).extracting(p -> p.getMetadata().getName()).doesNotContainAnyElementsOf(first);
    // the failed pod stays (for its logs) and is not counted
    await().until(() -> status(rs("rs-replace", "web"), s -> s.getReplicas()) == 2);
  }

  @Test
  void scalingDownDeletesNotReadyPodsFirst() {
    namespace("rs-down");
    replicaSet("rs-down", "web", 4, null);
    await().until(() -> podsOf("rs-down", "web").size() == 4);
    List<String> names = podsOf("rs-down", "web").stream().map(p -> p.getMetadata().getName()).sorted().toList();
    Instant readySince = clock.instant().minusSeconds(60);
    running("rs-down", names.get(0), readySince);
    running("rs-down", names.get(1), readySince);
    running("rs-down", names.get(2), null);
    running("rs-down", names.get(3), null);
    await().until(() -> status(rs("rs-down", "web"), s -> s.getReadyReplicas()) == 2);

    scale("rs-down", "web", 2);
    await().until(() -> podsOf("rs-down", "web").size() == 2);
    assertThat(podsOf("rs-down", "web")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(names.get(0), names.get(1));
    await().until(() -> fixture.list(Event.class, "rs-down").stream()
        .filter(e -> "SuccessfulDelete".equals(e.getReason())).map(Event::getMessage).collect(Collectors.toSet())
        .equals(Set.of("Deleted pod: " + names.get(2), "Deleted pod: " + names.get(3))));
  }

  @Test
  void scalingDownDeletesTheNewestFirstAndScalingUpAddsPods() {
    namespace("rs-newest");
    replicaSet("rs-newest", "web", 1, null);
    await().until(() -> podsOf("rs-newest", "web").size() == 1);
    String oldest = podsOf("rs-newest", "web").get(0).getMetadata().getName();
    clock.advance(Duration.ofHours(1));
    scale("rs-newest", "web", 2);
    await().until(() -> podsOf("rs-newest", "web").size() == 2);
    String middle = podsOf("rs-newest", "web").stream().map(p -> p.getMetadata().getName())
        .filter(n -> !n.equals(oldest)).findFirst().orElseThrow();
    clock.advance(Duration.ofHours(1));
    scale("rs-newest", "web", 3);
    await().until(() -> podsOf("rs-newest", "web").size() == 3);
    Instant readySince = clock.instant().minusSeconds(30);
    for (Pod p : podsOf("rs-newest", "web")) running("rs-newest", p.getMetadata().getName(), readySince);
    await().until(() -> status(rs("rs-newest", "web"), s -> s.getReadyReplicas()) == 3);

    scale("rs-newest", "web", 2);
    await().until(() -> podsOf("rs-newest", "web").size() == 2);
    assertThat(podsOf("rs-newest", "web")).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder(oldest, middle);
    scale("rs-newest", "web", 1);
    await().until(() -> podsOf("rs-newest", "web").size() == 1);
    assertThat(podsOf("rs-newest", "web")).extracting(p -> p.getMetadata().getName()).containsExactly(oldest);
  }

  @Test
  void statusCountsFullyLabeledReadyAndAvailablePodsAndRequeuesForMinReadySeconds() {
    namespace("rs-status");
    // the adopted bare pod lacks the template's tier label: not fully labeled
    barePod("rs-status", "bare", "web");
    replicaSet("rs-status", "web", 3, "minReadySeconds: 10");
    await().until(() -> podsOf("rs-status", "web").size() == 3);
    List<String> created = podsOf("rs-status", "web").stream().map(p -> p.getMetadata().getName())
        .filter(n -> !n.equals("bare")).sorted().toList();
    await().until(() -> status(rs("rs-status", "web"), s -> s.getReplicas()) == 3
        && status(rs("rs-status", "web"), s -> s.getFullyLabeledReplicas()) == 2);

    running("rs-status", created.get(0), clock.instant().minusSeconds(60));
    // ready for 6 of its 10 seconds: available about four seconds from now
    running("rs-status", created.get(1), clock.instant().minusSeconds(6));
    await().until(() -> status(rs("rs-status", "web"), s -> s.getReadyReplicas()) == 2);
    ReplicaSet now = rs("rs-status", "web");
    assertThat(status(now, s -> s.getAvailableReplicas())).isEqualTo(1);
    assertThat(now.getStatus().getObservedGeneration()).isEqualTo(now.getMetadata().getGeneration());
    assertThat(now.getStatus().getConditions()).isNullOrEmpty();

    // no event brings the second pod's availability: the controller's own requeue does
    await().atMost(Duration.ofSeconds(10)).until(() -> status(rs("rs-status", "web"), s -> s.getAvailableReplicas()) == 2);
  }

  @Test
  void aTemplateWhoseLabelsTheSelectorDoesNotMatchIsRefused() {
    assertThatThrownBy(() -> fixture.apply("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: bad, namespace: default}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: other}}
            spec: {containers: [{name: c, image: nginx}]}
        """))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.template.metadata.labels")
              .contains("`selector` does not match template `labels`");
        });
  }

  @Test
  void replicasDefaultToOne() {
    namespace("rs-default");
    fixture.apply("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web, namespace: rs-default}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx}]}
        """);
    await().until(() -> podsOf("rs-default", "web").size() == 1);
    OwnerReference ref = podsOf("rs-default", "web").get(0).getMetadata().getOwnerReferences().get(0);
    assertThat(ref.getName()).isEqualTo("web");
  }
}
