package io.kubeactor.controlplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.common.metrics.PrometheusSamples;
import io.kubeactor.common.metrics.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** client-go's workqueue metrics, as a controller's queue keeps them and /metrics shows them. */
class WorkQueueMetricsTest {

  private static PrometheusSamples scrape() {
    return PrometheusSamples.parse(new String(PrometheusText.scrape(), StandardCharsets.UTF_8));
  }

  @Test
  void queuesAreNamedAsKubeControllerManagerNamesThem() {
    assertThat(WorkQueueMetrics.queueName("replicaset-controller")).isEqualTo("replicaset");
    assertThat(WorkQueueMetrics.queueName("deployment-controller")).isEqualTo("deployment");
    assertThat(WorkQueueMetrics.queueName("endpoints-controller")).isEqualTo("endpoint");
    assertThat(WorkQueueMetrics.queueName("endpointslice-controller")).isEqualTo("endpoint_slice");
    assertThat(WorkQueueMetrics.queueName("local-path-provisioner")).isEqualTo("local-path-provisioner");
    assertThat(WorkQueueMetrics.queueName("root-ca-certificate-publisher-controller")).isEqualTo("root_ca_cert_publisher");
  }

  @Test
  void addsDepthRetriesAndDurationsAreCountedAsClientGoCountsThem() {
    WorkQueue queue = new WorkQueue(Duration.ofMillis(5), Duration.ofSeconds(1), WorkQueueMetrics.of("metrics-test-controller"));
    queue.add("a");
    queue.add("b");
    queue.add("a"); // waiting already: no add
    PrometheusSamples waiting = scrape();
    assertThat(waiting.value("workqueue_adds_total", "name", "metrics-test")).contains(2.0);
    assertThat(waiting.value("workqueue_depth", "name", "metrics-test")).contains(2.0);

    assertThat(queue.next()).contains("a");
    queue.add("a"); // added while processed: an add, waiting again once done
    queue.updateUnfinishedWork();
    PrometheusSamples processing = scrape();
    assertThat(processing.value("workqueue_adds_total", "name", "metrics-test")).contains(3.0);
    assertThat(processing.value("workqueue_depth", "name", "metrics-test")).contains(2.0);
    assertThat(processing.value("workqueue_queue_duration_seconds_count", "name", "metrics-test")).contains(1.0);
    assertThat(processing.value("workqueue_longest_running_processor_seconds", "name", "metrics-test"))
        .hasValueSatisfying(v -> assertThat(v).isPositive());

    queue.done("a");
    queue.backoff("a");
    queue.updateUnfinishedWork();
    PrometheusSamples done = scrape();
    assertThat(done.value("workqueue_work_duration_seconds_count", "name", "metrics-test")).contains(1.0);
    assertThat(done.value("workqueue_retries_total", "name", "metrics-test")).contains(1.0);
    assertThat(done.value("workqueue_unfinished_work_seconds", "name", "metrics-test")).contains(0.0);
    // client-go's buckets: 10ns to 10s, ten of them, then +Inf
    assertThat(done.find("workqueue_work_duration_seconds_bucket", "name", "metrics-test")).hasSize(11)
        .extracting(s -> s.labels().get("le")).contains("1.0E-8", "10.0", "+Inf");
  }
}
