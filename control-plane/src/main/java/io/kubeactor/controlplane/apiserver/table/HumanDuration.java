package io.kubeactor.controlplane.apiserver.table;

import java.time.Duration;
import java.time.Instant;

/**
 * Kubernetes' {@code duration.HumanDuration}: about two significant figures ("45s", "3m10s",
 * "2d5h", "3y120d"); a clock up to 2 s behind counts as now, further behind is "<invalid>".
 */
public final class HumanDuration {
  private HumanDuration() {}

  /** Go's time.Duration is int64 nanoseconds and saturates there (about 292 years). */
  private static final Duration GO_MAX = Duration.ofNanos(Long.MAX_VALUE);

  /** The age of {@code time} at {@code now}, or "<unknown>" when there is no time. */
  public static String since(Instant time, Instant now) {
    return time == null ? "<unknown>" : format(Duration.between(time, now));
  }

  public static String format(Duration d) {
    if (d.compareTo(GO_MAX) > 0) d = GO_MAX;
    if (d.compareTo(GO_MAX.negated()) < 0) d = GO_MAX.negated();
    long seconds = wholeSeconds(d);
    if (seconds < -1) return "<invalid>";
    if (seconds < 0) return "0s";
    if (seconds < 60 * 2) return seconds + "s";
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 60 * 3) return minutes + "m";
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) return hours + "h";
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) return hours / 24 + "d";
    if (hours < 24 * 365 * 8) {
      long days = hours / 24 % 365;
      return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /** Whole seconds truncated toward zero, as Go's int(d.Seconds()). */
  private static long wholeSeconds(Duration d) {
    long s = d.getSeconds();
    return s < 0 && d.getNano() > 0 ? s + 1 : s;
  }
}
