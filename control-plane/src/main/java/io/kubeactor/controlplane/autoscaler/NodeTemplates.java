package io.kubeactor.controlplane.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new node of a group would look like, built from one of its nodes as cluster-autoscaler's
 * TemplateNodeInfo sanitizes one: another name (and hostname label), none of the taints a node gets
 * for its state (not-ready, unreachable, unschedulable, being deleted), schedulable, and with the
 * DaemonSet pods its source runs, which a new node would run too.
 */
public final class NodeTemplates {
  private NodeTemplates() {}

  static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  /** A template from the source node and the pods bound to it, named {@code template-node-for-GROUP-INDEX}. */
  public static Template of(String group, int index, Node source, List<Pod> sourcePods) {
    String name = "template-node-for-" + group + "-" + index;
    Map<String, String> labels = new HashMap<>(source.getMetadata().getLabels() == null ? Map.of() : source.getMetadata().getLabels());
    labels.put(HOSTNAME_LABEL, name);
    List<Taint> taints = new ArrayList<>();
    if (source.getSpec() != null && source.getSpec().getTaints() != null) {
      for (Taint t : source.getSpec().getTaints()) if (!isStateTaint(t.getKey())) taints.add(t);
    }
    Node node = new NodeBuilder(source)
        .editMetadata().withName(name).withUid(null).withResourceVersion(null).withLabels(labels).withAnnotations(null).endMetadata()
        .editOrNewSpec().withUnschedulable(null).withTaints(taints).endSpec()
        .build();
    List<Pod> pods = new ArrayList<>();
    for (Pod p : sourcePods) {
      if (!isDaemonSetPod(p)) continue;
      pods.add(new PodBuilder(p).editMetadata().withName(p.getMetadata().getName() + "-" + name).endMetadata()
          .editSpec().withNodeName(name).endSpec().build());
    }
    return new Template(node, pods);
  }

  /** A would-be node and the pods it would run from the start. */
  public record Template(Node node, List<Pod> pods) {
    public String name() {
      return node.getMetadata().getName();
    }
  }

  /** Taints that say what state a node is in, not what it is for. */
  static boolean isStateTaint(String key) {
    return key != null && (key.startsWith("node.kubernetes.io/") || key.startsWith("node.cloudprovider.kubernetes.io/")
        || key.equals(ScaleDownPlanner.TO_BE_DELETED_TAINT) || key.equals(ScaleDownPlanner.DELETION_CANDIDATE_TAINT));
  }

  public static boolean isDaemonSetPod(Pod pod) {
    return controllerOf(pod).map(r -> "DaemonSet".equals(r.getKind())).orElse(false);
  }

  /** A static pod as the kubelet reports it (kubernetes.io/config.mirror). */
  public static boolean isMirrorPod(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey("kubernetes.io/config.mirror");
  }

  static java.util.Optional<OwnerReference> controllerOf(Pod pod) {
    List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
    if (refs == null) return java.util.Optional.empty();
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }
}
