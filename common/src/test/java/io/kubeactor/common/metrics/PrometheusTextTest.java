package io.kubeactor.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every JVM's /metrics text: the process's and the JVM's own metrics, and the text read back. */
class PrometheusTextTest {

  @Test
  void theDefaultRegistryHasTheJvmsAndTheProcesssMetrics() {
    PrometheusSamples samples = PrometheusSamples.parse(new String(PrometheusText.scrape(PrometheusText.registry()),
        StandardCharsets.UTF_8));
    assertThat(samples.find("jvm_memory_used_bytes", "area", "heap")).hasSize(1);
    assertThat(samples.value("process_cpu_seconds_total")).hasValueSatisfying(v -> assertThat(v).isPositive());
    assertThat(samples.find("jvm_threads_current")).hasSize(1);
  }

  @Test
  void countersAreWrittenWithTheirTotalSuffixAndLabelsReadBackInAnyOrder() {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter c = Counter.builder().name("things_total").help("Things.").labelNames("b", "a").register(registry);
    c.labelValues("2", "with \"quotes\"").inc(3);
    String text = new String(PrometheusText.scrape(registry), StandardCharsets.UTF_8);
    assertThat(text).contains("# TYPE things_total counter");
    PrometheusSamples samples = PrometheusSamples.parse(text);
    assertThat(samples.value("things_total", "a", "with \"quotes\"", "b", "2")).contains(3.0);
    assertThat(samples.value("things_total", "b", "2", "a", "with \"quotes\"")).contains(3.0);
    assertThat(samples.value("things_total", "b", "2")).isEmpty();
  }

  @Test
  void exponentialBucketsAsClientGosAreMade() {
    assertThat(PrometheusText.exponentialBuckets(0.001, 2, 4)).containsExactly(0.001, 0.002, 0.004, 0.008);
  }
}
