package io.kubeactor.controlplane.registry.service;

import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * The node ports of a port range ("30000-32767"), as upstream's portallocator: ports handed out
 * unasked come from the upper part of the range; the lower min(max(16, size/32), 128) ports
 * (30000-30085 of the default range) are kept for ports asked for by number. Thread-safe.
 */
public final class NodePortAllocator {

  private final int base;
  private final int size;
  private final AllocationBitmap bitmap;

  public NodePortAllocator(String range) {
    this(range, RandomGenerator.getDefault());
  }

  NodePortAllocator(String range, RandomGenerator random) {
    String[] parts = range.trim().split("-", -1);
    int first;
    int last;
    try {
      if (parts.length == 1) {
        first = Integer.parseInt(parts[0].trim());
        last = first;
      } else if (parts.length == 2) {
        first = Integer.parseInt(parts[0].trim());
        last = Integer.parseInt(parts[1].trim());
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port range (e.g. 30000-32767): " + range);
    }
    if (first < 1 || last > 65535 || last < first) throw new IllegalArgumentException("not a port range (e.g. 30000-32767): " + range);
    this.base = first;
    this.size = last - first + 1;
    this.bitmap = new AllocationBitmap(size, rangeOffset(size), random);
  }

  /** upstream's calculateRangeOffset for ports: min(max(16, size/32), 128), or 0 for ranges of 16 or fewer. */
  static int rangeOffset(int size) {
    if (size <= 16) return 0;
    return Math.min(Math.max(16, size / 32), 128);
  }

  /** The range as upstream prints it ("30000-32767"). */
  public String range() {
    return base + "-" + (base + size - 1);
  }

  public boolean contains(int port) {
    return port >= base && port < base + size;
  }

  /** Takes the port if it is in the range and free. */
  public void allocate(int port) throws AllocationException {
    if (!contains(port)) throw notInRange();
    if (!bitmap.allocate(port - base)) throw allocated();
  }

  /** Takes a free port, preferring the upper part of the range. */
  public int allocateNext() throws AllocationException {
    OptionalInt offset = bitmap.allocateNext();
    if (offset.isEmpty()) throw AllocationException.full();
    return base + offset.getAsInt();
  }

  /** Lets go of the port; a port out of the range or not held is ignored. */
  public void release(int port) {
    if (contains(port)) bitmap.release(port - base);
  }

  /** Adds a holder to a port in the range (a stored Service that uses it), even if it is held already. */
  void hold(int port) {
    if (contains(port)) bitmap.hold(port - base);
  }

  public boolean has(int port) {
    return contains(port) && bitmap.has(port - base);
  }

  public int free() {
    return bitmap.free();
  }

  private AllocationException notInRange() {
    return new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
        "provided port is not in the valid range. The range of valid ports is " + range());
  }

  static AllocationException allocated() {
    return new AllocationException(AllocationException.Reason.ALLOCATED, "provided port is already allocated");
  }
}
