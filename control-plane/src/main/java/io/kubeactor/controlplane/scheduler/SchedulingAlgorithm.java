package io.kubeactor.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeactor.controlplane.scheduler.cache.SchedulerCache;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PodRequests;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Resources;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.Status;
import io.kubeactor.controlplane.scheduler.framework.VolumeObjects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses a node for a pod the way kube-scheduler's default profile does (pkg/scheduler/schedule_one.go):
 * PreFilter, Filter the nodes until enough fit (all of a cluster under 100 nodes, a share of a larger
 * one, going on from where the last attempt stopped), and if more than one fits, PreScore, Score,
 * normalise, weight and take the highest total. Ties go to the node whose name sorts first, so the
 * outcome is repeatable (upstream picks among equals at random). A pure function of its arguments: the Scheduler actor
 * owns the queue, the informers, binding and events.
 */
public final class SchedulingAlgorithm {
  private SchedulingAlgorithm() {}

  private static final Profile PROFILE = Profile.defaults();

  /** The outcome for one pod. nodeName is null when it fits nowhere; message is then the FailedScheduling text. */
  public record Decision(String nodeName, String message) {
    public boolean scheduled() {
      return nodeName != null;
    }
  }

  /** nodes: every Node; boundPods: every pod with spec.nodeName set that is not terminated (phase not Succeeded/Failed). */
  public static Decision schedule(Pod pod, List<Node> nodes, List<Pod> boundPods) {
    return schedule(pod, nodes, boundPods, Map.of());
  }

  /**
   * As {@link #schedule(Pod, List, List)}, with the labels of namespaces by name, for pod affinity
   * terms with a namespaceSelector (every namespace also carries kubernetes.io/metadata.name).
   */
  public static Decision schedule(Pod pod, List<Node> nodes, List<Pod> boundPods,
      Map<String, Map<String, String>> namespaceLabels) {
    return schedule(pod, nodes, boundPods, namespaceLabels, VolumeObjects.NONE);
  }

  /** As {@link #schedule(Pod, List, List, Map)}, with the claims, volumes and classes the pod's volumes need. */
  public static Decision schedule(Pod pod, List<Node> nodes, List<Pod> boundPods,
      Map<String, Map<String, String>> namespaceLabels, VolumeObjects volumes) {
    Pod subject = pod.getSpec() != null ? pod : new PodBuilder(pod).withNewSpec().endSpec().build();
    Snapshot snapshot = SchedulerCache.snapshotOf(nodes, boundPods, subject, namespaceLabels, volumes);
    return schedule(PROFILE, subject, snapshot);
  }

  /** What a pod requests: containers (or the largest init container) plus overhead, as the resource filter counts it. */
  public static Resources requestsOf(Pod pod) {
    return PodRequests.of(pod);
  }

  /**
   * Where the next attempt starts looking (upstream nextStartNodeIndex): each attempt goes on from
   * the node after the last one the previous attempt checked, so that, checking only part of a
   * large cluster, attempts spread over all of it.
   */
  static final class NodeCursor {
    private int next;
  }

  /** Fewer nodes than this are all checked (upstream minFeasibleNodesToFind). */
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  /** The least share of a large cluster checked, in percent (upstream minFeasibleNodesPercentageToFind). */
  static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

  /**
   * How many feasible nodes an attempt looks for before it stops filtering (upstream
   * numFeasibleNodesToFind with percentageOfNodesToScore unset): all of fewer than 100 nodes, else
   * 50% less 1% per 125 nodes, at least 5% and at least 100 nodes.
   */
  static int numFeasibleNodesToFind(int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
    int percentage = Math.max(50 - numAllNodes / 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    return Math.max(numAllNodes * percentage / 100, MIN_FEASIBLE_NODES_TO_FIND);
  }

  /** For a pod with a spec, in a snapshot the scheduler keeps up to date, going on from the cursor. */
  static Decision schedule(Pod pod, Snapshot snapshot, NodeCursor cursor) {
    return schedule(PROFILE, pod, snapshot, cursor);
  }

  static Decision schedule(Profile profile, Pod pod, Snapshot snapshot) {
    return schedule(profile, pod, snapshot, new NodeCursor());
  }

  static Decision schedule(Profile profile, Pod pod, Snapshot snapshot, NodeCursor cursor) {
    int numAllNodes = snapshot.nodes().size();
    if (numAllNodes == 0) return new Decision(null, FitError.NO_NODES);
    CycleState state = new CycleState(snapshot);

    Set<String> skippedFilters = new HashSet<>();
    Set<String> nodeNames = null;
    Set<String> pluginsWithNodes = new TreeSet<>();
    for (Plugin.PreFilter plugin : profile.preFilters()) {
      PreFilterResult result = plugin.preFilter(state, pod);
      if (result.status().isSkip()) {
        skippedFilters.add(plugin.name());
        continue;
      }
      if (!result.status().isSuccess()) {
        return unschedulable(new FitError(numAllNodes, Map.of(), null, result.status().message()));
      }
      if (!result.allNodes()) {
        pluginsWithNodes.add(plugin.name());
        if (nodeNames == null) nodeNames = new HashSet<>(result.nodeNames());
        else nodeNames.retainAll(result.nodeNames());
        if (nodeNames.isEmpty()) {
          String message = pluginsWithNodes.size() == 1
              ? "node(s) didn't satisfy plugin " + pluginsWithNodes.iterator().next()
              : "node(s) didn't satisfy plugin(s) " + goList(pluginsWithNodes) + " simultaneously";
          return unschedulable(new FitError(numAllNodes, Map.of(), null, message));
        }
      }
    }

    List<NodeInfo> candidates = snapshot.nodes();
    if (nodeNames != null) {
      Set<String> names = nodeNames;
      candidates = candidates.stream().filter(n -> names.contains(n.name())).toList();
    }
    // Filter from where the last attempt stopped until enough nodes fit, or all were checked.
    int count = candidates.size();
    int wanted = numFeasibleNodesToFind(count);
    int start = count == 0 ? 0 : cursor.next % count;
    List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, count));
    // each feasible node's place in the candidates, which are in name order
    int[] order = new int[Math.min(wanted, count)];
    Map<String, Status> failures = new LinkedHashMap<>();
    int checked = 0;
    for (; checked < count && feasible.size() < wanted; checked++) {
      int index = (start + checked) % count;
      NodeInfo node = candidates.get(index);
      Status status = filter(profile, skippedFilters, state, pod, node);
      if (status.isSuccess()) {
        order[feasible.size()] = index;
        feasible.add(node);
      } else {
        failures.put(node.name(), status);
      }
    }
    if (count > 0) cursor.next = (start + checked) % count;
    if (feasible.isEmpty()) {
      Status absent = nodeNames == null ? null
          : Status.unschedulable("node(s) didn't satisfy plugin(s) " + goList(pluginsWithNodes));
      return unschedulable(new FitError(numAllNodes, failures, absent, null));
    }
    if (feasible.size() == 1) return new Decision(feasible.get(0).name(), null);

    long[] totals = prioritize(profile, state, pod, feasible);
    int best = 0;
    for (int i = 1; i < totals.length; i++) {
      // a tie goes to the node whose name sorts first, wherever the attempt started
      if (totals[i] > totals[best] || (totals[i] == totals[best] && order[i] < order[best])) {
        best = i;
      }
    }
    return new Decision(feasible.get(best).name(), null);
  }

  /** The first failing filter decides; its status may carry several reasons. */
  private static Status filter(Profile profile, Set<String> skipped, CycleState state, Pod pod, NodeInfo node) {
    for (Plugin.Filter plugin : profile.filters()) {
      if (skipped.contains(plugin.name())) continue;
      Status status = plugin.filter(state, pod, node);
      if (!status.isSuccess()) return status;
    }
    return Status.SUCCESS;
  }

  /** Weighted sum of every score plugin's normalised score, per feasible node. */
  static long[] prioritize(Profile profile, CycleState state, Pod pod, List<NodeInfo> feasible) {
    Set<String> skipped = new HashSet<>();
    for (Plugin.PreScore plugin : profile.preScores()) {
      if (plugin.preScore(state, pod, feasible).isSkip()) skipped.add(plugin.name());
    }
    long[] totals = new long[feasible.size()];
    for (Profile.WeightedScore weighted : profile.scores()) {
      Plugin.Score plugin = weighted.plugin();
      if (skipped.contains(plugin.name())) continue;
      long[] scores = new long[feasible.size()];
      for (int i = 0; i < scores.length; i++) scores[i] = plugin.score(state, pod, feasible.get(i));
      plugin.normalizeScore(state, pod, scores);
      for (int i = 0; i < scores.length; i++) totals[i] += scores[i] * weighted.weight();
    }
    return totals;
  }

  private static Decision unschedulable(FitError error) {
    return new Decision(null, error.message());
  }

  /** A sorted name list as Go's %v prints a []string: "[A B]". */
  private static String goList(Set<String> names) {
    return "[" + String.join(" ", names) + "]";
  }
}
