package io.kubeactor.controlplane.controller.nodelifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ControllerFixture} on a clock the test moves, with what nodes and their kubelets would
 * write: nodes that report Ready, heartbeats, pods bound and running on them.
 */
public final class Cluster implements AutoCloseable {

  public final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  public final ControllerFixture fixture;

  public Cluster() {
    this(ControllerSettings.defaults());
  }

  public Cluster(ControllerSettings settings) {
    fixture = new ControllerFixture(settings, clock);
  }

  /** A node whose kubelet just reported it Ready, in a zone. */
  public void node(String name, String zone) {
    fixture.apply("""
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "%s", "labels": {"kubernetes.io/hostname": "%s", "topology.kubernetes.io/zone": "%s"}},
         "status": {"conditions": []}}""".formatted(name, name, zone));
    heartbeat(name);
  }

  /** The node's kubelet reports: every condition fine, Ready True, heartbeats now. */
  public void heartbeat(String name) {
    String now = Timestamps.format(clock.instant());
    fixture.changeStatus("v1", "Node", null, name, n -> {
      ArrayNode conditions = n.withObjectProperty("status").putArray("conditions");
      condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", now);
      condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", now);
      condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", now);
      condition(conditions, "Ready", "True", "KubeletReady", now);
      return n;
    });
  }

  /** The node's kubelet reports Ready False (e.g. its container runtime is down). */
  public void notReady(String name) {
    fixture.changeStatus("v1", "Node", null, name, n -> {
      for (var c : n.withObjectProperty("status").withArrayProperty("conditions")) {
        if (c.path("type").asText().equals("Ready")) {
          ((ObjectNode) c).put("status", "False").put("reason", "KubeletNotReady")
              .put("lastHeartbeatTime", Timestamps.format(clock.instant()));
        }
      }
      return n;
    });
  }

  private static void condition(ArrayNode conditions, String type, String status, String reason, String now) {
    conditions.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", now)
        .put("lastTransitionTime", now).put("reason", reason).put("message", reason);
  }

  /** A pod bound to the node, Running and Ready, with the given extra spec (YAML flow, may be empty). */
  public void runningPod(String name, String nodeName, String extraSpec) {
    pod(name, nodeName, "{app: " + name + "}", "", extraSpec);
    running(name);
  }

  /** A pod bound to the node (if any), with labels and extra metadata and spec (YAML flow fields, may be empty). */
  public void pod(String name, String nodeName, String labels, String extraMetadata, String extraSpec) {
    fixture.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: %s, namespace: default, labels: %s %s},
         spec: {%s containers: [{name: c, image: "nginx:1.27"}] %s}}"""
        .formatted(name, labels, extraMetadata.isEmpty() ? "" : ", " + extraMetadata,
            nodeName == null ? "" : "nodeName: " + nodeName + ",", extraSpec.isEmpty() ? "" : ", " + extraSpec));
  }

  /** The pod's kubelet reports it Running and Ready. */
  public void running(String name) {
    String now = Timestamps.format(clock.instant());
    fixture.changeStatus("v1", "Pod", "default", name, p -> {
      ObjectNode status = p.withObjectProperty("status").put("phase", "Running");
      ArrayNode conditions = status.putArray("conditions");
      conditions.addObject().put("type", "PodScheduled").put("status", "True").put("lastTransitionTime", now);
      conditions.addObject().put("type", "Ready").put("status", "True").put("lastTransitionTime", now);
      return p;
    });
  }

  /** The pod's kubelet reports it Running but not Ready (e.g. its readiness probe fails). */
  public void notReadyPod(String name) {
    String now = Timestamps.format(clock.instant());
    fixture.changeStatus("v1", "Pod", "default", name, p -> {
      for (var c : p.withObjectProperty("status").withArrayProperty("conditions")) {
        if (c.path("type").asText().equals("Ready")) ((ObjectNode) c).put("status", "False").put("lastTransitionTime", now);
      }
      return p;
    });
  }

  public void advance(Duration d) {
    clock.advance(d);
  }

  public Node node(String name) {
    return fixture.get(Node.class, null, name);
  }

  public Pod pod(String name) {
    return fixture.get(Pod.class, "default", name);
  }

  public Optional<Taint> taint(String node, String key, String effect) {
    Node n = node(node);
    return NodeTaints.taints(n).stream().filter(t -> key.equals(t.getKey()) && effect.equals(t.getEffect())).findFirst();
  }

  public String ready(String node) {
    return NodeConditions.readyStatus(node(node));
  }

  public static String podReady(Pod pod) {
    return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
        .map(c -> c.getStatus()).orElse(null);
  }

  /** The events recorded about an object, by reason. */
  public List<Event> events(String involvedName, String reason) {
    return fixture.list(Event.class, null).stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }

  @Override
  public void close() {
    fixture.close();
  }
}
