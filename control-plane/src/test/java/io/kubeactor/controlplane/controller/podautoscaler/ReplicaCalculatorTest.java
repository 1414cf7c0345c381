package io.kubeactor.controlplane.controller.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeactor.controlplane.client.MetricsClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Upstream's replica_calculator_test.go tables for resource metrics (and its pods-metric tables for
 * the plain average-value calculation): each pod has two containers with the same request, the
 * metrics API reports each container's usage, tolerance 0.1, cpu initialization period 2 min and
 * initial readiness delay 10 s as upstream's testing constants.
 */
class ReplicaCalculatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  /** Go's zero time, which upstream's test pods have for their start and transition times. */
  private static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant HOT = NOW;
  private static final Instant COOL = NOW.minus(Duration.ofMinutes(3));

  private final ReplicaCalculator calculator = new ReplicaCalculator(0.1, Duration.ofMinutes(2), Duration.ofSeconds(10),
      Clock.fixed(NOW, ZoneOffset.UTC));

  /** One table row: pods (readiness, start, phase, deletion), their requests and their containers' levels. */
  private static final class Case {
    int currentReplicas;
    String[] readiness;
    Instant[] startTimes;
    String[] phases;
    boolean[] deleting;
    String[] requests = new String[0];
    long[][] levels = new long[0][];
    String[] podNames;
    String container = "";
    String resource = "cpu";
    Instant timestamp = ZERO;

    List<Pod> pods() {
      int count = currentReplicas;
      if (phases != null && phases.length > count) count = phases.length;
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String ready = readiness != null && i < readiness.length ? readiness[i] : "True";
        Instant start = startTimes != null ? startTimes[i] : ZERO;
        String phase = phases != null ? phases[i] : "Running";
        PodBuilder b = new PodBuilder().withNewMetadata().withName("test-pod-" + i).withNamespace("test-namespace")
            .addToLabels("name", "test-pod").endMetadata();
        var spec = b.withNewSpec();
        for (String c : List.of("container1", "container2")) {
          var container = spec.addNewContainer().withName(c);
          if (i < requests.length) container.withNewResources().addToRequests(resource, new Quantity(requests[i])).endResources();
          container.endContainer();
        }
        spec.endSpec();
        b.withNewStatus().withPhase(phase).withStartTime(start.toString())
            .addNewCondition().withType("Ready").withStatus(ready).withLastTransitionTime(ZERO.toString()).endCondition()
            .endStatus();
        if (deleting != null && deleting[i]) b.editMetadata().withDeletionTimestamp(NOW.toString()).endMetadata();
        pods.add(b.build());
      }
      return pods;
    }

    /** What the metrics API reports (a pod per row of levels; a container per level). */
    Map<String, PodMetric> metrics() {
      Map<String, PodMetric> out = new HashMap<>();
      for (int i = 0; i < levels.length; i++) {
        String name = podNames != null && i < podNames.length ? podNames[i] : "test-pod-" + i;
        List<MetricsClient.ContainerMetrics> containers = new ArrayList<>();
        for (int j = 0; j < levels[i].length; j++) {
          long milli = levels[i][j];
          containers.add(new MetricsClient.ContainerMetrics("container" + (j + 1), milli * 1_000_000, milli / 1000));
        }
        var m = new MetricsClient.PodMetrics("test-namespace", name, timestamp, Duration.ofMinutes(1), containers);
        long sum = 0;
        boolean found = container.isEmpty();
        for (MetricsClient.ContainerMetrics c : containers) {
          if (container.isEmpty()) sum += ResourceMetricsReader.milli(resource, c);
          else if (c.name().equals(container)) {
            sum = ResourceMetricsReader.milli(resource, c);
            found = true;
          }
        }
        if (found) out.put(name, new PodMetric(sum, m.timestamp(), m.window()));
      }
      return out;
    }

    ReplicaCalculator.Proposal run(ReplicaCalculator calculator, int targetUtilization) throws MetricsUnavailableException {
      return calculator.resourceReplicas(currentReplicas, targetUtilization, resource, pods(), metrics(), container, timestamp);
    }
  }

  private static long[][] levels(long... perContainer) {
    long[][] out = new long[perContainer.length][];
    for (int i = 0; i < perContainer.length; i++) out[i] = new long[] {perContainer[i], perContainer[i]};
    return out;
  }

  private static String[] ones(int n) {
    String[] out = new String[n];
    java.util.Arrays.fill(out, "1.0");
    return out;
  }

  private void expect(Case c, int target, int replicas, int utilization, long value) throws Exception {
    ReplicaCalculator.Proposal p = c.run(calculator, target);
    assertThat(p.replicas()).as("replicas").isEqualTo(replicas);
    assertThat(p.utilization()).as("utilization").isEqualTo(utilization);
    assertThat(p.rawAverage()).as("raw value").isEqualTo(value);
  }

  @Test
  void disjointResourcesMetrics() {
    Case c = new Case();
    c.currentReplicas = 1;
    c.requests = ones(1);
    c.levels = levels(100);
    c.podNames = new String[] {"an-older-pod-name"};
    assertThatThrownBy(() -> c.run(calculator, 100)).hasMessageContaining("no metrics returned matched known pods");
  }

  @Test
  void scaleUp() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.requests = ones(3);
    c.levels = levels(300, 500, 700);
    expect(c, 30, 5, 50, 2 * 500);
  }

  @Test
  void containerScaleUp() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.requests = ones(3);
    c.levels = new long[][] {{1000, 300}, {1000, 500}, {1000, 700}};
    c.container = "container2";
    expect(c, 30, 5, 50, 500);
  }

  @Test
  void scaleUpUnreadyLessScale() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.readiness = new String[] {"False", "True", "True"};
    c.requests = ones(3);
    c.levels = levels(300, 500, 700);
    expect(c, 30, 4, 60, 2 * 600);
  }

  @Test
  void scaleUpHotCpuLessScale() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.startTimes = new Instant[] {HOT, COOL, COOL};
    c.requests = ones(3);
    c.levels = levels(300, 500, 700);
    expect(c, 30, 4, 60, 2 * 600);
  }

  @Test
  void scaleUpContainerHotCpuLessScale() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.startTimes = new Instant[] {HOT, COOL, COOL};
    c.requests = ones(3);
    c.levels = new long[][] {{0, 300}, {0, 500}, {0, 700}};
    c.container = "container2";
    expect(c, 30, 4, 60, 600);
  }

  @Test
  void scaleUpUnreadyNoScale() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.readiness = new String[] {"True", "False", "False"};
    c.requests = ones(3);
    c.levels = levels(400, 500, 700);
    expect(c, 30, 3, 40, 2 * 400);
  }

  @Test
  void scaleHotCpuNoScale() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.readiness = new String[] {"True", "False", "False"};
    c.startTimes = new Instant[] {COOL, HOT, HOT};
    c.requests = ones(3);
    c.levels = levels(400, 500, 700);
    expect(c, 30, 3, 40, 2 * 400);
  }

  @Test
  void scaleUpIgnoresFailedPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 2;
    c.readiness = new String[] {"True", "True", "False", "False"};
    c.phases = new String[] {"Running", "Running", "Failed", "Failed"};
    c.requests = ones(4);
    c.levels = levels(500, 700);
    expect(c, 30, 4, 60, 2 * 600);
  }

  @Test
  void missingContainerMetricScaleUpIgnoresFailedPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 2;
    c.readiness = new String[] {"True", "True", "False", "False"};
    c.phases = new String[] {"Running", "Running", "Failed", "Failed"};
    c.requests = ones(4);
    c.levels = new long[][] {{1000, 500}, {9000, 700}, {1000}, {9000}};
    c.container = "container2";
    expect(c, 30, 4, 60, 600);
  }

  @Test
  void scaleUpIgnoresDeletionPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 2;
    c.readiness = new String[] {"True", "True", "False", "False"};
    c.phases = new String[] {"Running", "Running", "Running", "Running"};
    c.deleting = new boolean[] {false, false, true, true};
    c.requests = ones(4);
    c.levels = levels(500, 700);
    expect(c, 30, 4, 60, 2 * 600);
  }

  @Test
  void scaleDown() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.requests = ones(5);
    c.levels = levels(100, 300, 500, 250, 250);
    expect(c, 50, 3, 28, 2 * 280);
  }

  @Test
  void containerScaleDown() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.requests = ones(5);
    c.levels = new long[][] {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}};
    c.container = "container2";
    expect(c, 50, 3, 28, 280);
  }

  @Test
  void scaleDownExcludeUnreadyPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.readiness = new String[] {"True", "True", "True", "False", "False"};
    c.requests = ones(5);
    c.levels = levels(100, 300, 500, 250, 250);
    expect(c, 50, 2, 30, 2 * 300);
  }

  @Test
  void scaleDownExcludeUnscheduledPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.readiness = new String[] {"True", "False", "False", "False", "False"};
    c.phases = new String[] {"Running", "Pending", "Pending", "Pending", "Pending"};
    c.requests = ones(5);
    c.levels = levels(100);
    expect(c, 50, 1, 10, 2 * 100);
  }

  @Test
  void scaleDownIgnoreHotCpuPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.startTimes = new Instant[] {COOL, COOL, COOL, HOT, HOT};
    c.requests = ones(5);
    c.levels = levels(100, 300, 500, 250, 250);
    expect(c, 50, 2, 30, 2 * 300);
  }

  @Test
  void scaleDownIgnoresFailedPods() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.readiness = new String[] {"True", "True", "True", "True", "True", "False", "False"};
    c.phases = new String[] {"Running", "Running", "Running", "Running", "Running", "Failed", "Failed"};
    c.requests = ones(7);
    c.levels = levels(100, 300, 500, 250, 250);
    expect(c, 50, 3, 28, 2 * 280);
  }

  @Test
  void scaleDownIgnoresDeletionPodsStillRunning() throws Exception {
    Case c = new Case();
    c.currentReplicas = 5;
    c.readiness = new String[] {"True", "True", "True", "True", "True", "False", "False"};
    c.phases = new String[] {"Running", "Running", "Running", "Running", "Running", "Running", "Running"};
    c.deleting = new boolean[] {false, false, false, false, false, true, true};
    c.requests = ones(7);
    c.levels = new long[][] {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}};
    c.container = "container2";
    expect(c, 50, 3, 28, 280);
  }

  @Test
  void tolerance() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.requests = new String[] {"0.9", "1.0", "1.1"};
    c.levels = levels(1010, 1030, 1020);
    expect(c, 100, 3, 102, 2 * 1020);
  }

  @Test
  void superfluousMetrics() throws Exception {
    Case c = new Case();
    c.currentReplicas = 4;
    c.requests = ones(4);
    c.levels = levels(4000, 9500, 3000, 7000, 3200, 2000);
    expect(c, 100, 24, 587, 2 * 5875);
  }

  @Test
  void missingMetrics() throws Exception {
    Case c = new Case();
    c.currentReplicas = 4;
    c.requests = ones(4);
    c.levels = levels(400, 95);
    expect(c, 100, 3, 24, 495);
  }

  @Test
  void emptyCpuRequest() {
    Case c = new Case();
    c.currentReplicas = 1;
    c.levels = levels(200);
    assertThatThrownBy(() -> c.run(calculator, 100)).hasMessageContaining("missing request for");
  }

  @Test
  void missingMetricsNoChangeEq() throws Exception {
    Case c = new Case();
    c.currentReplicas = 2;
    c.requests = ones(2);
    c.levels = levels(1000);
    expect(c, 100, 2, 100, 2 * 1000);
  }

  @Test
  void missingMetricsNoChangeGt() throws Exception {
    Case c = new Case();
    c.currentReplicas = 2;
    c.requests = ones(2);
    c.levels = levels(1900);
    expect(c, 100, 2, 190, 2 * 1900);
  }

  @Test
  void missingMetricsNoChangeLt() throws Exception {
    Case c = new Case();
    c.currentReplicas = 2;
    c.requests = ones(2);
    c.levels = levels(600);
    expect(c, 100, 2, 60, 2 * 600);
  }

  @Test
  void missingMetricsUnreadyChange() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.readiness = new String[] {"False", "True", "True"};
    c.requests = ones(3);
    c.levels = levels(100, 450);
    expect(c, 50, 3, 45, 2 * 450);
  }

  @Test
  void missingMetricsHotCpuNoChange() throws Exception {
    Case c = new Case();
    c.currentReplicas = 3;
    c.startTimes = new Instant[] {HOT, COOL, COOL};
    c.requests = ones(3);
    c.levels = levels(100, 450);
    expect(c, 50, 3, 45, 2 * 450);
  }

  @Test
  void noPodsIsAnError() {
    Case c = new Case();
    assertThatThrownBy(() -> c.run(calculator, 50))
        .hasMessage("no pods returned by selector while calculating replica count");
  }

  @Test
  void onlyUnreadyPodsIsAnError() {
    Case c = new Case();
    c.currentReplicas = 2;
    c.phases = new String[] {"Pending", "Pending"};
    c.requests = ones(2);
    c.levels = levels(100, 100);
    assertThatThrownBy(() -> c.run(calculator, 50))
        .hasMessage("did not receive metrics for targeted pods (pods might be unready)");
  }

  // ---- the plain average-value calculation (upstream's pods-metric tables, "qps" levels as milli-values) ----

  private ReplicaCalculator.Proposal plain(int current, long target, String[] readiness, Instant[] starts, long... levels)
      throws MetricsUnavailableException {
    Case c = new Case();
    c.currentReplicas = current;
    c.readiness = readiness;
    c.startTimes = starts;
    c.resource = "qps";
    Map<String, PodMetric> metrics = new HashMap<>();
    for (int i = 0; i < levels.length; i++) metrics.put("test-pod-" + i, new PodMetric(levels[i], ZERO, Duration.ofMinutes(1)));
    return calculator.rawResourceReplicas(current, target, "qps", c.pods(), metrics, ZERO);
  }

  @Test
  void plainScaleUp() throws Exception {
    ReplicaCalculator.Proposal p = plain(3, 15000, null, null, 20000, 10000, 30000);
    assertThat(p.replicas()).isEqualTo(4);
    assertThat(p.rawAverage()).isEqualTo(20000);
  }

  @Test
  void plainScaleUpUnreadyHotCpuNoLessScale() throws Exception {
    ReplicaCalculator.Proposal p = plain(3, 15000, new String[] {"True", "True", "False"},
        new Instant[] {COOL, COOL, HOT}, 50000, 10000, 30000);
    assertThat(p.replicas()).isEqualTo(6);
    assertThat(p.rawAverage()).isEqualTo(30000);
  }

  @Test
  void plainScaleUpUnreadyHotCpuScaleWouldScaleDown() throws Exception {
    ReplicaCalculator.Proposal p = plain(3, 15000, new String[] {"False", "True", "False"},
        new Instant[] {HOT, COOL, HOT}, 50000, 15000, 30000);
    assertThat(p.replicas()).isEqualTo(7);
    assertThat(p.rawAverage()).isEqualTo(31666);
  }

  @Test
  void plainScaleDown() throws Exception {
    ReplicaCalculator.Proposal p = plain(5, 20000, null, null, 12000, 12000, 12000, 12000, 12000);
    assertThat(p.replicas()).isEqualTo(3);
    assertThat(p.rawAverage()).isEqualTo(12000);
  }

  @Test
  void plainTolerance() throws Exception {
    ReplicaCalculator.Proposal p = plain(3, 20000, null, null, 20000, 21000, 21000);
    assertThat(p.replicas()).isEqualTo(3);
    assertThat(p.rawAverage()).isEqualTo(20666);
  }

  @Test
  void plainMissingMetricsNoChangeEq() throws Exception {
    ReplicaCalculator.Proposal p = plain(5, 20000, null, null, 20000, 19000, 21000);
    assertThat(p.replicas()).isEqualTo(5);
    assertThat(p.rawAverage()).isEqualTo(20000);
  }
}
