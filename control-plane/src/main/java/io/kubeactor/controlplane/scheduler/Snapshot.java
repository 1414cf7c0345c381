package io.kubeactor.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster as one scheduling attempt sees it (upstream cache.Snapshot): every node, ordered by
 * name, with the non-terminated pods bound to it, the labels of namespaces, and the claims,
 * volumes and storage classes.
 */
final class Snapshot {
  /** The label the API server puts on every namespace, so selectors can name namespaces. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private final List<NodeInfo> nodes;
  private final Map<String, NodeInfo> byName;
  private final Map<String, Map<String, String>> namespaceLabels;
  private final VolumeObjects volumes;

  private Snapshot(List<NodeInfo> nodes, Map<String, Map<String, String>> namespaceLabels, VolumeObjects volumes) {
    this.nodes = List.copyOf(nodes);
    this.byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    this.namespaceLabels = namespaceLabels;
    this.volumes = volumes;
  }

  static Snapshot of(List<Node> nodes, List<Pod> boundPods, Pod incoming, Map<String, Map<String, String>> namespaceLabels) {
    return of(nodes, boundPods, incoming, namespaceLabels, VolumeObjects.NONE);
  }

  /**
   * @param incoming the pod being scheduled, left out of the bound pods should it appear there
   */
  static Snapshot of(List<Node> nodes, List<Pod> boundPods, Pod incoming, Map<String, Map<String, String>> namespaceLabels,
      VolumeObjects volumes) {
    Map<String, NodeInfo> infos = new LinkedHashMap<>();
    nodes.stream()
        .filter(n -> n.getMetadata() != null && n.getMetadata().getName() != null)
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .forEach(n -> infos.putIfAbsent(n.getMetadata().getName(), new NodeInfo(n)));
    for (Pod pod : boundPods) {
      if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) continue;
      if (terminated(pod) || (incoming != null && samePod(pod, incoming))) continue;
      NodeInfo node = infos.get(pod.getSpec().getNodeName());
      if (node != null) node.addPod(PodInfo.of(pod));
    }
    return new Snapshot(List.copyOf(infos.values()), namespaceLabels == null ? Map.of() : namespaceLabels, volumes);
  }

  List<NodeInfo> nodes() {
    return nodes;
  }

  NodeInfo get(String name) {
    return byName.get(name);
  }

  VolumeObjects volumes() {
    return volumes;
  }

  /** A namespace's labels, including the name label every namespace carries. */
  Map<String, String> namespaceLabels(String namespace) {
    Map<String, String> labels = new HashMap<>(namespaceLabels.getOrDefault(namespace, Map.of()));
    labels.put(NAMESPACE_NAME_LABEL, namespace);
    return labels;
  }

  private static boolean terminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
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
