package io.kubeactor.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Statistics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageCollectorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Docker's stats for one container: its cgroup's cumulative CPU and memory at {@code read}, with the reading a second before. */
  private static Statistics stats(String read, long totalCpu, String preread, long preCpu) throws Exception {
    return MAPPER.readValue("""
        {"read":"%s","preread":"%s",
         "cpu_stats":{"cpu_usage":{"total_usage":%d}},
         "precpu_stats":{"cpu_usage":{"total_usage":%d}},
         "memory_stats":{"usage":104857600,"stats":{"inactive_file":4194304}}}
        """.formatted(read, preread, totalCpu, preCpu), Statistics.class);
  }

  @Test
  void aNewContainerIsMeasuredOverDockersOwnSecond() throws Exception {
    var m = UsageCollector.measured("c1", "default", "web", "main",
        stats("2026-01-01T00:00:01Z", 1_250_000_000L, "2026-01-01T00:00:00Z", 1_000_000_000L), null);

    assertThat(m.usage().nanoCores()).isEqualTo(250_000_000L);
    assertThat(m.windowMillis()).isEqualTo(1_000);
    assertThat(m.usage().memoryBytes()).as("working set: usage less inactive file cache").isEqualTo(96L * 1024 * 1024);
    assertThat(m.sample().cpuUsageNanos()).isEqualTo(1_250_000_000L);
  }

  @Test
  void aKnownContainerIsMeasuredSinceItsPreviousSample() throws Exception {
    var before = new UsageCollector.ContainerSample("c1", "default", "web", "main", Instant.parse("2026-01-01T00:00:01Z"),
        1_000_000_000L, 0);
    // a busy second just before this reading does not make the rate: the 15 s since the last sample do
    var m = UsageCollector.measured("c1", "default", "web", "main",
        stats("2026-01-01T00:00:16Z", 2_500_000_000L, "2026-01-01T00:00:15Z", 1_600_000_000L), before);

    assertThat(m.windowMillis()).isEqualTo(15_000);
    assertThat(m.usage().nanoCores()).isEqualTo(100_000_000L);
  }

  @Test
  void aRestartedContainersCounterFallsBackToDockersSecond() throws Exception {
    var before = new UsageCollector.ContainerSample("c1", "default", "web", "main", Instant.parse("2026-01-01T00:00:01Z"),
        9_000_000_000L, 0);
    var m = UsageCollector.measured("c1", "default", "web", "main",
        stats("2026-01-01T00:00:16Z", 500_000_000L, "2026-01-01T00:00:15Z", 400_000_000L), before);

    assertThat(m.windowMillis()).isEqualTo(1_000);
    assertThat(m.usage().nanoCores()).isEqualTo(100_000_000L);
  }
}
