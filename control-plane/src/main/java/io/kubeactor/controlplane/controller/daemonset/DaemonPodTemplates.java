package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kubeactor.common.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * How a daemon pod differs from its DaemonSet's template (pkg/controller/daemon/util): it tolerates
 * the node problems a daemon must survive, carries its revision hash and template generation, and
 * is pinned to its node by required node affinity on {@code metadata.name}, so that the default
 * scheduler places it (as since Kubernetes 1.12) rather than the controller setting nodeName.
 */
final class DaemonPodTemplates {
  private DaemonPodTemplates() {}

  static final String NODE_NAME_FIELD = "metadata.name";

  /**
   * AddOrUpdateDaemonPodTolerations: daemon pods are not evicted from not-ready or unreachable
   * nodes, and go on nodes under resource pressure or cordoned; host-network ones also on nodes
   * whose network is not ready.
   */
  static void addDaemonTolerations(PodSpec spec) {
    addOrUpdate(spec, "node.kubernetes.io/not-ready", "NoExecute");
    addOrUpdate(spec, "node.kubernetes.io/unreachable", "NoExecute");
    addOrUpdate(spec, "node.kubernetes.io/disk-pressure", "NoSchedule");
    addOrUpdate(spec, "node.kubernetes.io/memory-pressure", "NoSchedule");
    addOrUpdate(spec, "node.kubernetes.io/pid-pressure", "NoSchedule");
    addOrUpdate(spec, "node.kubernetes.io/unschedulable", "NoSchedule");
    if (Boolean.TRUE.equals(spec.getHostNetwork())) addOrUpdate(spec, "node.kubernetes.io/network-unavailable", "NoSchedule");
  }

  /** v1helper.AddOrUpdateTolerationInPodSpec with an Exists toleration: one for the same key, operator, value and effect is replaced. */
  private static void addOrUpdate(PodSpec spec, String key, String effect) {
    Toleration toleration = new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    List<Toleration> out = new ArrayList<>();
    boolean replaced = false;
    for (Toleration t : spec.getTolerations() == null ? List.<Toleration>of() : spec.getTolerations()) {
      boolean same = Objects.equals(t.getKey(), key) && Objects.equals(t.getEffect(), effect)
          && Objects.equals(t.getOperator(), "Exists") && DaemonSets.isBlank(t.getValue());
      if (same) {
        if (!replaced) out.add(toleration);
        replaced = true;
      } else {
        out.add(t);
      }
    }
    if (!replaced) out.add(toleration);
    spec.setTolerations(out);
  }

  /** CreatePodTemplate: a copy of the template with the daemon tolerations, the hash and the generation labels. */
  static PodTemplateSpec podTemplate(PodTemplateSpec template, Long generation, String hash) {
    PodTemplateSpec copy = Json.fromTree(Json.toTree(template), PodTemplateSpec.class);
    if (copy.getMetadata() == null) copy.setMetadata(new ObjectMeta());
    if (copy.getSpec() == null) copy.setSpec(new PodSpec());
    addDaemonTolerations(copy.getSpec());
    var labels = copy.getMetadata().getLabels() == null ? new HashMap<String, String>() : new HashMap<>(copy.getMetadata().getLabels());
    if (generation != null) labels.put(DaemonSets.TEMPLATE_GENERATION_LABEL, Long.toString(generation));
    if (hash != null && !hash.isEmpty()) labels.put(DaemonSets.REVISION_HASH_LABEL, hash);
    copy.getMetadata().setLabels(labels);
    return copy;
  }

  /**
   * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the one term
   * {@code metadata.name In [node]}; preferred terms and other affinities stay. Any other required
   * term the template had is implied, as the node was chosen because it matches them.
   */
  static Affinity pinnedTo(Affinity affinity, String nodeName) {
    NodeSelectorRequirement byName = new NodeSelectorRequirementBuilder()
        .withKey(NODE_NAME_FIELD).withOperator("In").withValues(nodeName).build();
    NodeSelectorTerm term = new NodeSelectorTermBuilder().withMatchFields(byName).build();
    Affinity out = affinity == null ? new Affinity() : affinity;
    if (out.getNodeAffinity() == null) out.setNodeAffinity(new NodeAffinity());
    NodeAffinity nodeAffinity = out.getNodeAffinity();
    if (nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector());
    }
    nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().setNodeSelectorTerms(new ArrayList<>(List.of(term)));
    return out;
  }

  /**
   * GetTargetNodeName: the node a daemon pod is for, its nodeName once bound, else the node its
   * required affinity names; null when neither says (such a pod is not counted on any node).
   */
  static String targetNodeName(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) return null;
    if (!DaemonSets.isBlank(spec.getNodeName())) return spec.getNodeName();
    if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null) return null;
    NodeSelector required = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null || required.getNodeSelectorTerms() == null) return null;
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      if (term.getMatchFields() == null) continue;
      for (NodeSelectorRequirement r : term.getMatchFields()) {
        if (NODE_NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator())) {
          return r.getValues() != null && r.getValues().size() == 1 ? r.getValues().get(0) : null;
        }
      }
    }
    return null;
  }
}
