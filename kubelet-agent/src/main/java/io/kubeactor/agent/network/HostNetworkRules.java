package io.kubeactor.agent.network;

import io.kubeactor.common.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's part of the pod network, written by the agent that owns the host's rules
 * ({@link HostOwnership}): forwarding on; bridged traffic through netfilter (so replies between
 * two pods of one bridge are un-NATed); Docker's forwarding filter told to let the cluster's pod
 * traffic through (it drops traffic between Docker bridges otherwise); and a route to each PodCIDR
 * of a node on another host through that node's address, as kindnet and flannel's host-gw do. The
 * masquerading of pods' outbound traffic lives in the service proxy's table.
 */
public final class HostNetworkRules {

  private static final Logger log = LoggerFactory.getLogger(HostNetworkRules.class);

  /** The routing protocol number our routes carry, so that only ours are ever removed. */
  static final String ROUTE_PROTOCOL = "77";
  private static final String COMMENT = "kubeactor pod network";

  private final String clusterCidr;

  public HostNetworkRules(String clusterCidr) {
    this.clusterCidr = clusterCidr;
  }

  /** Once, when this agent becomes the owner (blocking). Problems are logged: pods on one node still work. */
  public void prepare() {
    sysctl("net/ipv4/ip_forward", "1");
    sysctl("net/bridge/bridge-nf-call-iptables", "1");
    if (!Commands.succeeds(List.of("iptables", "-w", "-n", "-L", "DOCKER-USER"))) return;
    accept(List.of("-s", clusterCidr));
    accept(List.of("-d", clusterCidr, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT"));
  }

  private void accept(List<String> match) {
    List<String> rule = new ArrayList<>(match);
    rule.addAll(List.of("-m", "comment", "--comment", COMMENT, "-j", "ACCEPT"));
    List<String> check = new ArrayList<>(List.of("iptables", "-w", "-C", "DOCKER-USER"));
    check.addAll(rule);
    if (Commands.succeeds(check)) return;
    List<String> insert = new ArrayList<>(List.of("iptables", "-w", "-I", "DOCKER-USER"));
    insert.addAll(rule);
    try {
      Commands.run(insert, null);
    } catch (Commands.Failed e) {
      log.warn("pods of different nodes may not reach each other: {}", e.getMessage());
    }
  }

  /**
   * Routes to the PodCIDRs of nodes on other hosts ({@code podCidr -> node address}), and no other
   * route of ours: a PodCIDR whose node lives here, or whose node's address is on no network this
   * host reaches directly, gets none.
   */
  public void syncRoutes(Map<String, String> remotePodCidrs) {
    Set<String> wanted = new HashSet<>();
    for (Map.Entry<String, String> e : remotePodCidrs.entrySet()) {
      try {
        Cidr.parse(e.getKey());
        Cidr.address(e.getValue());
      } catch (IllegalArgumentException bad) {
        continue;
      }
      wanted.add(e.getKey());
      try {
        Commands.run(List.of("ip", "route", "replace", e.getKey(), "via", e.getValue(), "proto", ROUTE_PROTOCOL), null);
      } catch (Commands.Failed failed) {
        log.warn("no route to the pods of {} through {}: {}", e.getKey(), e.getValue(), failed.getMessage());
      }
    }
    try {
      for (String line : Commands.run(List.of("ip", "-4", "route", "show", "proto", ROUTE_PROTOCOL), null).split("\n")) {
        String dst = line.strip().split(" ")[0];
        if (!dst.isEmpty() && !wanted.contains(dst)) Commands.run(List.of("ip", "route", "del", dst, "proto", ROUTE_PROTOCOL), null);
      }
    } catch (Commands.Failed e) {
      log.warn("stale pod routes not removed: {}", e.getMessage());
    }
  }

  private static void sysctl(String key, String value) {
    Path file = Path.of("/proc/sys", key);
    try {
      if (Files.exists(file) && !Files.readString(file).strip().equals(value)) Files.writeString(file, value);
    } catch (Exception e) {
      log.warn("cannot set {} to {}: {}", key.replace('/', '.'), value, e.getMessage());
    }
  }
}
