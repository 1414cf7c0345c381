package io.kubeactor.controlplane.controller.nodeipam;

import java.util.Collection;
import java.util.Optional;

/**
 * The subnets of one IPv4 range cut into equal blocks (10.244.0.0/16 into /24s), as
 * kube-controller-manager's cidrset: the next free block after the last one handed out, wrapping
 * around, so that a block just released is not given again at once.
 */
final class CidrSet {

  private final long base;
  private final int clusterPrefix;
  private final int blockPrefix;
  private final int blocks;
  private int nextCandidate;

  CidrSet(String clusterCidr, int blockPrefix) {
    int slash = clusterCidr.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " has no prefix length");
    this.clusterPrefix = Integer.parseInt(clusterCidr.substring(slash + 1));
    if (blockPrefix < clusterPrefix || blockPrefix > 30 || blockPrefix - clusterPrefix > 16) {
      throw new IllegalArgumentException("node CIDR mask size " + blockPrefix + " does not fit cluster CIDR " + clusterCidr);
    }
    long mask = clusterPrefix == 0 ? 0 : (0xFFFFFFFFL << (32 - clusterPrefix)) & 0xFFFFFFFFL;
    this.base = address(clusterCidr.substring(0, slash)) & mask;
    this.blockPrefix = blockPrefix;
    this.blocks = 1 << (blockPrefix - clusterPrefix);
  }

  /** The next block that none of {@code taken} is, or empty when the range is full. */
  Optional<String> next(Collection<String> taken) {
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (String cidr : taken) {
      int i = indexOf(cidr);
      if (i >= 0) used.add(i);
    }
    for (int n = 0; n < blocks; n++) {
      int candidate = (nextCandidate + n) % blocks;
      if (!used.contains(candidate)) {
        nextCandidate = (candidate + 1) % blocks;
        return Optional.of(block(candidate));
      }
    }
    return Optional.empty();
  }

  /** Whether the CIDR is one of this set's blocks. */
  boolean contains(String cidr) {
    return indexOf(cidr) >= 0;
  }

  String block(int index) {
    return text(base + ((long) index << (32 - blockPrefix))) + "/" + blockPrefix;
  }

  private int indexOf(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0) return -1;
    try {
      if (Integer.parseInt(cidr.substring(slash + 1)) != blockPrefix) return -1;
      long offset = address(cidr.substring(0, slash)) - base;
      long size = 1L << (32 - blockPrefix);
      if (offset < 0 || offset % size != 0 || offset / size >= blocks) return -1;
      return (int) (offset / size);
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  static long address(String text) {
    String[] parts = text.split("\\.");
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + text);
    long a = 0;
    for (String p : parts) {
      int octet = Integer.parseInt(p);
      if (octet < 0 || octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + text);
      a = (a << 8) | octet;
    }
    return a;
  }

  static String text(long a) {
    return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
  }
}
