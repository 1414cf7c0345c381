package io.kubeactor.controlplane.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.bouncycastle.util.IPAddress;

/**
 * IP addresses and CIDRs read as Kubernetes v1.32 reads them (k8s.io/utils/net ParseIPSloppy and
 * ParseCIDRSloppy: Go's net.ParseIP that still allows leading zeros in IPv4 octets), with the
 * messages of apimachinery's IsValidIP and IsValidCIDR. Literals only: nothing is ever resolved.
 */
public final class IpAddresses {
  private IpAddresses() {}

  public static final String INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  public static final String INVALID_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  /** As {@link #parse}, throwing IllegalArgumentException for anything but an IP literal. */
  public static InetAddress literal(String text) {
    InetAddress a = parse(text);
    if (a == null) throw new IllegalArgumentException("not an IP address: " + text);
    return a;
  }

  /** The address, or null when the text is not an IP literal. IPv4-in-IPv6 forms come back as IPv4, as Go's To4 sees them. */
  public static InetAddress parse(String text) {
    if (text == null || text.isEmpty()) return null;
    if (text.indexOf(':') < 0) {
      byte[] v4 = parseV4(text);
      return v4 == null ? null : of(v4);
    }
    // brackets and zones are not part of an address literal for Go
    if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0 || !IPAddress.isValidIPv6(text)) return null;
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public static boolean isValid(String text) {
    return parse(text) != null;
  }

  public static boolean isIPv4(String text) {
    return parse(text) instanceof Inet4Address;
  }

  public static boolean isIPv6(String text) {
    InetAddress a = parse(text);
    return a != null && !(a instanceof Inet4Address);
  }

  /** Go's net.IP.String(): dotted decimal, or RFC 5952 compressed IPv6; the text itself if no IP. */
  public static String canonical(String text) {
    InetAddress a = parse(text);
    return a == null ? text : text(a);
  }

  /** The address as Go prints it: dotted decimal, or IPv6 with its longest run of zero groups as "::" (RFC 5952). */
  public static String text(InetAddress a) {
    if (a instanceof Inet4Address) return a.getHostAddress();
    byte[] b = a.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    // the longest run of two or more zero groups becomes "::" (the first one on a tie)
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /** An IPv4 address as an unsigned 32-bit number. */
  public static long toLong(Inet4Address address) {
    long v = 0;
    for (byte b : address.getAddress()) v = (v << 8) | (b & 0xff);
    return v;
  }

  /** The IPv4 address of an unsigned 32-bit number, in dotted-decimal form. */
  public static String v4(long value) {
    return ((value >>> 24) & 0xff) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
  }

  /** A CIDR as ParseCIDRSloppy reads it: the network (host bits cleared) and the prefix length. */
  public record Cidr(InetAddress network, int prefixLength) {
    public boolean isIPv4() {
      return network instanceof Inet4Address;
    }

    @Override
    public String toString() {
      return network.getHostAddress() + "/" + prefixLength;
    }
  }

  /** The CIDR, or null when the text is not one. */
  public static Cidr parseCidr(String text) {
    if (text == null) return null;
    int slash = text.indexOf('/');
    if (slash < 0) return null;
    InetAddress ip = parse(text.substring(0, slash));
    String bits = text.substring(slash + 1);
    if (ip == null || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) return null;
    // Go reads the address part by its text: an IPv4 literal in a colon form counts as IPv6 here
    boolean v4 = text.substring(0, slash).indexOf(':') < 0;
    int max = v4 ? 32 : 128;
    int prefix = Integer.parseInt(bits);
    if (prefix > max) return null;
    byte[] raw = ip.getAddress();
    if (!v4 && raw.length == 4) raw = mapped(raw);
    for (int i = 0; i < raw.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      raw[i] = (byte) (raw[i] & (0xff << (8 - keep)));
    }
    return new Cidr(of(raw), prefix);
  }

  /** Go's dotted-decimal IPv4: four decimal parts of at most 255, leading zeros allowed. */
  private static byte[] parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty()) return null;
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') return null;
        v = v * 10 + (c - '0');
        if (v > 255) return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] mapped(byte[] v4) {
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  private static InetAddress of(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
