package io.kubeactor.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubeactor.controlplane.api.scheduling.RequiredNodeAffinity;
import io.kubeactor.controlplane.api.scheduling.Tolerations;
import java.util.List;

/**
 * Whether a node should run a DaemonSet's pod (NodeShouldRunDaemonPod): the template's nodeName,
 * nodeSelector and required node affinity must match the node, and the pod, with the tolerations
 * every daemon pod gets, must tolerate the node's NoSchedule and NoExecute taints. A pod already on
 * a node whose untolerated taints are only NoSchedule may stay there.
 *
 * @param shouldRun a daemon pod should be made for the node if it has none
 * @param shouldContinueRunning a daemon pod already on the node may stay
 */
record NodeEligibility(boolean shouldRun, boolean shouldContinueRunning) {

  static final NodeEligibility NO = new NodeEligibility(false, false);

  static NodeEligibility of(Node node, DaemonSet ds) {
    Pod pod = newPod(ds, node.getMetadata().getName());
    String templateNode = ds.getSpec().getTemplate().getSpec() == null ? null : ds.getSpec().getTemplate().getSpec().getNodeName();
    if (!DaemonSets.isBlank(templateNode) && !templateNode.equals(node.getMetadata().getName())) return NO;
    if (!RequiredNodeAffinity.matches(pod, node)) return NO;
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    boolean fitsTaints = Tolerations.firstUntolerated(taints, pod.getSpec().getTolerations(),
        t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())).isEmpty();
    if (fitsTaints) return new NodeEligibility(true, true);
    boolean noExecuteTolerated = Tolerations.firstUntolerated(taints, pod.getSpec().getTolerations(),
        t -> "NoExecute".equals(t.getEffect())).isEmpty();
    return new NodeEligibility(false, noExecuteTolerated);
  }

  /**
   * The pod the DaemonSet would run on the node, as far as the checks look at it (daemon.NewPod):
   * the template's selectors and affinity (shared, not copied: the checks only read them) and its
   * tolerations with the daemon ones.
   */
  static Pod newPod(DaemonSet ds, String nodeName) {
    PodSpec template = ds.getSpec().getTemplate().getSpec() == null ? new PodSpec() : ds.getSpec().getTemplate().getSpec();
    PodSpec spec = new PodSpec();
    spec.setNodeName(nodeName);
    spec.setNodeSelector(template.getNodeSelector());
    spec.setAffinity(template.getAffinity());
    spec.setHostNetwork(template.getHostNetwork());
    spec.setTolerations(template.getTolerations());
    DaemonPodTemplates.addDaemonTolerations(spec);
    Pod pod = new Pod();
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(ds.getMetadata().getNamespace());
    pod.setMetadata(meta);
    pod.setSpec(spec);
    return pod;
  }
}
