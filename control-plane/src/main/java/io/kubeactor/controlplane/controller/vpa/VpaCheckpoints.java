package io.kubeactor.controlplane.controller.vpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's aggregated history as a VerticalPodAutoscalerCheckpoint (upstream's
 * checkpoint/checkpoint_writer.go and the cluster state feeder's loading): named
 * "VPA-CONTAINER", spec.vpaObjectName and spec.containerName, status in format version "v3" with
 * both histograms (bucket index → weight scaled to at most 10000, the total weight, the reference
 * timestamp), the first and last sample times and the sample count. The recommender writes them
 * as its history grows and reads them back when it starts, so a restart keeps the history; each is
 * owned by its VPA and goes with it.
 */
final class VpaCheckpoints {
  private VpaCheckpoints() {}

  static final String VERSION = "v3";

  static String name(String vpa, String container) {
    return vpa + "-" + container;
  }

  /** The checkpoint object of one container's history, taken at {@code now}. */
  static ObjectNode checkpoint(VerticalPodAutoscaler vpa, String container, AggregateContainerState s, Instant now) {
    ObjectNode o = Json.object().put("apiVersion", "autoscaling.k8s.io/v1").put("kind", "VerticalPodAutoscalerCheckpoint");
    ObjectNode meta = o.putObject("metadata").put("name", name(vpa.getMetadata().getName(), container))
        .put("namespace", vpa.getMetadata().getNamespace());
    meta.putArray("ownerReferences").addObject().put("apiVersion", "autoscaling.k8s.io/v1")
        .put("kind", "VerticalPodAutoscaler").put("name", vpa.getMetadata().getName()).put("uid", vpa.getMetadata().getUid());
    o.putObject("spec").put("vpaObjectName", vpa.getMetadata().getName()).put("containerName", container);
    ObjectNode status = o.putObject("status").put("lastUpdateTime", Timestamps.format(now)).put("version", VERSION);
    status.set("cpuHistogram", histogram((DecayingHistogram) s.cpuUsage));
    status.set("memoryHistogram", histogram((DecayingHistogram) s.memoryPeaks));
    if (s.firstSampleStart != null) status.put("firstSampleStart", Timestamps.format(s.firstSampleStart));
    if (s.lastSampleStart != null) status.put("lastSampleStart", Timestamps.format(s.lastSampleStart));
    status.put("totalSamplesCount", s.totalSamplesCount);
    return o;
  }

  private static ObjectNode histogram(DecayingHistogram h) {
    Histogram.Checkpoint c = h.saveToCheckpoint();
    ObjectNode out = Json.object().put("referenceTimestamp", Timestamps.format(h.referenceTimestamp()));
    ObjectNode weights = out.putObject("bucketWeights");
    c.bucketWeights().forEach((bucket, weight) -> weights.put(String.valueOf(bucket), weight));
    out.put("totalWeight", c.totalWeight());
    return out;
  }

  /**
   * The history a checkpoint holds, with histograms of this half-life; null when it is of another
   * format version or does not load (upstream skips such a checkpoint).
   */
  static AggregateContainerState load(JsonNode checkpoint, Duration halfLife) {
    JsonNode status = checkpoint.path("status");
    if (!status.path("version").asText().equals(VERSION)) return null;
    AggregateContainerState s = new AggregateContainerState(halfLife);
    try {
      load((DecayingHistogram) s.cpuUsage, status.path("cpuHistogram"));
      load((DecayingHistogram) s.memoryPeaks, status.path("memoryHistogram"));
      if (status.hasNonNull("firstSampleStart")) s.firstSampleStart = Instant.parse(status.path("firstSampleStart").asText());
      if (status.hasNonNull("lastSampleStart")) s.lastSampleStart = Instant.parse(status.path("lastSampleStart").asText());
    } catch (RuntimeException e) {
      return null;
    }
    s.totalSamplesCount = status.path("totalSamplesCount").asLong(0);
    return s;
  }

  private static void load(DecayingHistogram h, JsonNode checkpoint) {
    Map<Integer, Long> weights = new TreeMap<>();
    checkpoint.path("bucketWeights").fields().forEachRemaining(e -> weights.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
    Instant reference = checkpoint.hasNonNull("referenceTimestamp")
        ? Instant.parse(checkpoint.path("referenceTimestamp").asText()) : Instant.EPOCH;
    h.loadFromCheckpoint(new Histogram.Checkpoint(weights, checkpoint.path("totalWeight").asDouble(0)), reference);
  }
}
