package io.kubeactor.controlplane.controller.vpa;

/**
 * The buckets of a {@link Histogram} (upstream's recommender/util/histogram_options.go): how many,
 * where each starts, which one a value falls in (the first or the last for values outside the
 * range), and the weight below which a bucket counts as empty.
 */
public sealed interface HistogramOptions {

  int numBuckets();

  int findBucket(double value);

  double bucketStart(int bucket);

  double epsilon();

  /** Buckets of one size from 0, the last one starting at maxValue or above. */
  static HistogramOptions linear(double maxValue, double bucketSize, double epsilon) {
    if (maxValue <= 0 || bucketSize <= 0 || epsilon <= 0) {
      throw new IllegalArgumentException("maxValue and bucketSize must both be positive");
    }
    return new Linear((int) Math.ceil(maxValue / bucketSize) + 1, bucketSize, epsilon);
  }

  /**
   * Buckets growing by {@code ratio}: the first covers [0, firstBucketSize), bucket n (n ≥ 1) starts
   * at firstBucketSize·(ratioⁿ − 1)/(ratio − 1); the last starts at maxValue or above.
   */
  static HistogramOptions exponential(double maxValue, double firstBucketSize, double ratio, double epsilon) {
    if (maxValue <= 0 || firstBucketSize <= 0 || ratio <= 1 || epsilon <= 0) {
      throw new IllegalArgumentException("maxValue, firstBucketSize and epsilon must be > 0.0, ratio must be > 1.0");
    }
    int n = (int) Math.ceil(log(ratio, maxValue * (ratio - 1) / firstBucketSize + 1)) + 1;
    return new Exponential(n, firstBucketSize, ratio, epsilon);
  }

  private static double log(double base, double x) {
    return Math.log(x) / Math.log(base);
  }

  record Linear(int numBuckets, double bucketSize, double epsilon) implements HistogramOptions {
    @Override
    public int findBucket(double value) {
      int bucket = (int) (value / bucketSize);
      if (bucket < 0) return 0;
      return Math.min(bucket, numBuckets - 1);
    }

    @Override
    public double bucketStart(int bucket) {
      check(bucket, numBuckets);
      return bucket * bucketSize;
    }
  }

  record Exponential(int numBuckets, double firstBucketSize, double ratio, double epsilon) implements HistogramOptions {
    @Override
    public int findBucket(double value) {
      if (value < firstBucketSize) return 0;
      int bucket = (int) log(ratio, value * (ratio - 1) / firstBucketSize + 1);
      return Math.min(bucket, numBuckets - 1);
    }

    @Override
    public double bucketStart(int bucket) {
      check(bucket, numBuckets);
      return bucket == 0 ? 0.0 : firstBucketSize * (Math.pow(ratio, bucket) - 1) / (ratio - 1);
    }
  }

  private static void check(int bucket, int numBuckets) {
    if (bucket < 0 || bucket >= numBuckets) {
      throw new IndexOutOfBoundsException("index " + bucket + " out of range [0.." + (numBuckets - 1) + "]");
    }
  }
}
