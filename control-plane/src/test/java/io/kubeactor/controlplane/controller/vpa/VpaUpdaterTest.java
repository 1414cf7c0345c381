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
    // the VPA's event is written after the pod's, by its own request
    await().untilAsserted(() -> assertThat(c.cluster.events("web", "EvictedPod")).extracting(e -> e.getMessage())
        .contains("VPA Updater evicted Pod " + first + " to apply resource recommendation."));
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

  private String cpuRequest(String pod) {
    Pod p = c.pod(pod);
    return p.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString();
  }

  @Test
  void inPlaceOrRecreateResizesRunningPodsInPlaceWithAdmissionsRequestsAndLimits() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m}, limits: {cpu: 20m}}");
    String uid = c.pod("web-0").getMetadata().getUid();
    vpa("{updateMode: InPlaceOrRecreate}");
    await().until(() -> cpuRequest("web-0").equals("500m"));
    Pod resized = c.pod("web-0");
    assertThat(resized.getMetadata().getUid()).isEqualTo(uid);
    assertThat(resized.getMetadata().getDeletionTimestamp()).isNull();
    // the limit keeps its ratio to the request, as admission sets it
    assertThat(resized.getSpec().getContainers().get(0).getResources().getLimits().get("cpu").toString()).isEqualTo("1");
    await().until(() -> !c.cluster.events("web-0", "InPlaceResizedByVPA").isEmpty());
    assertThat(c.cluster.events("web-0", "InPlaceResizedByVPA").get(0).getMessage())
        .isEqualTo("Pod was resized in place by VPA Updater.");
    assertThat(c.cluster.events("web", "EvictedPod")).isEmpty();
  }

  @Test
  void aResizeTheApiRefusesFallsBackToEviction() {
    // BestEffort pods: a request would make them Burstable, which a resize may not
    c.replicaSet("web", 2, 2, "{}");
    vpa("{updateMode: InPlaceOrRecreate}");
    await().until(() -> evictedOf("web-0", "web-1") >= 1);
    assertThat(c.cluster.events("web-0", "InPlaceResizedByVPA")).isEmpty();
    assertThat(c.cluster.events("web-1", "InPlaceResizedByVPA")).isEmpty();
  }

  @Test
  void aResizeTheNodeReportsFailedIsEvicted() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m}}");
    vpa("{updateMode: InPlaceOrRecreate}");
    await().until(() -> cpuRequest("web-0").equals("500m") && cpuRequest("web-1").equals("500m"));
    c.cluster.fixture.changeStatus("v1", "Pod", "default", "web-0", p -> {
      p.withObjectProperty("status").withArrayProperty("conditions").addObject().put("type", "PodResizeInProgress")
          .put("status", "True").put("reason", "Error").put("message", "attempting to set container memory limit below current usage");
      return p;
    });
    await().until(() -> evicted("web-0"));
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evicted("web-1")).isFalse();
  }

  @Test
  void aResizeNotConfirmedWithinTheTimeoutIsEvicted() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m}}");
    vpa("{updateMode: InPlaceOrRecreate}");
    await().until(() -> cpuRequest("web-0").equals("500m") && cpuRequest("web-1").equals("500m"));
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evictedOf("web-0", "web-1")).isZero();
    c.cluster.advance(SETTINGS_TIMEOUT.plusSeconds(1));
    await().until(() -> evictedOf("web-0", "web-1") >= 1);
  }

  @Test
  void aResizeTheNodeAppliedIsDone() {
    c.replicaSet("web", 2, 2, "{requests: {cpu: 10m}}");
    vpa("{updateMode: InPlaceOrRecreate}");
    await().until(() -> cpuRequest("web-0").equals("500m") && cpuRequest("web-1").equals("500m"));
    for (String pod : new String[] {"web-0", "web-1"}) {
      c.cluster.fixture.changeStatus("v1", "Pod", "default", pod, p -> {
        p.withObjectProperty("status").withArrayProperty("containerStatuses").addObject().put("name", "c")
            .putObject("resources").putObject("requests").put("cpu", "500m");
        return p;
      });
    }
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    c.cluster.advance(SETTINGS_TIMEOUT.plusSeconds(1));
    c.cluster.fixture.awaitReconciled(updater, "default/web");
    assertThat(evictedOf("web-0", "web-1")).isZero();
  }

  private static final java.time.Duration SETTINGS_TIMEOUT = VpaCluster.SETTINGS.inPlaceResizeTimeout();
}
