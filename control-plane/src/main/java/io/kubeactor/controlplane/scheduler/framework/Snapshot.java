package io.kubeactor.controlplane.scheduler.framework;

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
 * and the claims, volumes and storage classes. The nodes are copies the SchedulerCache
 * brings up to date before each attempt, copying only the nodes that changed since
 * (SchedulerCache.updateSnapshot); the namespaces and volumes are set per attempt.
 */
public final class Snapshot {
  /** The label the API server puts on every namespace, so selectors can name namespaces. */
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

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

  public List<NodeInfo> nodes() {
    return nodesView;
  }

  public NodeInfo get(String name) {
    return byName.get(name);
  }

  /** The nodes running a pod with pod affinity or anti-affinity terms (upstream HavePodsWithAffinityList). */
  public List<NodeInfo> havePodsWithAffinity() {
    return havePodsWithAffinity;
  }

  /** The nodes running a pod with required anti-affinity terms (upstream HavePodsWithRequiredAntiAffinityList). */
  public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
    return havePodsWithRequiredAntiAffinity;
  }

  public VolumeObjects volumes() {
    return volumes;
  }

  public void setVolumes(VolumeObjects volumes) {
    this.volumes = volumes;
  }

  /** Where an attempt reads a namespace's labels (null or empty when it has none or is unknown). */
  public void setNamespaceLabels(Function<String, Map<String, String>> namespaceLabels) {
    this.namespaceLabels = namespaceLabels;
  }

  /** A namespace's labels, including the name label every namespace carries. */
  public Map<String, String> namespaceLabels(String namespace) {
    Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(namespaceLabels.apply(namespace), Map.of()));
    labels.put(NAMESPACE_NAME_LABEL, namespace);
    return labels;
  }

  public long generation() {
    return generation;
  }

  public int size() {
    return byName.size();
  }

  // Changes, made by the cache only.

  public void setGeneration(long generation) {
    this.generation = generation;
  }

  /** What a node's new copy obliges the snapshot to make again. */
  public enum Rebuild { NOTHING, AFFINITY_LISTS, ALL_LISTS }

  /** Puts a node's new copy in, in place of the old one. */
  public Rebuild put(NodeInfo copy) {
    NodeInfo before = byName.put(copy.name(), copy);
    Integer index = indexOf.get(copy.name());
    if (before == null || index == null) return Rebuild.ALL_LISTS;
    nodes.set(index, copy);
    // the affinity lists hold the old copy
    boolean affinity = !before.podsWithAffinity().isEmpty() || !copy.podsWithAffinity().isEmpty();
    return affinity ? Rebuild.AFFINITY_LISTS : Rebuild.NOTHING;
  }

  /** Drops the nodes this predicate names; true if any went. */
  public boolean removeIf(java.util.function.Predicate<String> gone) {
    return byName.keySet().removeIf(gone);
  }

  /** Orders the nodes by name again, after nodes came or went. */
  public void relist() {
    List<NodeInfo> list = new ArrayList<>(byName.values());
    list.sort(Comparator.comparing(NodeInfo::name));
    indexOf.clear();
    for (int i = 0; i < list.size(); i++) indexOf.put(list.get(i).name(), i);
    nodes = list;
    nodesView = Collections.unmodifiableList(list);
    relistAffinity();
  }

  /** The lists of nodes with affinity pods, again from the ordered list. */
  public void relistAffinity() {
    havePodsWithAffinity = nodes.stream().filter(n -> !n.podsWithAffinity().isEmpty()).toList();
    havePodsWithRequiredAntiAffinity = nodes.stream().filter(n -> !n.podsWithRequiredAntiAffinity().isEmpty()).toList();
  }
}
