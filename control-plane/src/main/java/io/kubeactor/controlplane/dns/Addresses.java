package io.kubeactor.controlplane.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals read without ever asking DNS: {@link InetAddress#getByName} would look a name up, and
 * object fields (a Service's clusterIP, an endpoint's address) are user input.
 */
final class Addresses {
  private Addresses() {}

  /** The address a literal names, or null when it is not an IPv4 or IPv6 literal. */
  static InetAddress parse(String s) {
    if (s == null || s.isEmpty()) return null;
    if (s.indexOf(':') < 0) return parseIpv4(s);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
    }
    try {
      InetAddress a = InetAddress.getByName(s); // an IPv6 literal: parsed, never looked up
      return a instanceof Inet6Address || a instanceof Inet4Address ? a : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** As {@link #parse}, throwing for anything else. */
  static InetAddress literal(String s) {
    InetAddress a = parse(s);
    if (a == null) throw new IllegalArgumentException("not an IP address: " + s);
    return a;
  }

  static Inet4Address parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) return null;
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') return null;
        v = v * 10 + (c - '0');
      }
      if (v > 255) return null;
      b[i] = (byte) v;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
