package io.kubeactor.controlplane.registry.service;

import io.kubeactor.controlplane.api.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * The Service cluster IPs of one IPv4 CIDR, as upstream's ipallocator.Range: every address but
 * the network and broadcast ones. Addresses handed out unasked come from the upper part of the
 * range; the lower part (min(max(16, size/16), 256) addresses, e.g. 10.96.0.1-10.96.1.0 of
 * 10.96.0.0/12) is kept for addresses asked for by name, such as the kubernetes and kube-dns
 * Services'. Thread-safe.
 */
public final class ClusterIpAllocator {

  private final IpAddresses.Cidr cidr;
  /** The first usable address (the network address + 1). */
  private final long base;
  private final AllocationBitmap bitmap;

  public ClusterIpAllocator(String cidr) {
    this(cidr, RandomGenerator.getDefault());
  }

  ClusterIpAllocator(String cidr, RandomGenerator random) {
    IpAddresses.Cidr parsed = IpAddresses.parseCidr(cidr);
    if (parsed == null) throw new IllegalArgumentException("not a CIDR: " + cidr);
    if (!parsed.isIPv4()) throw new IllegalArgumentException("only IPv4 service ranges are supported, not " + cidr);
    this.cidr = parsed;
    long size = 1L << (32 - parsed.prefixLength());
    this.base = IpAddresses.toLong((Inet4Address) parsed.network()) + 1;
    int max = (int) Math.max(0, size - 2);
    this.bitmap = new AllocationBitmap(max, rangeOffset(size), random);
  }

  /** upstream's calculateRangeOffset: min(max(16, size/16), 256), or 0 for ranges of 16 or fewer. */
  static int rangeOffset(long size) {
    if (size <= 16) return 0;
    return (int) Math.min(Math.max(16, size / 16), 256);
  }

  /** The range as upstream prints it in errors ("10.96.0.0/12"). */
  public String cidr() {
    return cidr.toString();
  }

  /** The n-th usable address (1 is the first: 10.96.0.1 of 10.96.0.0/12), as kube-apiserver and kubeadm pick the kubernetes and DNS Service IPs. */
  public String address(int n) {
    if (n < 1 || n > bitmap.max()) throw new IllegalArgumentException("the range " + cidr() + " has no address number " + n);
    return IpAddresses.v4(base + n - 1);
  }

  /** Takes the address if it is in the range and free. */
  public void allocate(String ip) throws AllocationException {
    int offset = offsetOf(ip);
    if (offset < 0) throw notInRange(ip);
    if (!bitmap.allocate(offset)) throw allocated();
  }

  /** Fails as {@link #allocate} does for an address outside the range. */
  void checkInRange(String ip) throws AllocationException {
    if (offsetOf(ip) < 0) throw notInRange(ip);
  }

  /** Takes a free address, preferring the upper part of the range. */
  public String allocateNext() throws AllocationException {
    OptionalInt offset = bitmap.allocateNext();
    if (offset.isEmpty()) throw AllocationException.full();
    return IpAddresses.v4(base + offset.getAsInt());
  }

  /** Lets go of the address; an address out of the range or not held is ignored. */
  public void release(String ip) {
    int offset = offsetOf(ip);
    if (offset >= 0) bitmap.release(offset);
  }

  /** Adds a holder to an address in the range (a stored Service that uses it), even if it is held already. */
  void hold(String ip) {
    int offset = offsetOf(ip);
    if (offset >= 0) bitmap.hold(offset);
  }

  public boolean has(String ip) {
    int offset = offsetOf(ip);
    return offset >= 0 && bitmap.has(offset);
  }

  public boolean contains(String ip) {
    return offsetOf(ip) >= 0;
  }

  public int free() {
    return bitmap.free();
  }

  /** The address's offset from the first usable one, or -1 when it is not a usable address of the range. */
  private int offsetOf(String ip) {
    InetAddress address = IpAddresses.parse(ip);
    if (!(address instanceof Inet4Address v4)) return -1;
    long offset = IpAddresses.toLong(v4) - base;
    return offset >= 0 && offset < bitmap.max() ? (int) offset : -1;
  }

  /** The network address, as upstream's dry runs hand it out instead of allocating. */
  String networkAddress() {
    return cidr.network().getHostAddress();
  }

  private AllocationException notInRange(String ip) {
    InetAddress parsed = IpAddresses.parse(ip);
    String shown = parsed == null ? ip : parsed.getHostAddress();
    return new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
        "the provided IP (" + shown + ") is not in the valid range. The range of valid IPs is " + cidr());
  }

  private static AllocationException allocated() {
    return new AllocationException(AllocationException.Reason.ALLOCATED, "provided IP is already allocated");
  }
}
