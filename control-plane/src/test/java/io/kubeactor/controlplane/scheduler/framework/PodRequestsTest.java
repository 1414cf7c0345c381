package io.kubeactor.controlplane.scheduler.framework;

import static io.kubeactor.controlplane.scheduler.Fixtures.yamlPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodRequestsTest {

  private static final long MI = 1024L * 1024;

  @ParameterizedTest
  @CsvSource({"50m, 50", "0.5, 500", "2, 2000", "100u, 1", "1.0001, 1001"})
  void cpuInMilliRoundedUp(String cpu, long milli) {
    assertThat(Resources.of(Map.of("cpu", new Quantity(cpu))).milliCpu()).isEqualTo(milli);
  }

  @ParameterizedTest
  @CsvSource({"300Mi, 314572800", "1Gi, 1073741824", "500M, 500000000", "128974848, 128974848", "129e6, 129000000",
      "1Ki, 1024", "2k, 2000", "1Ti, 1099511627776", "1P, 1000000000000000", "1.5Gi, 1610612736"})
  void memoryInBytes(String memory, long bytes) {
    assertThat(Resources.of(Map.of("memory", new Quantity(memory))).memory()).isEqualTo(bytes);
  }

  @Test
  void allocatableCountsPodsAndScalarResourcesButNotUnknownNames() {
    Resources r = Resources.of(Map.of("pods", new Quantity("110"), "example.com/gpu", new Quantity("2"),
        "hugepages-2Mi", new Quantity("1Gi"), "ephemeral-storage", new Quantity("10Gi"), "bogus", new Quantity("3")));
    assertThat(r.pods()).isEqualTo(110);
    assertThat(r.ephemeralStorage()).isEqualTo(10L * 1024 * MI);
    assertThat(r.scalar()).containsOnly(Map.entry("example.com/gpu", 2L), Map.entry("hugepages-2Mi", 1024 * MI));
  }

  @Test
  void containersAddUp() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers:
          - {name: a, resources: {requests: {cpu: 100m, memory: 100Mi}}}
          - {name: b, resources: {requests: {cpu: 250m, memory: 50Mi, example.com/gpu: "1"}}}
        """);
    assertThat(PodRequests.of(pod)).isEqualTo(new Resources(350, 150 * MI, 0, 0, Map.of("example.com/gpu", 1L)));
  }

  @Test
  void theLargestInitContainerCountsWhenItIsMore() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          initContainers:
          - {name: migrate, resources: {requests: {cpu: "1", memory: 10Mi}}}
          - {name: warm, resources: {requests: {cpu: 10m, memory: 500Mi}}}
          containers:
          - {name: a, resources: {requests: {cpu: 100m, memory: 100Mi}}}
        """);
    assertThat(PodRequests.of(pod)).isEqualTo(new Resources(1000, 500 * MI, 0, 0, Map.of()));
  }

  @Test
  void sidecarsRunAlongsideEverythingStartedAfterThem() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          initContainers:
          - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 200m, memory: 64Mi}}}
          - {name: migrate, resources: {requests: {cpu: 500m, memory: 10Mi}}}
          containers:
          - {name: a, resources: {requests: {cpu: 100m, memory: 100Mi}}}
        """);
    // Containers + sidecar = 300m/164Mi; the init phase peaks at migrate + sidecar = 700m/74Mi.
    assertThat(PodRequests.of(pod)).isEqualTo(new Resources(700, 164 * MI, 0, 0, Map.of()));
  }

  @Test
  void overheadIsAdded() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          overhead: {cpu: 250m, memory: 120Mi}
          containers:
          - {name: a, resources: {requests: {cpu: 100m, memory: 100Mi}}}
        """);
    assertThat(PodRequests.of(pod)).isEqualTo(new Resources(350, 220 * MI, 0, 0, Map.of()));
  }

  @Test
  void limitsStandInForMissingRequests() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers:
          - {name: a, resources: {limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: 100m}}}
        """);
    assertThat(PodRequests.of(pod)).isEqualTo(new Resources(100, 1024 * MI, 0, 0, Map.of()));
  }

  @Test
  void quantitiesAreSummedBeforeRounding() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers:
          - {name: a, resources: {requests: {cpu: 0.0005}}}
          - {name: b, resources: {requests: {cpu: 0.0005}}}
        """);
    assertThat(PodRequests.of(pod).milliCpu()).isEqualTo(1);
  }

  @Test
  void nonZeroRequestsDefaultEachContainersMissingCpuAndMemory() {
    var pod = yamlPod("""
        metadata: {name: p}
        spec:
          containers:
          - {name: a}
          - {name: b, resources: {requests: {memory: 1Gi}}}
          - {name: c, resources: {requests: {cpu: "0", memory: "0"}}}
        """);
    assertThat(PodRequests.of(pod)).isEqualTo(new Resources(0, 1024 * MI, 0, 0, Map.of()));
    // An explicit 0 is a request; only missing ones get 100m and 200Mi.
    assertThat(PodRequests.nonZero(pod)).isEqualTo(new Resources(200, 200 * MI + 1024 * MI, 0, 0, Map.of()));
  }
}
