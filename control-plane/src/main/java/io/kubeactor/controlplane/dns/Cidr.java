package io.kubeactor.controlplane.dns;

import java.net.InetAddress;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** An IPv4 address range ("10.96.0.0/12") whose reverse (in-addr.arpa) names the cluster DNS answers. */
public record Cidr(byte[] network, int prefix) {

  public static Cidr parse(String s) {
    int slash = s.indexOf('/');
    InetAddress a = slash < 0 ? null : Addresses.parseIpv4(s.substring(0, slash));
    int prefix;
    try {
      prefix = slash < 0 ? -1 : Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (a == null || prefix < 0 || prefix > 32) throw new IllegalArgumentException("not an IPv4 CIDR: " + s);
    return new Cidr(a.getAddress(), prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length != 4) return false;
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
    }
    return true;
  }

  /**
   * The reverse zone the range lies in, on an octet boundary (10.96.0.0/12 → 10.in-addr.arpa.,
   * 10.244.0.0/16 → 244.10.in-addr.arpa.): the owner of the SOA in negative answers.
   */
  public Name reverseZone() {
    StringBuilder sb = new StringBuilder();
    for (int i = prefix / 8 - 1; i >= 0; i--) sb.append(network[i] & 0xff).append('.');
    try {
      return Name.fromString(sb + "in-addr.arpa.");
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return (network[0] & 0xff) + "." + (network[1] & 0xff) + "." + (network[2] & 0xff) + "." + (network[3] & 0xff) + "/" + prefix;
  }
}
