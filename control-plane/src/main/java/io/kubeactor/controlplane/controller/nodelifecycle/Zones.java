package io.kubeactor.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Upstream's zone states: nodes grouped by topology region and zone, each zone Normal, in partial
 * disruption (more than 2 and at least 55% of its nodes not Ready) or in full disruption (none
 * Ready). The state sets how fast nodes of the zone may be tainted NoExecute (kube-controller-
 * manager's --node-eviction-rate 0.1/s, --secondary-node-eviction-rate 0.01/s in a large zone, none
 * in a small partially disrupted one); when every zone is fully disrupted the problem is taken to be
 * the control plane's, not the nodes', and nothing is evicted (master disruption mode).
 */
final class Zones {
  private Zones() {}

  enum State { NORMAL, PARTIAL_DISRUPTION, FULL_DISRUPTION }

  static final double EVICTION_RATE = 0.1;
  static final double SECONDARY_EVICTION_RATE = 0.01;
  static final double UNHEALTHY_ZONE_THRESHOLD = 0.55;
  static final int LARGE_CLUSTER_SIZE = 50;

  /** A zone's size and state. */
  record Zone(int size, State state) {
    /** Nodes per second that may be tainted NoExecute in the zone. */
    double taintRate() {
      return switch (state) {
        case NORMAL, FULL_DISRUPTION -> EVICTION_RATE;
        case PARTIAL_DISRUPTION -> size > LARGE_CLUSTER_SIZE ? SECONDARY_EVICTION_RATE : 0;
      };
    }
  }

  /** utilnode.GetZoneKey: region and zone from the topology labels (or their beta names); "" when neither is set. */
  static String keyOf(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    String zone = labels.getOrDefault("topology.kubernetes.io/zone", labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", ""));
    String region = labels.getOrDefault("topology.kubernetes.io/region",
        labels.getOrDefault("failure-domain.beta.kubernetes.io/region", ""));
    return region.isEmpty() && zone.isEmpty() ? "" : region + ":\u0000:" + zone;
  }

  /** The zones of the nodes, counting as Ready those the predicate says are. */
  static Map<String, Zone> of(Collection<Node> nodes, Predicate<Node> ready) {
    Map<String, int[]> counts = new HashMap<>();
    for (Node n : nodes) {
      int[] c = counts.computeIfAbsent(keyOf(n), k -> new int[2]);
      if (ready.test(n)) c[0]++;
      else c[1]++;
    }
    Map<String, Zone> zones = new HashMap<>();
    counts.forEach((k, c) -> zones.put(k, new Zone(c[0] + c[1], state(c[0], c[1]))));
    return zones;
  }

  /** ComputeZoneState. */
  static State state(int ready, int notReady) {
    if (ready == 0 && notReady > 0) return State.FULL_DISRUPTION;
    if (notReady > 2 && (double) notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return State.PARTIAL_DISRUPTION;
    return State.NORMAL;
  }

  static boolean allFullyDisrupted(Map<String, Zone> zones) {
    return !zones.isEmpty() && zones.values().stream().allMatch(z -> z.state() == State.FULL_DISRUPTION);
  }
}
