package io.kubeactor.controlplane.controller.vpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.controller.Controller;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The updater: which pods it evicts, how many at once, and in which modes. */
class VpaUpdaterTest {

  private VpaCluster c;
  private ActorRef<Controller.Command> updater;

  @BeforeEach
  void start() {
    c = new VpaCluster();
    updater = c.cluster.fixture.start(new VpaUpdater(c.cluster.fixture.context));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private void vpa(String updatePolicy) {
    c.apply("""
        {apiVersion: autoscaling.k8s.io/v1, kind: VerticalPodAutoscaler, metadata: {name: web, namespace: default},
         spec: {targetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}, updatePolicy: %s}}""".formatted(updatePolicy));
    c.recommendation("web", "{containerName: c, target: {cpu: 500m}, lowerBound: {cpu: 100m}, upperBound: {cpu: '2'}}");
  }

  private boolean evicted(String pod) {
    Pod p = c.pod(pod);
    return p == null || p.getMetadata().getDeletionTimestamp() != null;
  }

  private long evictedOf(String... pods) {
    return Stream.of(pods).filter(this::evicted).count();
  }

  @Test
  void recreateEvictsPodsOutsideTheRangeNoMoreThanTheToleranceAtOnce() {
    c.replicaSet("web", 4, 4, "{requests: {cpu: 10m}}");
    vpa("{updateMode: Recreate}");
    await().until(() -> evictedOf("web-0", "web-1", "web-2", "web-3") >= 2);
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    // tolerance 0.5 of 4: two go; while they are being deleted the two left are the fewest that may run
    assertThat(evictedOf("web-0", "web-1", "web-2", "web-3")).isEqualTo(2);
    String first = Stream.of("web-0", "web-1", "web-2", "web-3").filter(this::evicted).findFirst().orElseThrow();
    await().until(() -> !c.cluster.events(first, "EvictedByVPA").isEmpty());
    assertThat(c.cluster.events(first, "EvictedByVPA").get(0).getMessage())
        .isEqualTo("Pod was evicted by VPA Updater to apply resource recommendation.");
    assertThat(c.cluster.events("web", "EvictedPod")).extracting(e -> e.getMessage())
        .contains("VPA Updater evicted Pod " + first + " to apply resource recommendation.");
  }

  @Test
  void podsWithinTheRangeStay() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 400m}}");
    vpa("{updateMode: Auto}");
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evictedOf("web-0", "web-1")).isZero();
  }

  @Test
  void initialAndOffNeverEvict() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m}}");
    vpa("{updateMode: Initial}");
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evictedOf("web-0", "web-1")).isZero();
  }

  @Test
  void aSingleReplicaIsEvictedOnlyWhenTheVpaAllowsOneReplica() {
    c.replicaSet("web", 1, 1, "{requests: {cpu: 10m}}");
    vpa("{updateMode: Recreate}");
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evicted("web-0")).isFalse();

    c.cluster.fixture.change("autoscaling.k8s.io/v1", "VerticalPodAutoscaler", "default", "web", v -> {
      v.withObjectProperty("spec").withObjectProperty("updatePolicy").put("minReplicas", 1);
      return v;
    });
    await().until(() -> evicted("web-0"));
  }

  @Test
  void aPodDisruptionBudgetHoldsEvictions() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m}}");
    c.cluster.fixture.apply("""
        {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: web, namespace: default},
         spec: {minAvailable: 2, selector: {matchLabels: {app: web}}},
         status: {}}""");
    vpa("{updateMode: Recreate}");
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evictedOf("web-0", "web-1")).isZero();
    assertThat(c.cluster.events("web", "EvictedPod")).isEmpty();
  }
}
