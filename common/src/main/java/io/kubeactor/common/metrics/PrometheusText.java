package io.kubeactor.common.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What every JVM's {@code /metrics} answers: the Prometheus text format (version 0.0.4, which every
 * Prometheus reads) of one or more registries. The process's own metrics live in the default
 * registry, with the JVM's (memory, GC, threads, process CPU and file descriptors) registered once.
 */
public final class PrometheusText {

  /** The text format's media type, as client_golang's promhttp answers it. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  static {
    // the library registers each registry's JVM metrics at most once
    JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
  }

  private PrometheusText() {}

  /** The default registry, with the JVM's metrics in it: where this process's metrics are registered. */
  public static PrometheusRegistry registry() {
    return PrometheusRegistry.defaultRegistry;
  }

  /** This process's metrics (the default registry's) in the text format. */
  public static byte[] scrape() {
    return scrape(registry());
  }

  /** A registry's metrics in the text format. */
  public static byte[] scrape(PrometheusRegistry registry) {
    return text(registry.scrape());
  }

  /** Metrics read at this moment (and not kept in a registry) in the text format, in the order given. */
  public static byte[] text(MetricSnapshots... parts) {
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    for (MetricSnapshots part : parts) {
      for (MetricSnapshot s : part) all.metricSnapshot(s);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      WRITER.write(out, all.build(), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /** client-go's and the scheduler's ExponentialBuckets(start, factor, count). */
  public static double[] exponentialBuckets(double start, double factor, int count) {
    double[] buckets = new double[count];
    double b = start;
    for (int i = 0; i < count; i++) {
      buckets[i] = b;
      b *= factor;
    }
    return buckets;
  }
}
