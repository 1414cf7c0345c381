package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kubeactor.controlplane.api.scheduling.NodeSelectors;
import io.kubeactor.controlplane.api.scheduling.RequiredNodeAffinity;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * spec.nodeSelector and spec.affinity.nodeAffinity (plugins/nodeaffinity): the node must carry
 * every nodeSelector label and match one required term; the weights of the preferred terms a node
 * matches add up to its score. Required terms that pin the pod to node names (matchFields
 * metadata.name In, as DaemonSet pods carry) narrow the nodes up front.
 */
public final class NodeAffinity implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score {
  static final String NAME = "NodeAffinity";
  static final String REASON = "node(s) didn't match Pod's node affinity/selector";
  static final String CONFLICT = "pod affinity terms conflict";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, Pod pod) {
    NodeSelector required = required(pod);
    Map<String, String> nodeSelector = pod.getSpec().getNodeSelector();
    if (required == null && (nodeSelector == null || nodeSelector.isEmpty())) return PreFilterResult.SKIP;
    List<NodeSelectorTerm> terms = required == null || required.getNodeSelectorTerms() == null
        ? List.of() : required.getNodeSelectorTerms();
    if (terms.isEmpty()) return PreFilterResult.ALL_NODES;
    Set<String> nodeNames = new HashSet<>();
    for (NodeSelectorTerm term : terms) {
      Set<String> termNames = null;
      List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
      for (NodeSelectorRequirement field : fields) {
        if (NodeSelectors.NODE_NAME_FIELD.equals(field.getKey()) && "In".equals(field.getOperator())) {
          Set<String> values = new HashSet<>(field.getValues() == null ? List.of() : field.getValues());
          if (termNames == null) termNames = values;
          else termNames.retainAll(values);
        }
      }
      // A term without a node-name requirement can match any node, and terms are ORed.
      if (termNames == null) return PreFilterResult.ALL_NODES;
      nodeNames.addAll(termNames);
    }
    return nodeNames.isEmpty() ? PreFilterResult.rejected(CONFLICT) : PreFilterResult.only(nodeNames);
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    return RequiredNodeAffinity.matches(pod, node.node()) ? Status.SUCCESS : Status.unschedulable(REASON);
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    return preferred(pod) == null ? Status.SKIP : Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    List<PreferredSchedulingTerm> terms = preferred(pod);
    if (terms == null) return 0;
    long score = 0;
    for (PreferredSchedulingTerm term : terms) {
      int weight = term.getWeight() == null ? 0 : term.getWeight();
      if (weight != 0 && NodeSelectors.matches(term.getPreference(), node.node())) score += weight;
    }
    return score;
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, long[] scores) {
    ScoreNormalizer.byMaximum(scores, false);
  }

  private static NodeSelector required(Pod pod) {
    io.fabric8.kubernetes.api.model.NodeAffinity affinity = nodeAffinity(pod);
    return affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
  }

  private static List<PreferredSchedulingTerm> preferred(Pod pod) {
    io.fabric8.kubernetes.api.model.NodeAffinity affinity = nodeAffinity(pod);
    List<PreferredSchedulingTerm> terms =
        affinity == null ? null : affinity.getPreferredDuringSchedulingIgnoredDuringExecution();
    return terms == null || terms.isEmpty() ? null : terms;
  }

  private static io.fabric8.kubernetes.api.model.NodeAffinity nodeAffinity(Pod pod) {
    return pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
  }
}
