package io.kubeactor.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.metrics.PrometheusSamples;
import io.kubeactor.common.metrics.PrometheusText;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler actor over the real store and informers: pods placed in one pass count on their
 * nodes before their bindings land (no node gets more than fits), a pod that fits nowhere waits,
 * and the room a deleted pod leaves is seen through the cache.
 */
class SchedulerTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @BeforeAll
  static void start() {
    for (String node : new String[] {"node-a", "node-b"}) {
      fixture.apply("""
          {apiVersion: v1, kind: Node, metadata: {name: %s, labels: {kubernetes.io/hostname: %s}},
           status: {allocatable: {cpu: "1", memory: 4Gi, pods: "110"}, capacity: {cpu: "1", memory: 4Gi, pods: "110"}}}
          """.formatted(node, node));
    }
    for (int i = 0; i < 5; i++) pod("web-" + i);
    fixture.testKit.spawn(Scheduler.create(fixture.context.informers(), fixture.context.writer(), fixture.context.fresh(),
        fixture.eventRecorder(Clock.systemUTC()), Clock.systemUTC()), "scheduler");
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static void pod(String name) {
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: default},
         spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 400m}}}]}}
        """.formatted(name));
  }

  private static Map<String, Long> podsPerNode() {
    return fixture.list(Pod.class, "default").stream().filter(p -> p.getSpec().getNodeName() != null)
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting()));
  }

  private static String condition(String pod) {
    Pod p = fixture.get(Pod.class, "default", pod);
    if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) return null;
    return p.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled"))
        .map(c -> c.getStatus() + "/" + c.getReason()).findFirst().orElse(null);
  }

  @Test
  void podsPlacedInOnePassNeverOvercommitANodeAndAFreedPlaceIsTaken() {
    // two 400m pods fit a 1-cpu node: four are bound, the fifth is marked unschedulable
    await().until(() -> podsPerNode().values().stream().mapToLong(Long::longValue).sum() == 4
        && fixture.list(Pod.class, "default").stream().anyMatch(p -> "False/Unschedulable".equals(condition(p.getMetadata().getName()))));
    assertThat(podsPerNode()).containsOnly(Map.entry("node-a", 2L), Map.entry("node-b", 2L));
    String waiting = fixture.list(Pod.class, "default").stream().filter(p -> p.getSpec().getNodeName() == null)
        .map(p -> p.getMetadata().getName()).findFirst().orElseThrow();

    String freedNode = fixture.get(Pod.class, "default", "web-0").getSpec().getNodeName();
    // grace period 0: no kubelet here to confirm a graceful deletion
    fixture.registry.delete(fixture.registry.types().find("/api/v1", "pods").orElseThrow(), "default", "web-0",
        new DeleteOptions(0L, null, null, null, false)).toCompletableFuture().join();
    await().until(() -> fixture.get(Pod.class, "default", waiting).getSpec().getNodeName() != null);
    assertThat(fixture.get(Pod.class, "default", waiting).getSpec().getNodeName()).isEqualTo(freedNode);
    assertThat(podsPerNode()).containsOnly(Map.entry("node-a", 2L), Map.entry("node-b", 2L));
  }

  @Test
  void attemptsAndPendingPodsAreMeasuredAsKubeSchedulerNamesThem() {
    // at least the four pods that fit were scheduled and the fifth found unschedulable (other tests may add more)
    await().until(() -> scrape().sum("scheduler_schedule_attempts_total", "result", "scheduled", "profile",
        "default-scheduler") >= 4 && scrape().sum("scheduler_schedule_attempts_total", "result", "unschedulable",
        "profile", "default-scheduler") >= 1);
    PrometheusSamples s = scrape();
    assertThat(s.value("scheduler_scheduling_attempt_duration_seconds_count", "result", "scheduled", "profile",
        "default-scheduler")).hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(4));
    assertThat(s.find("scheduler_scheduling_attempt_duration_seconds_bucket", "result", "scheduled")).hasSize(16);
    for (String queue : new String[] {"active", "backoff", "unschedulable", "gated"}) {
      assertThat(s.find("scheduler_pending_pods", "queue", queue)).hasSize(1);
    }
  }

  private static PrometheusSamples scrape() {
    return PrometheusSamples.parse(new String(PrometheusText.scrape(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
