package io.kubeactor.controlplane.controller.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.Pods;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replication controller: the ReplicaSet controller's logic over ReplicationControllers. */
class ReplicationManagerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static ActorRef<Controller.Command> controller;

  @BeforeAll
  static void startController() {
    controller = fixture.start(ReplicationManager.create(fixture.context));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  static List<Pod> activePodsOf(String ns, String name) {
    String uid = fixture.get(ReplicationController.class, ns, name).getMetadata().getUid();
    return fixture.list(Pod.class, ns).stream()
        .filter(p -> OwnerReferences.isControlledBy(p, uid) && Pods.isActive(p)).toList();
  }

  static int statusReplicas(String ns, String name) {
    ReplicationController rc = fixture.get(ReplicationController.class, ns, name);
    return rc.getStatus() == null || rc.getStatus().getReplicas() == null ? -1 : rc.getStatus().getReplicas();
  }

  static void scale(String ns, String name, int replicas) {
    fixture.change("v1", "ReplicationController", ns, name, o -> {
      o.with("spec").put("replicas", replicas);
      return o;
    });
  }

  @Test
  void scalesItsPodsUpAndDownAndCountsThem() {
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: rc-scale}}");
    fixture.apply("""
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: web, namespace: rc-scale}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx}]}
        """);
    ReplicationController rc = fixture.get(ReplicationController.class, "rc-scale", "web");
    assertThat(rc.getSpec().getSelector()).as("defaulted from the template").containsExactlyEntriesOf(java.util.Map.of("app", "web"));
    assertThat(rc.getMetadata().getLabels()).containsEntry("app", "web");

    await().until(() -> activePodsOf("rc-scale", "web").size() == 2);
    assertThat(activePodsOf("rc-scale", "web")).allSatisfy(p -> {
      assertThat(p.getMetadata().getName()).startsWith("web-");
      assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
        assertThat(r.getApiVersion()).isEqualTo("v1");
        assertThat(r.getKind()).isEqualTo("ReplicationController");
        assertThat(r.getUid()).isEqualTo(rc.getMetadata().getUid());
      });
    });
    await().until(() -> statusReplicas("rc-scale", "web") == 2);

    scale("rc-scale", "web", 3);
    await().until(() -> activePodsOf("rc-scale", "web").size() == 3);
    await().until(() -> statusReplicas("rc-scale", "web") == 3);

    scale("rc-scale", "web", 1);
    await().until(() -> activePodsOf("rc-scale", "web").size() == 1);
    await().until(() -> statusReplicas("rc-scale", "web") == 1);
    assertThat(fixture.get(ReplicationController.class, "rc-scale", "web").getStatus().getObservedGeneration()).isEqualTo(3L);
    fixture.awaitReconciled(controller, "rc-scale/web");
    assertThat(activePodsOf("rc-scale", "web")).hasSize(1);
    assertThat(fixture.list(Event.class, "rc-scale")).filteredOn(e -> "SuccessfulCreate".equals(e.getReason()))
        .hasSize(3).allSatisfy(e -> {
          assertThat(e.getInvolvedObject().getKind()).isEqualTo("ReplicationController");
          assertThat(e.getSource().getComponent()).isEqualTo("replication-controller");
        });
  }
}
