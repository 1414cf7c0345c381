package io.kubeactor.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's nodeHealthMap: when this controller last saw each node show a sign of life, in its own
 * clock. A sign of life is a new heartbeat time on the Ready condition or a newer renewTime on the
 * node's Lease. Measuring against the controller's clock, not the times the node wrote, makes a
 * node's clock skew irrelevant and gives every node a full grace period after the control plane
 * restarts (the first observation counts as now).
 */
final class NodeHealth {

  /** --node-startup-grace-period: how long a node that never reported may take to. */
  static final Duration STARTUP_GRACE = Duration.ofSeconds(60);

  private record Seen(boolean hasReady, String heartbeat, Instant leaseRenewed, Instant probe, Duration grace) {
    Instant expiry() {
      return probe.plus(grace);
    }
  }

  private final Map<String, Seen> byNode = new ConcurrentHashMap<>();

  /**
   * Observes the node and its Lease's renewTime (null: no Lease); the moment it expires: its last
   * sign of life plus its grace period (60 s for a node that never reported, as upstream's
   * --node-startup-grace-period, else the monitor grace period).
   */
  Instant observe(Node node, String leaseRenewTime, Instant now, Duration monitorGrace) {
    String name = node.getMetadata().getName();
    NodeCondition ready = NodeConditions.ready(node);
    Seen saved = byNode.get(name);
    Instant probe;
    if (ready == null) {
      // never reported: its grace runs from its creation
      probe = saved != null && !saved.hasReady() ? saved.probe() : created(node, now);
    } else if (saved == null || !saved.hasReady()) {
      probe = now;
    } else if (!Objects.equals(saved.heartbeat(), ready.getLastHeartbeatTime())) {
      probe = now;
    } else {
      probe = saved.probe();
    }
    Instant renewed = parse(leaseRenewTime);
    Instant leaseSeen = saved == null ? null : saved.leaseRenewed();
    if (renewed != null && (leaseSeen == null || leaseSeen.isBefore(renewed))) {
      probe = now;
      leaseSeen = renewed;
    }
    Seen seen = new Seen(ready != null, ready == null ? null : ready.getLastHeartbeatTime(), leaseSeen, probe,
        ready == null ? STARTUP_GRACE : monitorGrace);
    byNode.put(name, seen);
    return seen.expiry();
  }

  /** Whether the node was seen and its grace period is over (whatever its conditions say yet). */
  boolean expired(String name, Instant now) {
    Seen s = byNode.get(name);
    return s != null && now.isAfter(s.expiry());
  }

  /** Every known node counts as seen now (leaving master disruption mode: each gets a full grace period again). */
  void resetProbes(Instant now) {
    byNode.replaceAll((name, s) -> new Seen(s.hasReady(), s.heartbeat(), s.leaseRenewed(), now, s.grace()));
  }

  boolean seen(String name) {
    return byNode.containsKey(name);
  }

  void forget(String name) {
    byNode.remove(name);
  }

  private static Instant created(Node node, Instant now) {
    Instant t = parse(node.getMetadata().getCreationTimestamp());
    return t == null ? now : t;
  }

  static Instant parse(String time) {
    if (time == null || time.isEmpty()) return null;
    try {
      return Instant.parse(time);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
