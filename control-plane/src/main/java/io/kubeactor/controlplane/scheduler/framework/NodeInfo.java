package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A node with the pods bound to it and what they add up to (upstream framework.NodeInfo).
 * {@code requested} counts requests as given; {@code nonZeroRequested} adds the scoring defaults
 * for containers that request no cpu or memory. The SchedulerCache keeps one per node and
 * changes it as pods come and go, raising its generation each time; a {@link Snapshot} holds
 * clones, taken again only for the nodes whose generation moved. The node may be absent while
 * pods the cache saw still name it (the Node was deleted first, or is not seen yet).
 */
public final class NodeInfo {
  private Node node;
  private Resources allocatable = Resources.NONE;
  private final List<PodInfo> pods;
  private final List<PodInfo> podsWithAffinity;
  private final List<PodInfo> podsWithRequiredAntiAffinity;
  /** Read-only views of the three lists, made once: plugins read them for every node of every attempt. */
  private final List<PodInfo> podsView;
  private final List<PodInfo> podsWithAffinityView;
  private final List<PodInfo> podsWithRequiredAntiAffinityView;
  private HostPorts usedPorts;
  private Resources requested = Resources.NONE;
  private Resources nonZeroRequested = Resources.NONE;
  private long generation;

  public NodeInfo(Node node) {
    this.pods = new ArrayList<>();
    this.podsWithAffinity = new ArrayList<>();
    this.podsWithRequiredAntiAffinity = new ArrayList<>();
    this.usedPorts = new HostPorts();
    this.podsView = Collections.unmodifiableList(pods);
    this.podsWithAffinityView = Collections.unmodifiableList(podsWithAffinity);
    this.podsWithRequiredAntiAffinityView = Collections.unmodifiableList(podsWithRequiredAntiAffinity);
    if (node != null) setNode(node);
  }

  private NodeInfo(NodeInfo other) {
    this.node = other.node;
    this.allocatable = other.allocatable;
    this.pods = new ArrayList<>(other.pods);
    this.podsWithAffinity = new ArrayList<>(other.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(other.podsWithRequiredAntiAffinity);
    this.usedPorts = other.usedPorts.copy();
    this.podsView = Collections.unmodifiableList(pods);
    this.podsWithAffinityView = Collections.unmodifiableList(podsWithAffinity);
    this.podsWithRequiredAntiAffinityView = Collections.unmodifiableList(podsWithRequiredAntiAffinity);
    this.requested = other.requested;
    this.nonZeroRequested = other.nonZeroRequested;
    this.generation = other.generation;
  }

  /** A copy that later changes to this one do not touch (a snapshot's). */
  public NodeInfo copy() {
    return new NodeInfo(this);
  }

  public void setNode(Node node) {
    this.node = node;
    this.allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
  }

  /** Forgets the Node object (deleted); the pods stay until their own deletions are seen. */
  public void removeNode() {
    this.node = null;
    this.allocatable = Resources.NONE;
  }

  public void addPod(PodInfo pod) {
    pods.add(pod);
    if (pod.hasAffinity()) podsWithAffinity.add(pod);
    if (!pod.requiredAntiAffinityTerms().isEmpty()) podsWithRequiredAntiAffinity.add(pod);
    requested = requested.plus(pod.requests());
    nonZeroRequested = nonZeroRequested.plus(pod.nonZeroRequests());
    HostPorts.wantedBy(pod.pod()).forEach(usedPorts::add);
  }

  /** Removes the pod with this key (namespace/name); false if the node does not hold it. */
  public boolean removePod(String key) {
    int index = -1;
    for (int i = 0; i < pods.size(); i++) {
      if (pods.get(i).key().equals(key)) {
        index = i;
        break;
      }
    }
    if (index < 0) return false;
    PodInfo removed = pods.remove(index);
    podsWithAffinity.remove(removed);
    podsWithRequiredAntiAffinity.remove(removed);
    // sums and ports counted again from the pods left: exact, and a node holds at most a few hundred
    requested = Resources.NONE;
    nonZeroRequested = Resources.NONE;
    usedPorts = new HostPorts();
    for (PodInfo pod : pods) {
      requested = requested.plus(pod.requests());
      nonZeroRequested = nonZeroRequested.plus(pod.nonZeroRequests());
      HostPorts.wantedBy(pod.pod()).forEach(usedPorts::add);
    }
    return true;
  }

  public long generation() {
    return generation;
  }

  public void setGeneration(long generation) {
    this.generation = generation;
  }

  /** The Node object, or null while only pods name this node. */
  public Node node() {
    return node;
  }

  public String name() {
    return node.getMetadata().getName();
  }

  public Map<String, String> labels() {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  public Resources allocatable() {
    return allocatable;
  }

  public Resources requested() {
    return requested;
  }

  public Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  public List<PodInfo> pods() {
    return podsView;
  }

  public List<PodInfo> podsWithAffinity() {
    return podsWithAffinityView;
  }

  public List<PodInfo> podsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinityView;
  }

  public HostPorts usedPorts() {
    return usedPorts;
  }
}
