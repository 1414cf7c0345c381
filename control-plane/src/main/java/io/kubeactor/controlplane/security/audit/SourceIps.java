package io.kubeactor.controlplane.security.audit;

import io.kubeactor.controlplane.api.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's sourceIPs as apimachinery's utilnet.SourceIPs reads them: the X-Forwarded-For chain,
 * then X-Real-Ip unless already in it, then the peer's address (which cannot be spoofed) unless it
 * is the chain's last; what is not an IP literal is skipped, nothing is resolved.
 */
public final class SourceIps {
  private SourceIps() {}

  /**
   * @param forwardedFor the X-Forwarded-For header, or null
   * @param realIp the X-Real-Ip header, or null
   * @param remoteAddress the peer's address, or null
   */
  public static List<String> of(String forwardedFor, String realIp, String remoteAddress) {
    List<InetAddress> ips = new ArrayList<>();
    if (forwardedFor != null && !forwardedFor.isEmpty()) {
      for (String part : forwardedFor.split(",", -1)) {
        InetAddress ip = IpAddresses.parse(part.strip());
        if (ip != null) ips.add(ip);
      }
    }
    InetAddress real = realIp == null ? null : IpAddresses.parse(realIp);
    if (real != null && !ips.contains(real)) ips.add(real);
    InetAddress remote = remoteAddress == null ? null : IpAddresses.parse(remoteAddress);
    if (remote != null && (ips.isEmpty() || !ips.get(ips.size() - 1).equals(remote))) ips.add(remote);
    return ips.stream().map(IpAddresses::text).toList();
  }
}
