package io.kubeactor.common;

/**
 * An IPv4 range in CIDR notation ("10.244.1.0/24"): what node PodCIDRs, the cluster CIDR and the
 * service range are. Addresses are handled as unsigned 32-bit numbers in a long.
 */
public record Cidr(long network, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length " + prefix + " is not 0-32");
    network &= mask(prefix);
  }

  /** Parses "a.b.c.d/n"; IllegalArgumentException when it is not one. */
  public static Cidr parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not a CIDR: " + text);
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR: " + text);
    }
    return new Cidr(address(text.substring(0, slash)), prefix);
  }

  public boolean contains(String address) {
    try {
      return contains(address(address));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public boolean contains(long address) {
    return (address & mask(prefix)) == network;
  }

  /** The range's address at offset {@code n} (1: its first host address, the gateway of a node's bridge). */
  public String address(long n) {
    return text(network + n);
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  @Override
  public String toString() {
    return text(network) + "/" + prefix;
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  /** "a.b.c.d" as a number; IllegalArgumentException when it is not an IPv4 address. */
  public static long address(String text) {
    String[] parts = text == null ? new String[0] : text.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + text);
    long a = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + text);
      a = (a << 8) | octet;
    }
    return a;
  }

  public static String text(long a) {
    return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
  }
}
