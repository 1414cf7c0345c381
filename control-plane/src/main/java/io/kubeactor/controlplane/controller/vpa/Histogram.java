package io.kubeactor.controlplane.controller.vpa;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An approximate distribution of a variable (upstream's recommender/util/histogram.go): each bucket
 * holds the total weight of the samples that fell in it, and a percentile is the end of the bucket
 * where the cumulative weight reaches it. A bucket lighter than the options' epsilon counts as
 * empty. Not thread-safe: the recommender owns its histograms on its actor.
 */
public class Histogram {

  /** The weight of a checkpoint's heaviest bucket; the others are scaled to it (MaxCheckpointWeight). */
  public static final long MAX_CHECKPOINT_WEIGHT = 10_000;

  /** A histogram as a VerticalPodAutoscalerCheckpoint keeps it: integer bucket weights and the total. */
  public record Checkpoint(Map<Integer, Long> bucketWeights, double totalWeight) {}

  final HistogramOptions options;
  final double[] bucketWeight;
  double totalWeight;
  /** The first non-empty bucket, or the last bucket when there is none. */
  int minBucket;
  /** The last non-empty bucket, or 0 when there is none. */
  int maxBucket;

  public Histogram(HistogramOptions options) {
    this.options = options;
    this.bucketWeight = new double[options.numBuckets()];
    this.minBucket = options.numBuckets() - 1;
    this.maxBucket = 0;
  }

  public void addSample(double value, double weight, Instant time) {
    if (weight < 0) throw new IllegalArgumentException("sample weight must be non-negative");
    int bucket = options.findBucket(value);
    bucketWeight[bucket] += weight;
    totalWeight += weight;
    if (bucket < minBucket && bucketWeight[bucket] >= options.epsilon()) minBucket = bucket;
    if (bucket > maxBucket && bucketWeight[bucket] >= options.epsilon()) maxBucket = bucket;
  }

  /** Takes a sample's weight back out of its bucket (never below zero). */
  public void subtractSample(double value, double weight, Instant time) {
    if (weight < 0) throw new IllegalArgumentException("sample weight must be non-negative");
    int bucket = options.findBucket(value);
    if (weight > bucketWeight[bucket] - options.epsilon()) weight = bucketWeight[bucket];
    totalWeight -= weight;
    bucketWeight[bucket] -= weight;
    updateMinAndMaxBucket();
  }

  /** Adds every sample of another histogram with the same options. */
  public void merge(Histogram other) {
    if (other.options != options) throw new IllegalArgumentException("can't merge histograms with different options");
    for (int b = other.minBucket; b <= other.maxBucket; b++) bucketWeight[b] += other.bucketWeight[b];
    totalWeight += other.totalWeight;
    minBucket = Math.min(minBucket, other.minBucket);
    maxBucket = Math.max(maxBucket, other.maxBucket);
  }

  /** The percentile (0..1) of the distribution: the end of its bucket (the last bucket's start); 0 if empty. */
  public double percentile(double percentile) {
    if (isEmpty()) return 0.0;
    double partialSum = 0.0;
    double threshold = percentile * totalWeight;
    int bucket = minBucket;
    for (; bucket < maxBucket; bucket++) {
      partialSum += bucketWeight[bucket];
      if (partialSum >= threshold) break;
    }
    if (bucket < options.numBuckets() - 1) return options.bucketStart(bucket + 1);
    return options.bucketStart(bucket);
  }

  public boolean isEmpty() {
    return bucketWeight[minBucket] < options.epsilon();
  }

  /** Same options, same non-empty range, and weights equal to 1e-15. */
  public boolean sameAs(Histogram other) {
    if (other.getClass() != getClass() || other.options != options || other.minBucket != minBucket
        || other.maxBucket != maxBucket) {
      return false;
    }
    for (int b = minBucket; b <= maxBucket; b++) {
      if (Math.abs(bucketWeight[b] - other.bucketWeight[b]) > 1e-15) return false;
    }
    return true;
  }

  /**
   * SaveToCheckpoint: the weights scaled so that the heaviest bucket weighs {@value
   * #MAX_CHECKPOINT_WEIGHT}, rounded; buckets that round to 0 are left out.
   */
  public Checkpoint saveToCheckpoint() {
    double max = 0;
    for (int b = minBucket; b <= maxBucket; b++) max = Math.max(max, bucketWeight[b]);
    double ratio = MAX_CHECKPOINT_WEIGHT / max;
    Map<Integer, Long> weights = new TreeMap<>();
    for (int b = minBucket; b <= maxBucket; b++) {
      long w = (long) Math.floor(bucketWeight[b] * ratio + 0.5);
      if (w > 0) weights.put(b, w);
    }
    return new Checkpoint(weights, totalWeight);
  }

  /** LoadFromCheckpoint: adds the checkpoint's samples, its weights scaled back to its total. */
  public void loadFromCheckpoint(Checkpoint checkpoint) {
    if (checkpoint == null) throw new IllegalArgumentException("Cannot load from empty checkpoint");
    if (checkpoint.totalWeight() < 0) {
      throw new IllegalArgumentException("Cannot load checkpoint with negative weight " + checkpoint.totalWeight());
    }
    long sum = 0;
    for (Map.Entry<Integer, Long> e : checkpoint.bucketWeights().entrySet()) {
      sum += e.getValue();
      if (e.getKey() >= options.numBuckets()) {
        throw new IllegalArgumentException("Checkpoint has bucket " + e.getKey() + " that is exceeding histogram buckets "
            + options.numBuckets());
      }
      if (e.getKey() < 0) throw new IllegalArgumentException("Checkpoint has a negative bucket " + e.getKey());
    }
    if (sum == 0) return;
    double ratio = checkpoint.totalWeight() / sum;
    for (Map.Entry<Integer, Long> e : checkpoint.bucketWeights().entrySet()) {
      minBucket = Math.min(minBucket, e.getKey());
      maxBucket = Math.max(maxBucket, e.getKey());
      bucketWeight[e.getKey()] += e.getValue() * ratio;
    }
    totalWeight += checkpoint.totalWeight();
  }

  /** Multiplies every weight by a non-negative factor (percentiles stay as they are). */
  void scale(double factor) {
    if (factor < 0) throw new IllegalArgumentException("scale factor must be non-negative");
    for (int b = minBucket; b <= maxBucket; b++) bucketWeight[b] *= factor;
    totalWeight *= factor;
    updateMinAndMaxBucket();
  }

  private void updateMinAndMaxBucket() {
    int last = options.numBuckets() - 1;
    while (bucketWeight[minBucket] < options.epsilon() && minBucket < last) minBucket++;
    while (bucketWeight[maxBucket] < options.epsilon() && maxBucket > 0) maxBucket--;
  }

  @Override
  public String toString() {
    return "minBucket: " + minBucket + ", maxBucket: " + maxBucket + ", totalWeight: " + totalWeight + " "
        + Arrays.toString(Arrays.copyOfRange(bucketWeight, Math.min(minBucket, maxBucket), maxBucket + 1));
  }
}
