package io.kubeactor.controlplane.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeactor.controlplane.scheduler.SchedulingAlgorithm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The scale-up decision, as cluster-autoscaler's scale-up orchestrator makes it, over the
 * scheduler's own algorithm (its framework filters: resources, node affinity and selectors, taints,
 * ports, pod affinity), so that the autoscaler and the scheduler never disagree on what fits. First
 * the pending pods that would fit on the nodes there are, or on the nodes already on their way, are
 * left to the scheduler (upstream's filter-out-schedulable); the rest are packed, in order, onto new
 * nodes made from the group's template (the binpacking estimator), as many as the group's maximum
 * allows. A pod that fits no template, or only past the maximum, does not trigger a scale-up, and
 * the reason is worded as upstream words it.
 */
public final class ScaleUpPlanner {
  private ScaleUpPlanner() {}

  static final String MAX_SIZE_REACHED = "max node group size reached";
  static final String IN_BACKOFF = "in backoff after failed scale-up";

  /**
   * The outcome: how many nodes to add, the pods they are for, the pods no new node would help with
   * and why (upstream's reason list, e.g. "1 max node group size reached"), and the pending pods
   * that fit where nodes are or are coming, bound there in the simulation, so that scale-down counts
   * them on the nodes they will run on.
   */
  public record Plan(int newNodes, List<Pod> triggering, Map<Pod, String> notTriggering, List<Pod> fitExisting) {
    public boolean scaleUp() {
      return newNodes > 0;
    }
  }

  /**
   * @param pending the unschedulable pods, oldest first
   * @param nodes every Node of the cluster
   * @param boundPods every non-terminated pod bound to a node
   * @param template a new node of the group as the given index would be (null when the group has no node to copy)
   * @param upcoming how many of the group's nodes are on their way (asked for, not registered)
   * @param currentSize the group's target size: registered and upcoming nodes
   * @param maxSize the group's maximum
   * @param inBackoff the group's last scale-up failed recently: no node is asked for now
   */
  public static Plan plan(List<Pod> pending, List<Node> nodes, List<Pod> boundPods,
      IntFunction<NodeTemplates.Template> template, int upcoming, int currentSize, int maxSize, boolean inBackoff) {
    // the cluster as it will be once the upcoming nodes are there
    List<Node> simulatedNodes = new ArrayList<>(nodes);
    List<Pod> simulatedPods = new ArrayList<>(boundPods);
    int index = 0;
    for (int i = 0; i < upcoming && template != null; i++) {
      NodeTemplates.Template t = template.apply(index++);
      if (t == null) break;
      simulatedNodes.add(t.node());
      simulatedPods.addAll(t.pods());
    }
    List<Pod> fitExisting = new ArrayList<>();
    List<Pod> remaining = new ArrayList<>();
    for (Pod pod : pending) {
      SchedulingAlgorithm.Decision d = SchedulingAlgorithm.schedule(pod, simulatedNodes, simulatedPods);
      if (d.scheduled()) {
        Pod placed = boundTo(pod, d.nodeName());
        simulatedPods.add(placed);
        fitExisting.add(placed);
      } else {
        remaining.add(pod);
      }
    }

    List<Node> newNodes = new ArrayList<>();
    List<Pod> newPods = new ArrayList<>();
    List<Pod> triggering = new ArrayList<>();
    Map<Pod, String> notTriggering = new LinkedHashMap<>();
    for (Pod pod : remaining) {
      if (!newNodes.isEmpty()) {
        SchedulingAlgorithm.Decision d = SchedulingAlgorithm.schedule(pod, newNodes, newPods);
        if (d.scheduled()) {
          newPods.add(boundTo(pod, d.nodeName()));
          triggering.add(pod);
          continue;
        }
      }
      NodeTemplates.Template fresh = template == null ? null : template.apply(index);
      if (fresh == null) {
        notTriggering.put(pod, "");
        continue;
      }
      SchedulingAlgorithm.Decision alone = SchedulingAlgorithm.schedule(pod, List.of(fresh.node()), fresh.pods());
      if (!alone.scheduled()) {
        notTriggering.put(pod, predicateReasons(alone.message()));
      } else if (inBackoff) {
        notTriggering.put(pod, "1 " + IN_BACKOFF);
      } else if (currentSize + newNodes.size() >= maxSize) {
        notTriggering.put(pod, "1 " + MAX_SIZE_REACHED);
      } else {
        index++;
        newNodes.add(fresh.node());
        newPods.addAll(fresh.pods());
        newPods.add(boundTo(pod, fresh.name()));
        triggering.add(pod);
      }
    }
    return new Plan(newNodes.size(), triggering, notTriggering, fitExisting);
  }

  /**
   * The filters' reasons for one template node, counted once for the group, as upstream lists a
   * node group's predicate failures: "0/1 nodes are available: 1 Insufficient cpu." is
   * "1 Insufficient cpu".
   */
  static String predicateReasons(String fitError) {
    String text = fitError == null ? "" : fitError;
    int colon = text.indexOf(": ");
    if (text.startsWith("0/") && colon > 0) text = text.substring(colon + 2);
    if (text.endsWith(".")) text = text.substring(0, text.length() - 1);
    return text;
  }

  private static Pod boundTo(Pod pod, String node) {
    return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
  }
}
