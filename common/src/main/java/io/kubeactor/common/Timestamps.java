package io.kubeactor.common;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Kubernetes' metav1.Time: RFC 3339 in UTC, to the second. */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
