package io.kubeactor.controlplane.controller.vpa;

import java.time.Instant;
import java.util.Arrays;

/**
 * An approximate distribution of a variable (upstream's recommender/util/histogram.go): each bucket
 * holds the total weight of the samples that fell in it, and a percentile is the end of the bucket
 * where the cumulative weight reaches it. A bucket lighter than the options' epsilon counts as
 * empty. Not thread-safe: the recommender owns its histograms on its actor.
 */
public class Histogram {

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
