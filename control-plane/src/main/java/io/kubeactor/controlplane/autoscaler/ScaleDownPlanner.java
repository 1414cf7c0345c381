package io.kubeactor.controlplane.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.scheduler.SchedulingAlgorithm;
import io.kubeactor.controlplane.scheduler.framework.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which of a group's nodes could go, as cluster-autoscaler's scale-down planner decides: a node
 * whose pods request less than the threshold of its allocatable cpu and memory (the larger share
 * decides), that is not annotated scale-down-disabled, whose pods may all be evicted (replicated,
 * not marked safe-to-evict "false", no local storage unless marked safe, not a kube-system pod
 * without a budget, their budgets allowing a disruption) and fit on the other nodes by the
 * scheduler's own algorithm. DaemonSet and mirror pods stay where they are and never block. Nodes
 * are taken in name order, and the pods of a node found removable count on the nodes they would
 * move to when the next node is looked at, so that two nodes never count on the same room.
 */
public final class ScaleDownPlanner {
  private ScaleDownPlanner() {}

  /** The taint of a node being removed (NoSchedule; its value the time in Unix seconds). */
  public static final String TO_BE_DELETED_TAINT = "ToBeDeletedByClusterAutoscaler";
  /** The soft taint upstream puts on unneeded nodes (PreferNoSchedule). */
  public static final String DELETION_CANDIDATE_TAINT = "DeletionCandidateOfClusterAutoscaler";
  public static final String SCALE_DOWN_DISABLED = "cluster-autoscaler.kubernetes.io/scale-down-disabled";
  public static final String SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";

  /** Why a node is not removable, as upstream's simulator names it. */
  public enum Unremovable {
    ScaleDownDisabledAnnotation, NotUnderutilized, NotReady, CurrentlyBeingDeleted, BlockedByPod, NoPlaceToMovePods
  }

  /** Requested over allocatable, per resource. */
  public record Utilization(double cpu, double memory) {
    public double max() {
      return Math.max(cpu, memory);
    }
  }

  /** A node that could go, with the pods that would be evicted (DaemonSet and mirror pods left out). */
  public record Candidate(Node node, Utilization utilization, List<Pod> podsToMove) {
    public String name() {
      return node.getMetadata().getName();
    }
  }

  /** The removable nodes in order, and for the others why not (with the blocking pod's reason when one blocks). */
  public record Verdict(List<Candidate> removable, Map<String, String> unremovable) {}

  public static Verdict evaluate(List<Node> groupNodes, List<Node> allNodes, List<Pod> boundPods,
      List<PodDisruptionBudget> budgets, double threshold) {
    Map<String, List<Pod>> podsByNode = new LinkedHashMap<>();
    for (Pod p : boundPods) podsByNode.computeIfAbsent(p.getSpec().getNodeName(), n -> new ArrayList<>()).add(p);
    List<Candidate> removable = new ArrayList<>();
    Map<String, String> unremovable = new LinkedHashMap<>();
    Set<String> leaving = new HashSet<>();
    for (Node n : allNodes) if (beingDeleted(n)) leaving.add(n.getMetadata().getName());
    // pods moved onto other nodes by the candidates found so far
    List<Pod> moved = new ArrayList<>();
    List<Node> sorted = new ArrayList<>(groupNodes);
    sorted.sort(java.util.Comparator.comparing(n -> n.getMetadata().getName()));
    for (Node node : sorted) {
      String name = node.getMetadata().getName();
      List<Pod> pods = podsByNode.getOrDefault(name, List.of());
      if (beingDeleted(node)) {
        unremovable.put(name, Unremovable.CurrentlyBeingDeleted.name());
        continue;
      }
      if ("true".equals(annotation(node, SCALE_DOWN_DISABLED))) {
        unremovable.put(name, Unremovable.ScaleDownDisabledAnnotation.name());
        continue;
      }
      if (!ready(node)) {
        unremovable.put(name, Unremovable.NotReady.name());
        continue;
      }
      Utilization utilization = utilization(node, pods);
      if (utilization.max() >= threshold) {
        unremovable.put(name, Unremovable.NotUnderutilized.name());
        continue;
      }
      List<Pod> toMove = new ArrayList<>();
      String blocked = null;
      for (Pod pod : pods) {
        if (NodeTemplates.isDaemonSetPod(pod) || NodeTemplates.isMirrorPod(pod)) continue;
        blocked = blockingReason(pod, budgets);
        if (blocked != null) break;
        toMove.add(pod);
      }
      if (blocked != null) {
        unremovable.put(name, Unremovable.BlockedByPod.name() + ": " + blocked);
        continue;
      }
      // the pods must fit on the nodes that stay
      Set<String> gone = new HashSet<>(leaving);
      gone.add(name);
      List<Node> destinations = allNodes.stream().filter(n -> !gone.contains(n.getMetadata().getName())).toList();
      List<Pod> others = new ArrayList<>();
      for (Pod p : boundPods) if (!gone.contains(p.getSpec().getNodeName())) others.add(p);
      for (Pod p : moved) if (!gone.contains(p.getSpec().getNodeName())) others.add(p);
      List<Pod> placed = new ArrayList<>();
      boolean fits = true;
      for (Pod pod : toMove) {
        Pod unbound = new PodBuilder(pod).editSpec().withNodeName(null).endSpec().build();
        SchedulingAlgorithm.Decision d = SchedulingAlgorithm.schedule(unbound, destinations, others);
        if (!d.scheduled()) {
          fits = false;
          break;
        }
        Pod there = new PodBuilder(pod).editSpec().withNodeName(d.nodeName()).endSpec().build();
        others.add(there);
        placed.add(there);
      }
      if (!fits) {
        unremovable.put(name, Unremovable.NoPlaceToMovePods.name());
        continue;
      }
      removable.add(new Candidate(node, utilization, toMove));
      leaving.add(name);
      moved.addAll(placed);
    }
    return new Verdict(removable, unremovable);
  }

  /** Requests of the node's pods over its allocatable cpu and memory (upstream utilization.Calculate). */
  public static Utilization utilization(Node node, List<Pod> pods) {
    Resources allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
    long cpu = 0;
    long memory = 0;
    for (Pod p : pods) {
      Resources r = SchedulingAlgorithm.requestsOf(p);
      cpu += r.milliCpu();
      memory += r.memory();
    }
    return new Utilization(allocatable.milliCpu() == 0 ? 0 : (double) cpu / allocatable.milliCpu(),
        allocatable.memory() == 0 ? 0 : (double) memory / allocatable.memory());
  }

  /** Why the pod keeps its node (upstream drainability rules' reasons), or null when it may be evicted. */
  static String blockingReason(Pod pod, List<PodDisruptionBudget> budgets) {
    String safe = annotation(pod, SAFE_TO_EVICT);
    if ("false".equals(safe)) return "NotSafeToEvictAnnotation";
    boolean markedSafe = "true".equals(safe);
    if (!markedSafe && NodeTemplates.controllerOf(pod).isEmpty()) return "NotReplicated";
    if (!markedSafe && hasLocalStorage(pod)) return "LocalStorageRequested";
    List<PodDisruptionBudget> covering = budgets.stream().filter(b -> covers(b, pod)).toList();
    if (!markedSafe && "kube-system".equals(pod.getMetadata().getNamespace()) && covering.isEmpty()) {
      return "UnmovableKubeSystemPod";
    }
    for (PodDisruptionBudget b : covering) {
      Integer allowed = b.getStatus() == null ? null : b.getStatus().getDisruptionsAllowed();
      if (allowed == null || allowed < 1) return "NotEnoughPdb";
    }
    return null;
  }

  private static boolean hasLocalStorage(Pod pod) {
    List<Volume> volumes = pod.getSpec().getVolumes();
    if (volumes == null) return false;
    return volumes.stream().anyMatch(v -> v.getHostPath() != null
        || (v.getEmptyDir() != null && !"Memory".equals(v.getEmptyDir().getMedium())));
  }

  static boolean covers(PodDisruptionBudget budget, Pod pod) {
    if (!Objects.equals(budget.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) return false;
    if (budget.getSpec() == null || budget.getSpec().getSelector() == null) return false;
    LabelSelector selector;
    try {
      // policy/v1: an empty selector covers every pod of the namespace
      selector = LabelSelector.fromJson(Json.toTree(budget.getSpec().getSelector()));
    } catch (RuntimeException e) {
      return false; // a selector validation let through covers nothing
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    return selector.matches(labels == null ? Map.of() : labels);
  }

  public static boolean beingDeleted(Node node) {
    return node.getMetadata().getDeletionTimestamp() != null || node.getSpec() != null && node.getSpec().getTaints() != null
        && node.getSpec().getTaints().stream().anyMatch(t -> TO_BE_DELETED_TAINT.equals(t.getKey()));
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
    Map<String, String> annotations = o.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
