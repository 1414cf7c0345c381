package io.kubeactor.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A node with the pods bound to it and what they add up to (upstream framework.NodeInfo).
 * {@code requested} counts requests as given; {@code nonZeroRequested} adds the scoring defaults
 * for containers that request no cpu or memory.
 */
final class NodeInfo {
  private final Node node;
  private final Resources allocatable;
  private final List<PodInfo> pods = new ArrayList<>();
  private final List<PodInfo> podsWithAffinity = new ArrayList<>();
  private final List<PodInfo> podsWithRequiredAntiAffinity = new ArrayList<>();
  private final HostPorts usedPorts = new HostPorts();
  private Resources requested = Resources.NONE;
  private Resources nonZeroRequested = Resources.NONE;

  NodeInfo(Node node) {
    this.node = node;
    this.allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
  }

  void addPod(PodInfo pod) {
    pods.add(pod);
    if (pod.hasAffinity()) podsWithAffinity.add(pod);
    if (!pod.requiredAntiAffinityTerms().isEmpty()) podsWithRequiredAntiAffinity.add(pod);
    requested = requested.plus(pod.requests());
    nonZeroRequested = nonZeroRequested.plus(pod.nonZeroRequests());
    HostPorts.wantedBy(pod.pod()).forEach(usedPorts::add);
  }

  Node node() {
    return node;
  }

  String name() {
    return node.getMetadata().getName();
  }

  Map<String, String> labels() {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  Resources allocatable() {
    return allocatable;
  }

  Resources requested() {
    return requested;
  }

  Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  List<PodInfo> pods() {
    return Collections.unmodifiableList(pods);
  }

  List<PodInfo> podsWithAffinity() {
    return Collections.unmodifiableList(podsWithAffinity);
  }

  List<PodInfo> podsWithRequiredAntiAffinity() {
    return Collections.unmodifiableList(podsWithRequiredAntiAffinity);
  }

  HostPorts usedPorts() {
    return usedPorts;
  }
}
