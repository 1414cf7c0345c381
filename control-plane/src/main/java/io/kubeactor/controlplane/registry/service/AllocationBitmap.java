package io.kubeactor.controlplane.registry.service;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Offsets 0..max-1 of a range (IPs of a CIDR, ports of a port range), handed out as upstream's
 * allocator.AllocationBitmap does with its random-scan-with-offset strategy: a free offset is
 * looked for from a random start in the upper part [offset, max), and only when that is full in
 * the lower part [0, offset), which is left for values that clients ask for by name.
 *
 * <p>An offset may have several holders (the stored objects that use it and the reservations of
 * requests in flight); it is free again when the last one lets go. Thread-safe.
 */
final class AllocationBitmap {

  private final int max;
  private final int offset;
  private final RandomGenerator random;
  private final BitSet taken = new BitSet();
  /** Holders beyond the first, for the rare offsets held more than once. */
  private final Map<Integer, Integer> extraHolders = new HashMap<>();
  private int count;

  AllocationBitmap(int max, int offset, RandomGenerator random) {
    if (max < 0 || offset < 0 || (max > 0 && offset >= max)) {
      throw new IllegalArgumentException("bad range: max " + max + ", offset " + offset);
    }
    this.max = max;
    this.offset = offset;
    this.random = random;
  }

  int max() {
    return max;
  }

  /** Takes the offset if it is free; false if it is held. */
  synchronized boolean allocate(int i) {
    check(i);
    if (taken.get(i)) return false;
    taken.set(i);
    count++;
    return true;
  }

  /** Takes a free offset, preferring the upper part; empty when every offset is held. */
  synchronized OptionalInt allocateNext() {
    if (count >= max) return OptionalInt.empty();
    int found = scan(offset, max);
    if (found < 0 && offset > 0) found = scan(0, offset);
    if (found < 0) return OptionalInt.empty();
    taken.set(found);
    count++;
    return OptionalInt.of(found);
  }

  /** The first free offset in [from, to) at or after a random start, wrapping around; -1 if none. */
  private int scan(int from, int to) {
    int start = from + random.nextInt(to - from);
    int at = taken.nextClearBit(start);
    if (at < to) return at;
    at = taken.nextClearBit(from);
    return at < start ? at : -1;
  }

  /** Adds a holder, whether or not the offset is held already (a stored object that uses it). */
  synchronized void hold(int i) {
    check(i);
    if (taken.get(i)) {
      extraHolders.merge(i, 1, Integer::sum);
    } else {
      taken.set(i);
      count++;
    }
  }

  /** Removes one holder; the offset is free when none is left. Releasing a free offset does nothing. */
  synchronized void release(int i) {
    check(i);
    Integer extra = extraHolders.get(i);
    if (extra != null) {
      if (extra == 1) extraHolders.remove(i);
      else extraHolders.put(i, extra - 1);
      return;
    }
    if (taken.get(i)) {
      taken.clear(i);
      count--;
    }
  }

  synchronized boolean has(int i) {
    return i >= 0 && i < max && taken.get(i);
  }

  /** How many offsets are free. */
  synchronized int free() {
    return max - count;
  }

  private void check(int i) {
    if (i < 0 || i >= max) throw new IndexOutOfBoundsException("offset " + i + " outside 0.." + (max - 1));
  }
}
