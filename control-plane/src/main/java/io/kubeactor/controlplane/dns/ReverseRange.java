package io.kubeactor.controlplane.dns;

import io.kubeactor.common.Cidr;
import java.net.InetAddress;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** An IPv4 range ("10.96.0.0/12") whose reverse (in-addr.arpa) names the cluster DNS answers. */
public record ReverseRange(Cidr range) {

  public static ReverseRange parse(String s) {
    return new ReverseRange(Cidr.parse(s));
  }

  public boolean contains(InetAddress address) {
    return address.getAddress().length == 4 && range.contains(address.getHostAddress());
  }

  /**
   * The reverse zone the range lies in, on an octet boundary (10.96.0.0/12 → 10.in-addr.arpa.,
   * 10.244.0.0/16 → 244.10.in-addr.arpa.): the owner of the SOA in negative answers.
   */
  public Name reverseZone() {
    String[] octets = Cidr.text(range.network()).split("\\.");
    StringBuilder sb = new StringBuilder();
    for (int i = range.prefix() / 8 - 1; i >= 0; i--) sb.append(octets[i]).append('.');
    try {
      return Name.fromString(sb + "in-addr.arpa.");
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return range.toString();
  }
}
