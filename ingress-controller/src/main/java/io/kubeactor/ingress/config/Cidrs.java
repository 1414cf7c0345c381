package io.kubeactor.ingress.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Validates the IPs and CIDRs of allowlist-source-range as nginx's allow directive takes them. */
final class Cidrs {

  private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]+$");

  private Cidrs() {}

  static boolean isValid(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    int maxPrefix;
    var v4 = IPV4.matcher(address);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return false;
        }
      }
      maxPrefix = 32;
    } else if (address.contains(":") && IPV6.matcher(address).matches()) {
      try {
        // a literal with a colon is parsed, never looked up
        InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        return false;
      }
      maxPrefix = 128;
    } else {
      return false;
    }
    if (slash < 0) {
      return true;
    }
    String prefix = cidr.substring(slash + 1);
    return prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= maxPrefix;
  }
}
