package io.kubeactor.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.common.Json;
import io.kubeactor.common.metrics.PrometheusSamples;
import io.kubeactor.common.metrics.PrometheusText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The store's journal and snapshot figures as /metrics shows them. */
class StoreMetricsTest {

  private static PrometheusSamples scrape() {
    return PrometheusSamples.parse(new String(PrometheusText.scrape(), StandardCharsets.UTF_8));
  }

  @Test
  void aSavedSnapshotIsCountedTimedAndSized() {
    StoredObject a = StoredObject.of(Json.object().put("kind", "ConfigMap"));
    StoredObject b = StoredObject.of(Json.object().put("kind", "Secret"));
    StoreState state = StoreState.EMPTY.apply(new StoreEvent.ObjectAdded("core/configmaps/ns/a", 1, a))
        .apply(new StoreEvent.ObjectAdded("core/secrets/ns/b", 2, b));
    double before = scrape().value("kubeactor_store_snapshots_total", "result", "success").orElse(0.0);

    StoreMetrics.snapshot(state, System.nanoTime(), false);

    PrometheusSamples s = scrape();
    assertThat(s.value("kubeactor_store_snapshots_total", "result", "success")).contains(before + 1);
    assertThat(s.value("kubeactor_store_snapshot_objects")).contains(2.0);
    assertThat(s.value("kubeactor_store_snapshot_size_bytes")).contains((double) (a.size() + b.size()));
    assertThat(s.value("kubeactor_store_snapshot_save_duration_seconds_count")).hasValueSatisfying(v -> assertThat(v).isPositive());
  }

  @Test
  void aBatchIsCountedWithItsSizeAndCommitTime() {
    PrometheusSamples before = scrape();
    StoreMetrics.batch(3, System.nanoTime(), false);
    PrometheusSamples after = scrape();
    assertThat(after.sum("kubeactor_store_journal_mutations_total") - before.sum("kubeactor_store_journal_mutations_total"))
        .isEqualTo(3);
    assertThat(after.sum("kubeactor_store_journal_writes_total", "result", "success")
        - before.sum("kubeactor_store_journal_writes_total", "result", "success")).isEqualTo(1);
    assertThat(after.sum("kubeactor_store_journal_batch_size_sum") - before.sum("kubeactor_store_journal_batch_size_sum"))
        .isEqualTo(3);
    assertThat(after.find("kubeactor_store_journal_write_duration_seconds_bucket")).hasSize(15);
  }
}
