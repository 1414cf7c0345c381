package io.kubeactor.controlplane.controller.vpa;

import java.time.Duration;
import java.time.Instant;

/**
 * A histogram that forgets (upstream's recommender/util/decaying_histogram.go): a sample's weight is
 * multiplied by 2^((sampleTime − referenceTimestamp) / halfLife), so a sample counts half as much
 * as one a half-life newer. Only relative weights matter, so when the factor would pass 2^100 the
 * reference moves forward (a whole number of half-lives) and the stored weights shrink to match.
 */
public final class DecayingHistogram extends Histogram {

  /** Past 2^this the weights are renormalized. */
  private static final int MAX_DECAY_EXPONENT = 100;

  private final Duration halfLife;
  private Instant referenceTimestamp = Instant.EPOCH;

  public DecayingHistogram(HistogramOptions options, Duration halfLife) {
    super(options);
    this.halfLife = halfLife;
  }

  @Override
  public void addSample(double value, double weight, Instant time) {
    super.addSample(value, weight * decayFactor(time), time);
  }

  @Override
  public void subtractSample(double value, double weight, Instant time) {
    super.subtractSample(value, weight * decayFactor(time), time);
  }

  @Override
  public void merge(Histogram other) {
    DecayingHistogram o = (DecayingHistogram) other;
    if (!o.halfLife.equals(halfLife)) {
      throw new IllegalArgumentException("can't merge decaying histograms with different half life periods");
    }
    if (referenceTimestamp.isBefore(o.referenceTimestamp)) shiftReferenceTimestamp(o.referenceTimestamp);
    else if (o.referenceTimestamp.isBefore(referenceTimestamp)) o.shiftReferenceTimestamp(referenceTimestamp);
    super.merge(o);
  }

  @Override
  public boolean sameAs(Histogram other) {
    return other instanceof DecayingHistogram d && d.halfLife.equals(halfLife)
        && d.referenceTimestamp.equals(referenceTimestamp) && super.sameAs(other);
  }

  Instant referenceTimestamp() {
    return referenceTimestamp;
  }

  /** The reference timestamp that the checkpoint's weights are relative to. */
  void loadFromCheckpoint(Checkpoint checkpoint, Instant reference) {
    loadFromCheckpoint(checkpoint);
    referenceTimestamp = reference;
  }

  private void shiftReferenceTimestamp(Instant newReference) {
    // a whole number of half-lives (Go's Time.Round: halfway rounds up)
    long half = halfLife.toNanos();
    long nanos = Duration.between(Instant.EPOCH, newReference).toNanos();
    long rounded = Math.floorDiv(nanos + half / 2, half) * half;
    Instant reference = Instant.EPOCH.plusNanos(rounded);
    double exponent = Math.floor((double) Duration.between(reference, referenceTimestamp).toNanos() / half + 0.5);
    scale(Math.scalb(1.0, (int) exponent));
    referenceTimestamp = reference;
  }

  private double decayFactor(Instant time) {
    Instant maxAllowed = referenceTimestamp.plus(halfLife.multipliedBy(MAX_DECAY_EXPONENT));
    if (time.isAfter(maxAllowed)) shiftReferenceTimestamp(time);
    return Math.pow(2, (double) Duration.between(referenceTimestamp, time).toNanos() / halfLife.toNanos());
  }
}
