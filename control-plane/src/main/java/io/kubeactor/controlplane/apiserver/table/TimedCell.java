package io.kubeactor.controlplane.apiserver.table;

import java.time.Instant;

/**
 * A cell that reads the clock (an age, "5m ago"): printed when the table is written, so the rest of
 * a row can be kept with the object it was printed from and reused by every later LIST.
 */
@FunctionalInterface
interface TimedCell {

  String at(Instant now);

  /** The time since {@code time} as kubectl shows it ("<unknown>" when null). */
  static TimedCell since(Instant time) {
    return now -> HumanDuration.since(time, now);
  }
}
