package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.AffinityTerm;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PodInfo;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.Status;
import io.kubeactor.controlplane.scheduler.framework.WeightedAffinityTerm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Pod affinity and anti-affinity (plugins/interpodaffinity). Required terms filter: the pod must
 * share a topology domain (nodes with the same value of the term's topologyKey label) with a pod
 * its affinity selects, must not share one with a pod its anti-affinity selects, and must not land
 * in a domain where an existing pod's anti-affinity selects it. Preferred terms, and existing pods'
 * terms towards this pod, add or subtract weight per domain for the score.
 */
public final class InterPodAffinity implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score {
  static final String NAME = "InterPodAffinity";
  static final String AFFINITY_REASON = "node(s) didn't match pod affinity rules";
  static final String ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
  static final String EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";
  /** Weight of an existing pod's required affinity term that selects the incoming pod (hardPodAffinityWeight). */
  static final int HARD_POD_AFFINITY_WEIGHT = 1;

  private record TopologyPair(String key, String value) {}

  /**
   * Per topology domain: existing pods whose required anti-affinity selects the incoming pod, and
   * existing pods selected by the incoming pod's required affinity (all terms) and anti-affinity terms.
   */
  private record FilterState(PodInfo pod, Map<TopologyPair, Long> existingAntiAffinityCounts,
      Map<TopologyPair, Long> affinityCounts, Map<TopologyPair, Long> antiAffinityCounts) {}

  /** Score per topology key and value. */
  private record ScoreState(Map<String, Map<String, Long>> topologyScore) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, Pod pod) {
    Snapshot snapshot = state.snapshot();
    Function<String, Map<String, String>> namespaceLabels = snapshot::namespaceLabels;
    PodInfo incoming = PodInfo.of(pod);
    Map<TopologyPair, Long> existingAntiAffinity = new HashMap<>();
    for (NodeInfo node : snapshot.havePodsWithRequiredAntiAffinity()) {
      for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
        for (AffinityTerm term : existing.requiredAntiAffinityTerms()) {
          if (term.matches(pod, namespaceLabels)) count(existingAntiAffinity, node, term.topologyKey());
        }
      }
    }
    if (existingAntiAffinity.isEmpty() && incoming.requiredAffinityTerms().isEmpty()
        && incoming.requiredAntiAffinityTerms().isEmpty()) {
      return PreFilterResult.SKIP;
    }
    Map<TopologyPair, Long> affinity = new HashMap<>();
    Map<TopologyPair, Long> antiAffinity = new HashMap<>();
    if (!incoming.requiredAffinityTerms().isEmpty() || !incoming.requiredAntiAffinityTerms().isEmpty()) {
      for (NodeInfo node : snapshot.nodes()) {
        for (PodInfo existing : node.pods()) {
          if (matchesAll(incoming.requiredAffinityTerms(), existing.pod(), namespaceLabels)) {
            incoming.requiredAffinityTerms().forEach(t -> count(affinity, node, t.topologyKey()));
          }
          for (AffinityTerm term : incoming.requiredAntiAffinityTerms()) {
            if (term.matches(existing.pod(), namespaceLabels)) count(antiAffinity, node, term.topologyKey());
          }
        }
      }
    }
    state.write(FilterState.class, new FilterState(incoming, existingAntiAffinity, affinity, antiAffinity));
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public Status filter(CycleState cycle, Pod pod, NodeInfo node) {
    FilterState state = cycle.read(FilterState.class);
    if (state == null) return Status.SUCCESS;
    if (!satisfiesAffinity(state, node, cycle.snapshot())) return Status.unschedulable(AFFINITY_REASON);
    if (!satisfiesAntiAffinity(state, node)) return Status.unschedulable(ANTI_AFFINITY_REASON);
    if (!satisfiesExistingAntiAffinity(state, node)) return Status.unschedulable(EXISTING_ANTI_AFFINITY_REASON);
    return Status.SUCCESS;
  }

  private static boolean satisfiesAffinity(FilterState state, NodeInfo node, Snapshot snapshot) {
    boolean podsExist = true;
    for (AffinityTerm term : state.pod().requiredAffinityTerms()) {
      String value = node.labels().get(term.topologyKey());
      if (value == null) return false; // the node must have every topology label
      if (state.affinityCounts().getOrDefault(new TopologyPair(term.topologyKey(), value), 0L) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first of a group of pods with affinity to each other: if no pod anywhere matches yet and
    // the pod matches its own terms, let it start the group.
    return state.affinityCounts().isEmpty()
        && matchesAll(state.pod().requiredAffinityTerms(), state.pod().pod(), snapshot::namespaceLabels);
  }

  private static boolean satisfiesAntiAffinity(FilterState state, NodeInfo node) {
    if (state.antiAffinityCounts().isEmpty()) return true;
    for (AffinityTerm term : state.pod().requiredAntiAffinityTerms()) {
      String value = node.labels().get(term.topologyKey());
      if (value != null && state.antiAffinityCounts().getOrDefault(new TopologyPair(term.topologyKey(), value), 0L) > 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean satisfiesExistingAntiAffinity(FilterState state, NodeInfo node) {
    if (state.existingAntiAffinityCounts().isEmpty()) return true;
    for (Map.Entry<String, String> label : node.labels().entrySet()) {
      if (state.existingAntiAffinityCounts().getOrDefault(new TopologyPair(label.getKey(), label.getValue()), 0L) > 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    Snapshot snapshot = state.snapshot();
    Function<String, Map<String, String>> namespaceLabels = snapshot::namespaceLabels;
    PodInfo incoming = PodInfo.of(pod);
    boolean hasPreferences =
        !incoming.preferredAffinityTerms().isEmpty() || !incoming.preferredAntiAffinityTerms().isEmpty();
    Map<String, Map<String, Long>> topologyScore = new HashMap<>();
    // Domains count pods on every node, feasible or not; without preferences of its own, only pods
    // with (anti-)affinity can score the incoming pod.
    for (NodeInfo node : hasPreferences ? snapshot.nodes() : snapshot.havePodsWithAffinity()) {
      if (node.labels().isEmpty()) continue;
      for (PodInfo existing : hasPreferences ? node.pods() : node.podsWithAffinity()) {
        for (WeightedAffinityTerm t : incoming.preferredAffinityTerms()) {
          addIfMatches(topologyScore, t.term(), t.weight(), existing.pod(), node, namespaceLabels);
        }
        for (WeightedAffinityTerm t : incoming.preferredAntiAffinityTerms()) {
          addIfMatches(topologyScore, t.term(), -t.weight(), existing.pod(), node, namespaceLabels);
        }
        for (AffinityTerm t : existing.requiredAffinityTerms()) {
          addIfMatches(topologyScore, t, HARD_POD_AFFINITY_WEIGHT, pod, node, namespaceLabels);
        }
        for (WeightedAffinityTerm t : existing.preferredAffinityTerms()) {
          addIfMatches(topologyScore, t.term(), t.weight(), pod, node, namespaceLabels);
        }
        for (WeightedAffinityTerm t : existing.preferredAntiAffinityTerms()) {
          addIfMatches(topologyScore, t.term(), -t.weight(), pod, node, namespaceLabels);
        }
      }
    }
    if (topologyScore.isEmpty()) return Status.SKIP;
    state.write(ScoreState.class, new ScoreState(topologyScore));
    return Status.SUCCESS;
  }

  /** If the term (on a pod on {@code node}) selects {@code target}, adds the weight to the node's domain. */
  private static void addIfMatches(Map<String, Map<String, Long>> topologyScore, AffinityTerm term, long weight,
      Pod target, NodeInfo node, Function<String, Map<String, String>> namespaceLabels) {
    if (!term.matches(target, namespaceLabels)) return;
    String value = node.labels().get(term.topologyKey());
    if (value == null) return;
    topologyScore.computeIfAbsent(term.topologyKey(), k -> new HashMap<>()).merge(value, weight, Long::sum);
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    ScoreState scores = state.read(ScoreState.class);
    if (scores == null) return 0;
    long score = 0;
    for (Map.Entry<String, Map<String, Long>> byKey : scores.topologyScore().entrySet()) {
      String value = node.labels().get(byKey.getKey());
      if (value != null) score += byKey.getValue().getOrDefault(value, 0L);
    }
    return score;
  }

  /** Scales linearly from the lowest score (0) to the highest (100); all 0 when they are equal. */
  @Override
  public void normalizeScore(CycleState state, Pod pod, long[] scores) {
    if (state.read(ScoreState.class) == null || scores.length == 0) return;
    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    for (long score : scores) {
      min = Math.min(min, score);
      max = Math.max(max, score);
    }
    long spread = max - min;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = spread > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / spread)) : 0;
    }
  }

  private static boolean matchesAll(List<AffinityTerm> terms, Pod pod,
      Function<String, Map<String, String>> namespaceLabels) {
    return !terms.isEmpty() && terms.stream().allMatch(t -> t.matches(pod, namespaceLabels));
  }

  private static void count(Map<TopologyPair, Long> counts, NodeInfo node, String topologyKey) {
    String value = node.labels().get(topologyKey);
    if (value != null) counts.merge(new TopologyPair(topologyKey, value), 1L, Long::sum);
  }
}
