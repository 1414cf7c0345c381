package io.kubeactor.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The cluster as one scheduling attempt sees it (upstream cache.Snapshot): every node, ordered by
 * name, with the non-terminated pods bound to it (assumed ones included), the labels of namespaces,
 * and the claims, volumes and storage classes. The nodes are copies the {@link SchedulerCache}
 * brings up to date before each attempt, copying only the nodes that changed since
 * ({@link SchedulerCache#updateSnapshot}); the namespaces and volumes are set per attempt.
 */
final class Snapshot {
  /** The label the API server puts on every namespace, so selectors can name namespaces. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private final Map<String, NodeInfo> byName = new HashMap<>();
  private List<NodeInfo> nodes = new ArrayList<>();
  private List<NodeInfo> nodesView = List.of();
  /** Where each node is in {@link #nodes}, so a changed node's copy replaces the old one in place. */
  private final Map<String, Integer> indexOf = new HashMap<>();
  /** The nodes with pods that have (anti-)affinity terms, and with pods that have required anti-affinity terms. */
  private List<NodeInfo> havePodsWithAffinity = List.of();
  private List<NodeInfo> havePodsWithRequiredAntiAffinity = List.of();
  /** The cache generation this snapshot reflects. */
  private long generation;
  private Function<String, Map<String, String>> namespaceLabels = ns -> Map.of();
  private VolumeObjects volumes = VolumeObjects.NONE;

  /** A snapshot of fixed nodes and pods, as tests and one-off decisions build it. */
  static Snapshot of(List<Node> nodes, List<Pod> boundPods, Pod incoming, Map<String, Map<String, String>> namespaceLabels) {
    return of(nodes, boundPods, incoming, namespaceLabels, VolumeObjects.NONE);
  }

  /**
   * @param incoming the pod being scheduled, left out of the bound pods should it appear there
   */
  static Snapshot of(List<Node> nodes, List<Pod> boundPods, Pod incoming, Map<String, Map<String, String>> namespaceLabels,
      VolumeObjects volumes) {
    SchedulerCache cache = new SchedulerCache(Duration.ZERO, Clock.systemUTC());
    for (Node node : nodes) {
      if (node.getMetadata() != null && node.getMetadata().getName() != null) cache.addNode(node);
    }
    for (Pod pod : boundPods) {
      if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) continue;
      if (SchedulerCache.terminated(pod) || (incoming != null && samePod(pod, incoming))) continue;
      cache.addPod(pod);
    }
    Snapshot snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    Map<String, Map<String, String>> labels = namespaceLabels == null ? Map.of() : namespaceLabels;
    snapshot.setNamespaceLabels(ns -> labels.getOrDefault(ns, Map.of()));
    snapshot.setVolumes(volumes);
    return snapshot;
  }

  List<NodeInfo> nodes() {
    return nodesView;
  }

  NodeInfo get(String name) {
    return byName.get(name);
  }

  /** The nodes running a pod with pod affinity or anti-affinity terms (upstream HavePodsWithAffinityList). */
  List<NodeInfo> havePodsWithAffinity() {
    return havePodsWithAffinity;
  }

  /** The nodes running a pod with required anti-affinity terms (upstream HavePodsWithRequiredAntiAffinityList). */
  List<NodeInfo> havePodsWithRequiredAntiAffinity() {
    return havePodsWithRequiredAntiAffinity;
  }

  VolumeObjects volumes() {
    return volumes;
  }

  void setVolumes(VolumeObjects volumes) {
    this.volumes = volumes;
  }

  /** Where an attempt reads a namespace's labels (null or empty when it has none or is unknown). */
  void setNamespaceLabels(Function<String, Map<String, String>> namespaceLabels) {
    this.namespaceLabels = namespaceLabels;
  }

  /** A namespace's labels, including the name label every namespace carries. */
  Map<String, String> namespaceLabels(String namespace) {
    Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(namespaceLabels.apply(namespace), Map.of()));
    labels.put(NAMESPACE_NAME_LABEL, namespace);
    return labels;
  }

  long generation() {
    return generation;
  }

  int size() {
    return byName.size();
  }

  // Changes, made by the cache only.

  void setGeneration(long generation) {
    this.generation = generation;
  }

  /** What a node's new copy obliges the snapshot to make again. */
  enum Rebuild { NOTHING, AFFINITY_LISTS, ALL_LISTS }

  /** Puts a node's new copy in, in place of the old one. */
  Rebuild put(NodeInfo copy) {
    NodeInfo before = byName.put(copy.name(), copy);
    Integer index = indexOf.get(copy.name());
    if (before == null || index == null) return Rebuild.ALL_LISTS;
    nodes.set(index, copy);
    // the affinity lists hold the old copy
    boolean affinity = !before.podsWithAffinity().isEmpty() || !copy.podsWithAffinity().isEmpty();
    return affinity ? Rebuild.AFFINITY_LISTS : Rebuild.NOTHING;
  }

  /** Drops the nodes this predicate names; true if any went. */
  boolean removeIf(java.util.function.Predicate<String> gone) {
    return byName.keySet().removeIf(gone);
  }

  /** Orders the nodes by name again, after nodes came or went. */
  void relist() {
    List<NodeInfo> list = new ArrayList<>(byName.values());
    list.sort(Comparator.comparing(NodeInfo::name));
    indexOf.clear();
    for (int i = 0; i < list.size(); i++) indexOf.put(list.get(i).name(), i);
    nodes = list;
    nodesView = Collections.unmodifiableList(list);
    relistAffinity();
  }

  /** The lists of nodes with affinity pods, again from the ordered list. */
  void relistAffinity() {
    havePodsWithAffinity = nodes.stream().filter(n -> !n.podsWithAffinity().isEmpty()).toList();
    havePodsWithRequiredAntiAffinity = nodes.stream().filter(n -> !n.podsWithRequiredAntiAffinity().isEmpty()).toList();
  }

  private static boolean samePod(Pod a, Pod b) {
    if (a == b) return true;
    if (a.getMetadata() == null || b.getMetadata() == null) return false;
    String uidA = a.getMetadata().getUid(), uidB = b.getMetadata().getUid();
    if (uidA != null && uidB != null) return uidA.equals(uidB);
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}
