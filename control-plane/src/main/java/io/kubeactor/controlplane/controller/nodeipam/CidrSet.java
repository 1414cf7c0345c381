package io.kubeactor.controlplane.controller.nodeipam;

import io.kubeactor.common.Cidr;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The subnets of one IPv4 range cut into equal blocks (10.244.0.0/16 into /24s), as
 * kube-controller-manager's cidrset: the next free block after the last one handed out, wrapping
 * around, so that a block just released is not given again at once.
 */
final class CidrSet {

  private final Cidr range;
  private final int blockPrefix;
  private final int blocks;
  private int nextCandidate;

  CidrSet(String clusterCidr, int blockPrefix) {
    this.range = Cidr.parse(clusterCidr);
    if (blockPrefix < range.prefix() || blockPrefix > 30 || blockPrefix - range.prefix() > 16) {
      throw new IllegalArgumentException("node CIDR mask size " + blockPrefix + " does not fit cluster CIDR " + clusterCidr);
    }
    this.blockPrefix = blockPrefix;
    this.blocks = 1 << (blockPrefix - range.prefix());
  }

  /** The next block that none of {@code taken} is, or empty when the range is full. */
  Optional<String> next(Collection<String> taken) {
    Set<Integer> used = new HashSet<>();
    for (String cidr : taken) {
      int i = indexOf(cidr);
      if (i >= 0) used.add(i);
    }
    for (int n = 0; n < blocks; n++) {
      int candidate = (nextCandidate + n) % blocks;
      if (!used.contains(candidate)) {
        nextCandidate = (candidate + 1) % blocks;
        return Optional.of(block(candidate).toString());
      }
    }
    return Optional.empty();
  }

  /** Whether the CIDR is one of this set's blocks. */
  boolean contains(String cidr) {
    return indexOf(cidr) >= 0;
  }

  private Cidr block(int index) {
    return new Cidr(range.network() + ((long) index << (32 - blockPrefix)), blockPrefix);
  }

  private int indexOf(String text) {
    Cidr cidr;
    try {
      cidr = Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    if (cidr.prefix() != blockPrefix || !cidr.toString().equals(text) || !range.contains(cidr.network())) return -1;
    return (int) ((cidr.network() - range.network()) >> (32 - blockPrefix));
  }
}
