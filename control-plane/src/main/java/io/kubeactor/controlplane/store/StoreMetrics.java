package io.kubeactor.controlplane.store;

import io.kubeactor.common.metrics.PrometheusText;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The store's write and snapshot figures, named after etcd's disk metrics (etcd has no exact
 * equivalent of a group-committed journal): each batch's commit time and size, and each snapshot's
 * time, outcome and size. Latency buckets are etcd's wal fsync ones (1 ms, ×2, 14 of them).
 */
final class StoreMetrics {

  private static final double[] LATENCY_BUCKETS = PrometheusText.exponentialBuckets(0.001, 2, 14);

  static final Counter JOURNAL_WRITES = Counter.builder().name("kubeactor_store_journal_writes_total")
      .help("Batches of writes committed to the journal, each in one transaction, by result.")
      .labelNames("result").withoutExemplars().register(PrometheusText.registry());
  static final Counter JOURNAL_MUTATIONS = Counter.builder().name("kubeactor_store_journal_mutations_total")
      .help("Writes (creates, updates, deletes) sent to the journal in batches.")
      .withoutExemplars().register(PrometheusText.registry());
  static final Histogram JOURNAL_WRITE_DURATION = Histogram.builder().name("kubeactor_store_journal_write_duration_seconds")
      .help("The latency distributions of committing a batch of writes to the journal and applying it to the store.")
      .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(PrometheusText.registry());
  static final Histogram JOURNAL_BATCH_SIZE = Histogram.builder().name("kubeactor_store_journal_batch_size")
      .help("The number of writes committed together in one journal transaction (group commit).")
      .classicOnly().classicUpperBounds(PrometheusText.exponentialBuckets(1, 2, 11)).withoutExemplars()
      .register(PrometheusText.registry());

  static final Counter SNAPSHOTS = Counter.builder().name("kubeactor_store_snapshots_total")
      .help("Snapshots of the store's state saved, by result.")
      .labelNames("result").withoutExemplars().register(PrometheusText.registry());
  static final Histogram SNAPSHOT_DURATION = Histogram.builder().name("kubeactor_store_snapshot_save_duration_seconds")
      .help("The latency distributions of saving a snapshot of the store's state (serializing and writing it).")
      .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(PrometheusText.registry());
  static final Gauge SNAPSHOT_OBJECTS = Gauge.builder().name("kubeactor_store_snapshot_objects")
      .help("Objects in the last snapshot saved.").withoutExemplars().register(PrometheusText.registry());
  static final Gauge SNAPSHOT_SIZE = Gauge.builder().name("kubeactor_store_snapshot_size_bytes")
      .help("The objects' JSON bytes in the last snapshot saved (what the snapshot holds before encoding).")
      .withoutExemplars().register(PrometheusText.registry());

  static final CounterDataPoint JOURNAL_OK = JOURNAL_WRITES.labelValues("success");
  static final CounterDataPoint JOURNAL_FAILED = JOURNAL_WRITES.labelValues("failure");
  static final CounterDataPoint SNAPSHOT_OK = SNAPSHOTS.labelValues("success");
  static final CounterDataPoint SNAPSHOT_FAILED = SNAPSHOTS.labelValues("failure");

  private StoreMetrics() {}

  /** A batch of {@code size} writes came back from the journal, {@code startedNanos} after it was sent. */
  static void batch(int size, long startedNanos, boolean failed) {
    (failed ? JOURNAL_FAILED : JOURNAL_OK).inc();
    JOURNAL_MUTATIONS.inc(size);
    JOURNAL_BATCH_SIZE.observe(size);
    JOURNAL_WRITE_DURATION.observe((System.nanoTime() - startedNanos) / 1e9);
  }

  /** A snapshot was saved (or failed), {@code startedNanos} after it was handed to the snapshot store. */
  static void snapshot(StoreState state, long startedNanos, boolean failed) {
    SNAPSHOT_DURATION.observe((System.nanoTime() - startedNanos) / 1e9);
    if (failed) {
      SNAPSHOT_FAILED.inc();
      return;
    }
    SNAPSHOT_OK.inc();
    long bytes = 0;
    for (StoredObject o : state.objects().values()) bytes += o.size();
    SNAPSHOT_OBJECTS.set(state.objects().size());
    SNAPSHOT_SIZE.set(bytes);
  }
}
