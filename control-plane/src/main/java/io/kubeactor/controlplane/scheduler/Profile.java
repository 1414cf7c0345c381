package io.kubeactor.controlplane.scheduler;

import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.plugins.InterPodAffinity;
import io.kubeactor.controlplane.scheduler.framework.plugins.NodeAffinity;
import io.kubeactor.controlplane.scheduler.framework.plugins.NodeName;
import io.kubeactor.controlplane.scheduler.framework.plugins.NodePorts;
import io.kubeactor.controlplane.scheduler.framework.plugins.NodeResourcesBalancedAllocation;
import io.kubeactor.controlplane.scheduler.framework.plugins.NodeResourcesFit;
import io.kubeactor.controlplane.scheduler.framework.plugins.NodeUnschedulable;
import io.kubeactor.controlplane.scheduler.framework.plugins.TaintToleration;
import io.kubeactor.controlplane.scheduler.framework.plugins.VolumeBinding;
import java.util.List;

/**
 * The plugins a scheduling attempt runs, in order, and the weight of each score (upstream's default
 * profile, apis/config/v1/default_plugins.go, without the volume restriction, volume limit and
 * zone, topology-spread, image-locality and preemption plugins).
 */
record Profile(List<Plugin.PreFilter> preFilters, List<Plugin.Filter> filters, List<Plugin.PreScore> preScores,
    List<WeightedScore> scores) {

  record WeightedScore(Plugin.Score plugin, int weight) {}

  static Profile defaults() {
    NodeUnschedulable nodeUnschedulable = new NodeUnschedulable();
    NodeName nodeName = new NodeName();
    TaintToleration taintToleration = new TaintToleration();
    NodeAffinity nodeAffinity = new NodeAffinity();
    NodePorts nodePorts = new NodePorts();
    NodeResourcesFit fit = new NodeResourcesFit();
    InterPodAffinity interPodAffinity = new InterPodAffinity();
    NodeResourcesBalancedAllocation balancedAllocation = new NodeResourcesBalancedAllocation();
    VolumeBinding volumeBinding = new VolumeBinding();
    return new Profile(
        List.of(nodeAffinity, nodePorts, fit, volumeBinding, interPodAffinity),
        List.of(nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, fit, volumeBinding, interPodAffinity),
        List.of(nodeAffinity, fit, interPodAffinity, balancedAllocation),
        List.of(new WeightedScore(taintToleration, 3), new WeightedScore(nodeAffinity, 2), new WeightedScore(fit, 1),
            new WeightedScore(interPodAffinity, 2), new WeightedScore(balancedAllocation, 1)));
  }
}
