package io.kubeactor.controlplane.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literals as Kubernetes reads them (k8s.io/utils/net ParseIPSloppy: IPv4 octets may carry
 * leading zeros), parsed without ever resolving a name.
 */
public final class IpAddresses {
  private IpAddresses() {}

  private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The address, if the text is an IPv4 or IPv6 literal; empty otherwise. */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty()) return Optional.empty();
    if (IPV4.matcher(text).matches()) {
      String[] parts = text.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        String digits = parts[i].replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 3) return Optional.empty();
        int v = Integer.parseInt(digits);
        if (v > 255) return Optional.empty();
        bytes[i] = (byte) v;
      }
      return address(bytes);
    }
    // only hex digits, colons and dots: InetAddress takes it as a literal and does no lookup
    if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) return Optional.empty();
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether the text is an IPv4 address (an IPv4-mapped IPv6 literal counts, as Go's To4 does). */
  public static boolean isIPv4(String text) {
    return parse(text).map(a -> a instanceof Inet4Address).orElse(false);
  }

  public static boolean isIPv6(String text) {
    return parse(text).map(a -> !(a instanceof Inet4Address)).orElse(false);
  }

  /** Go's net.IP.String(): dotted decimal, or RFC 5952 compressed IPv6; the text itself if no IP. */
  public static String canonical(String text) {
    return parse(text).map(IpAddresses::format).orElse(text);
  }

  private static String format(InetAddress a) {
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

  private static Optional<InetAddress> address(byte[] bytes) {
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
