package io.kubeactor.agent.proxy;

import io.kubeactor.agent.network.Commands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stale UDP flows, as kube-proxy clears them: a UDP "connection" lives in conntrack as long as its
 * packets keep coming, so a flow NATed to an endpoint that is gone would keep going there, and one
 * seen while a Service had no endpoint would never reach the endpoints that came since. TCP needs
 * none of this (a dead endpoint resets the connection).
 */
final class Conntrack {

  private static final Logger log = LoggerFactory.getLogger(Conntrack.class);

  private Conntrack() {}

  /** The conntrack(8) invocations that clear what {@code before} left stale in {@code after}. */
  static List<List<String>> staleEntries(Map<ServicePort, List<ServiceEndpoint>> before,
      Map<ServicePort, List<ServiceEndpoint>> after) {
    List<List<String>> commands = new ArrayList<>();
    for (Map.Entry<ServicePort, List<ServiceEndpoint>> e : after.entrySet()) {
      ServicePort sp = e.getKey();
      if (!sp.protocol().equals("udp")) continue;
      List<ServiceEndpoint> was = before.get(sp);
      Set<String> now = NftablesRuleset.usable(e.getValue(), null).stream().map(ServiceEndpoint::ip).collect(Collectors.toSet());
      Set<String> then = was == null ? Set.of() : NftablesRuleset.usable(was, null).stream().map(ServiceEndpoint::ip)
          .collect(Collectors.toSet());
      if (then.isEmpty() && !now.isEmpty()) {
        // flows seen while there was no endpoint were never NATed: they must start again
        commands.add(List.of("conntrack", "-D", "-p", "udp", "--orig-dst", sp.clusterIp(), "--orig-port-dst",
            Integer.toString(sp.port())));
        if (sp.nodePort() > 0) commands.add(List.of("conntrack", "-D", "-p", "udp", "--orig-port-dst", Integer.toString(sp.nodePort())));
      }
      for (String gone : then) {
        if (now.contains(gone)) continue;
        commands.add(List.of("conntrack", "-D", "-p", "udp", "--orig-dst", sp.clusterIp(), "--dst-nat", gone));
        if (sp.nodePort() > 0) {
          commands.add(List.of("conntrack", "-D", "-p", "udp", "--orig-port-dst", Integer.toString(sp.nodePort()), "--dst-nat", gone));
        }
      }
    }
    return commands;
  }

  /** Runs them (blocking); conntrack exits 1 when there was nothing to delete, which is no error. */
  static void clear(List<List<String>> commands) {
    for (List<String> c : commands) {
      try {
        Commands.run(c, null);
      } catch (Commands.Failed e) {
        if (!e.getMessage().contains("0 flow entries")) log.debug("{}", e.getMessage());
      }
    }
  }
}
