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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
    final String name;
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

    Case(String name, int currentReplicas) {
      this.name = name;
      this.currentReplicas = currentReplicas;
    }

    Case requests(String... r) {
      requests = r;
      return this;
    }

    /** Every pod a request of 1 cpu. */
    Case cpus(int pods) {
      return requests(ones(pods));
    }

    /** Both containers of each pod at the level. */
    Case levels(long... perContainer) {
      levels = new long[perContainer.length][];
      for (int i = 0; i < perContainer.length; i++) levels[i] = new long[] {perContainer[i], perContainer[i]};
      return this;
    }

    Case containerLevels(long[]... l) {
      levels = l;
      return this;
    }

    Case readiness(String... r) {
      readiness = r;
      return this;
    }

    Case starts(Instant... s) {
      startTimes = s;
      return this;
    }

    Case phases(String... p) {
      phases = p;
      return this;
    }

    Case deleting(boolean... d) {
      deleting = d;
      return this;
    }

    Case container(String c) {
      container = c;
      return this;
    }

    @Override
    public String toString() {
      return name;
    }

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

  private static String[] ones(int n) {
    String[] out = new String[n];
    java.util.Arrays.fill(out, "1.0");
    return out;
  }

  /** A table row: the case, the target utilization, and the replicas, utilization and raw value expected. */
  private static Arguments row(Case c, int target, int replicas, int utilization, long value) {
    return Arguments.of(c, target, replicas, utilization, value);
  }

  static Stream<Arguments> resourceTable() {
    String t = "True";
    String f = "False";
    String run = "Running";
    return Stream.of(
        row(new Case("scale up", 3).cpus(3).levels(300, 500, 700), 30, 5, 50, 2 * 500),
        row(new Case("container scale up", 3).cpus(3).containerLevels(new long[] {1000, 300}, new long[] {1000, 500},
            new long[] {1000, 700}).container("container2"), 30, 5, 50, 500),
        row(new Case("scale up unready less scale", 3).readiness(f, t, t).cpus(3).levels(300, 500, 700), 30, 4, 60, 2 * 600),
        row(new Case("scale up hot cpu less scale", 3).starts(HOT, COOL, COOL).cpus(3).levels(300, 500, 700), 30, 4, 60,
            2 * 600),
        row(new Case("scale up container hot cpu less scale", 3).starts(HOT, COOL, COOL).cpus(3)
            .containerLevels(new long[] {0, 300}, new long[] {0, 500}, new long[] {0, 700}).container("container2"),
            30, 4, 60, 600),
        row(new Case("scale up unready no scale", 3).readiness(t, f, f).cpus(3).levels(400, 500, 700), 30, 3, 40, 2 * 400),
        row(new Case("scale hot cpu no scale", 3).readiness(t, f, f).starts(COOL, HOT, HOT).cpus(3).levels(400, 500, 700),
            30, 3, 40, 2 * 400),
        row(new Case("scale up ignores failed pods", 2).readiness(t, t, f, f).phases(run, run, "Failed", "Failed").cpus(4)
            .levels(500, 700), 30, 4, 60, 2 * 600),
        row(new Case("missing container metric scale up ignores failed pods", 2).readiness(t, t, f, f)
            .phases(run, run, "Failed", "Failed").cpus(4).container("container2")
            .containerLevels(new long[] {1000, 500}, new long[] {9000, 700}, new long[] {1000}, new long[] {9000}),
            30, 4, 60, 600),
        row(new Case("scale up ignores deletion pods", 2).readiness(t, t, f, f).phases(run, run, run, run)
            .deleting(false, false, true, true).cpus(4).levels(500, 700), 30, 4, 60, 2 * 600),
        row(new Case("scale down", 5).cpus(5).levels(100, 300, 500, 250, 250), 50, 3, 28, 2 * 280),
        row(new Case("container scale down", 5).cpus(5).container("container2").containerLevels(new long[] {1000, 100},
            new long[] {1000, 300}, new long[] {1000, 500}, new long[] {1000, 250}, new long[] {1000, 250}), 50, 3, 28, 280),
        row(new Case("scale down exclude unready pods", 5).readiness(t, t, t, f, f).cpus(5).levels(100, 300, 500, 250, 250),
            50, 2, 30, 2 * 300),
        row(new Case("scale down exclude unscheduled pods", 5).readiness(t, f, f, f, f)
            .phases(run, "Pending", "Pending", "Pending", "Pending").cpus(5).levels(100), 50, 1, 10, 2 * 100),
        row(new Case("scale down ignore hot cpu pods", 5).starts(COOL, COOL, COOL, HOT, HOT).cpus(5)
            .levels(100, 300, 500, 250, 250), 50, 2, 30, 2 * 300),
        row(new Case("scale down ignores failed pods", 5).readiness(t, t, t, t, t, f, f)
            .phases(run, run, run, run, run, "Failed", "Failed").cpus(7).levels(100, 300, 500, 250, 250), 50, 3, 28, 2 * 280),
        row(new Case("scale down ignores deletion pods, still running", 5).readiness(t, t, t, t, t, f, f)
            .phases(run, run, run, run, run, run, run).deleting(false, false, false, false, false, true, true).cpus(7)
            .container("container2").containerLevels(new long[] {1000, 100}, new long[] {1000, 300},
                new long[] {1000, 500}, new long[] {1000, 250}, new long[] {1000, 250}), 50, 3, 28, 280),
        row(new Case("tolerance", 3).requests("0.9", "1.0", "1.1").levels(1010, 1030, 1020), 100, 3, 102, 2 * 1020),
        row(new Case("superfluous metrics", 4).cpus(4).levels(4000, 9500, 3000, 7000, 3200, 2000), 100, 24, 587, 2 * 5875),
        row(new Case("missing metrics", 4).cpus(4).levels(400, 95), 100, 3, 24, 495),
        row(new Case("missing metrics no change eq", 2).cpus(2).levels(1000), 100, 2, 100, 2 * 1000),
        row(new Case("missing metrics no change gt", 2).cpus(2).levels(1900), 100, 2, 190, 2 * 1900),
        row(new Case("missing metrics no change lt", 2).cpus(2).levels(600), 100, 2, 60, 2 * 600),
        row(new Case("missing metrics unready change", 3).readiness(f, t, t).cpus(3).levels(100, 450), 50, 3, 45, 2 * 450),
        row(new Case("missing metrics hot cpu no change", 3).starts(HOT, COOL, COOL).cpus(3).levels(100, 450), 50, 3, 45,
            2 * 450));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resourceTable")
  void resourceReplicas(Case c, int target, int replicas, int utilization, long value) throws Exception {
    ReplicaCalculator.Proposal p = c.run(calculator, target);
    assertThat(p.replicas()).as("replicas").isEqualTo(replicas);
    assertThat(p.utilization()).as("utilization").isEqualTo(utilization);
    assertThat(p.rawAverage()).as("raw value").isEqualTo(value);
  }

  @Test
  void disjointResourcesMetrics() {
    Case c = new Case("disjoint", 1).cpus(1).levels(100);
    c.podNames = new String[] {"an-older-pod-name"};
    assertThatThrownBy(() -> c.run(calculator, 100)).hasMessageContaining("no metrics returned matched known pods");
  }

  @Test
  void emptyCpuRequest() {
    Case c = new Case("no request", 1).levels(200);
    assertThatThrownBy(() -> c.run(calculator, 100)).hasMessageContaining("missing request for");
  }

  @Test
  void noPodsIsAnError() {
    assertThatThrownBy(() -> new Case("none", 0).run(calculator, 50))
        .hasMessage("no pods returned by selector while calculating replica count");
  }

  @Test
  void onlyUnreadyPodsIsAnError() {
    Case c = new Case("pending", 2).phases("Pending", "Pending").cpus(2).levels(100, 100);
    assertThatThrownBy(() -> c.run(calculator, 50))
        .hasMessage("did not receive metrics for targeted pods (pods might be unready)");
  }

  // ---- the plain average-value calculation (upstream's pods-metric tables, "qps" levels as milli-values) ----

  static Stream<Arguments> plainTable() {
    String t = "True";
    String f = "False";
    return Stream.of(
        Arguments.of("scale up", 3, 15000, null, null, new long[] {20000, 10000, 30000}, 4, 20000),
        Arguments.of("unready hot cpu no less scale", 3, 15000, new String[] {t, t, f}, new Instant[] {COOL, COOL, HOT},
            new long[] {50000, 10000, 30000}, 6, 30000),
        Arguments.of("unready hot cpu scale would scale down", 3, 15000, new String[] {f, t, f},
            new Instant[] {HOT, COOL, HOT}, new long[] {50000, 15000, 30000}, 7, 31666),
        Arguments.of("scale down", 5, 20000, null, null, new long[] {12000, 12000, 12000, 12000, 12000}, 3, 12000),
        Arguments.of("tolerance", 3, 20000, null, null, new long[] {20000, 21000, 21000}, 3, 20666),
        Arguments.of("missing metrics no change eq", 5, 20000, null, null, new long[] {20000, 19000, 21000}, 5, 20000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainTable")
  void plainReplicas(String name, int current, long target, String[] readiness, Instant[] starts, long[] levels,
      int replicas, long usage) throws Exception {
    Case c = new Case(name, current);
    c.readiness = readiness;
    c.startTimes = starts;
    c.resource = "qps";
    Map<String, PodMetric> metrics = new HashMap<>();
    for (int i = 0; i < levels.length; i++) metrics.put("test-pod-" + i, new PodMetric(levels[i], ZERO, Duration.ofMinutes(1)));
    ReplicaCalculator.Proposal p = calculator.rawResourceReplicas(current, target, "qps", c.pods(), metrics, ZERO);
    assertThat(p.replicas()).as("replicas").isEqualTo(replicas);
    assertThat(p.rawAverage()).as("usage").isEqualTo(usage);
  }
}
