package io.kubeactor.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.scheduler.cache.SchedulerCache;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nodes and pods for scheduler tests, built in a line or read from YAML. */
public final class Fixtures {
  private Fixtures() {}

  /** A node with this allocatable cpu and memory, room for 110 pods, and labels as "k=v" pairs. */
  public static Node node(String name, String cpu, String memory, String... labels) {
    Map<String, String> labelMap = new LinkedHashMap<>();
    labelMap.put("kubernetes.io/hostname", name);
    for (String label : labels) {
      String[] kv = label.split("=", 2);
      labelMap.put(kv[0], kv[1]);
    }
    Map<String, Quantity> allocatable = new HashMap<>();
    allocatable.put("cpu", new Quantity(cpu));
    allocatable.put("memory", new Quantity(memory));
    allocatable.put("pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labelMap).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable).endStatus()
        .build();
  }

  public static Node withTaints(Node node, Taint... taints) {
    return new NodeBuilder(node).editSpec().withTaints(taints).endSpec().build();
  }

  public static Node withAllocatable(Node node, String resource, String amount) {
    Map<String, Quantity> allocatable = new HashMap<>(node.getStatus().getAllocatable());
    allocatable.put(resource, new Quantity(amount));
    return new NodeBuilder(node).editStatus().withAllocatable(allocatable).endStatus().build();
  }

  public static Node cordoned(Node node) {
    return new NodeBuilder(node).editSpec().withUnschedulable(true).endSpec().build();
  }

  public static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }

  /** A pod in namespace "default" with one container requesting cpu and memory (null: no request). */
  public static Pod pod(String name, String cpu, String memory, String... labels) {
    Map<String, Quantity> requests = new HashMap<>();
    if (cpu != null) requests.put("cpu", new Quantity(cpu));
    if (memory != null) requests.put("memory", new Quantity(memory));
    Map<String, String> labelMap = new LinkedHashMap<>();
    for (String label : labels) {
      String[] kv = label.split("=", 2);
      labelMap.put(kv[0], kv[1]);
    }
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name).withLabels(labelMap).endMetadata()
        .withNewSpec()
        .withContainers(new ContainerBuilder().withName("main").withImage("nginx")
            .withNewResources().withRequests(requests).endResources().build())
        .endSpec()
        .build();
  }

  public static Pod boundTo(Pod pod, String nodeName) {
    return new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec()
        .withNewStatus().withPhase("Running").endStatus().build();
  }

  public static Pod withPhase(Pod pod, String phase) {
    return new PodBuilder(pod).editOrNewStatus().withPhase(phase).endStatus().build();
  }

  public static Pod yamlPod(String yaml) {
    return read(yaml, Pod.class);
  }

  public static Node yamlNode(String yaml) {
    return read(yaml, Node.class);
  }

  private static <T> T read(String yaml, Class<T> type) {
    try {
      return Json.YAML.readValue(yaml, type);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static List<Node> nodes(Node... nodes) {
    return new ArrayList<>(List.of(nodes));
  }

  /** One attempt's snapshot and cycle state, for calling a plugin directly. */
  public static CycleState cycle(List<Node> nodes, List<Pod> boundPods, Pod incoming) {
    return new CycleState(SchedulerCache.snapshotOf(nodes, boundPods, incoming, Map.of()));
  }
}
