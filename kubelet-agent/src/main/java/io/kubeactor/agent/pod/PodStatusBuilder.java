package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's status from what its node observed, as kubelet's generateAPIPodStatus writes it: the
 * phase by kubelet's rules, the conditions, and each container's state, last state, readiness and
 * restarts. Pure: same input, same status (a condition keeps its transition time while it holds).
 */
final class PodStatusBuilder {
  private PodStatusBuilder() {}

  /** What the probes say of a container: ready (readiness) and started (startup). */
  record ProbeView(boolean ready, boolean started) {}

  static ObjectNode build(Pod pod, Observation o, Map<String, ProbeView> probes, String hostIp, JsonNode previous,
      Instant now) {
    ObjectNode status = Json.object();
    List<ObservedContainer> inits = o.initContainers();
    List<ObservedContainer> mains = o.containers();
    String phase = phase(pod, inits, mains);
    status.put("phase", phase);

    List<String> notInitialized = new ArrayList<>();
    for (ObservedContainer c : inits) {
      if (!(c.state() instanceof ContainerState.Terminated t && t.exitCode() == 0)) notInitialized.add(c.name());
    }
    List<String> notReady = new ArrayList<>();
    ArrayNode containerStatuses = Json.MAPPER.createArrayNode();
    for (ObservedContainer c : mains) {
      ProbeView view = probes.getOrDefault(c.name(), new ProbeView(true, true));
      boolean ready = c.running() && view.ready() && view.started();
      if (!ready) notReady.add(c.name());
      containerStatuses.add(containerStatus(c, ready, c.running() && view.started()));
    }
    ArrayNode initStatuses = Json.MAPPER.createArrayNode();
    for (ObservedContainer c : inits) {
      boolean done = c.state() instanceof ContainerState.Terminated t && t.exitCode() == 0;
      initStatuses.add(containerStatus(c, done, c.running()));
    }

    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    ArrayNode conditions = status.putArray("conditions");
    JsonNode before = previous == null ? null : previous.path("conditions");
    condition(conditions, before, "PodReadyToStartContainers", o.sandboxReady() && !terminal, null, null, now);
    condition(conditions, before, "Initialized", notInitialized.isEmpty(),
        notInitialized.isEmpty() ? null : "ContainersNotInitialized",
        notInitialized.isEmpty() ? null : "containers with incomplete status: " + list(notInitialized), now);
    String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = terminal ? null : "containers with unready status: " + list(notReady);
    condition(conditions, before, "Ready", notReady.isEmpty() && !terminal,
        notReady.isEmpty() && !terminal ? null : notReadyReason, notReady.isEmpty() && !terminal ? null : notReadyMessage, now);
    condition(conditions, before, "ContainersReady", notReady.isEmpty() && !terminal,
        notReady.isEmpty() && !terminal ? null : notReadyReason, notReady.isEmpty() && !terminal ? null : notReadyMessage, now);
    resizeInProgress(conditions, before, mains, now);

    if (hostIp != null) {
      status.put("hostIP", hostIp);
      status.putArray("hostIPs").addObject().put("ip", hostIp);
    }
    if (o.podIp() != null && !o.podIp().isEmpty()) {
      status.put("podIP", o.podIp());
      status.putArray("podIPs").addObject().put("ip", o.podIp());
    } else if (previous != null && previous.hasNonNull("podIP")) {
      status.set("podIP", previous.get("podIP"));
      status.set("podIPs", previous.get("podIPs"));
    }
    String startTime = previous != null && previous.hasNonNull("startTime") ? previous.get("startTime").asText() : time(now);
    status.put("startTime", startTime);
    if (!inits.isEmpty()) status.set("initContainerStatuses", initStatuses);
    status.set("containerStatuses", containerStatuses);
    if (!o.ephemeralContainers().isEmpty()) {
      // never ready, and no startup probe to say they started: kubelet's prober leaves them out
      ArrayNode ephemeralStatuses = status.putArray("ephemeralContainerStatuses");
      for (ObservedContainer c : o.ephemeralContainers()) ephemeralStatuses.add(containerStatus(c, false, null));
    }
    return status;
  }

  /** kubelet's getPhase. */
  static String phase(Pod pod, List<ObservedContainer> inits, List<ObservedContainer> mains) {
    String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    int pendingInit = 0;
    int failedInit = 0;
    for (ObservedContainer c : inits) {
      if (c.state() instanceof ContainerState.Running) {
        pendingInit++;
      } else if (c.state() instanceof ContainerState.Terminated t) {
        if (t.exitCode() != 0) failedInit++;
      } else if (c.lastTerminated() != null) {
        if (c.lastTerminated().exitCode() != 0) failedInit++;
      } else {
        pendingInit++;
      }
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ObservedContainer c : mains) {
      if (c.state() instanceof ContainerState.Running) {
        running++;
      } else if (c.state() instanceof ContainerState.Terminated t) {
        stopped++;
        if (t.exitCode() == 0) succeeded++;
      } else if (c.lastTerminated() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (failedInit > 0 && policy.equals("Never")) return "Failed";
    if (pendingInit > 0 || waiting > 0) return "Pending";
    if (running > 0) return "Running";
    if (stopped > 0) {
      if (policy.equals("Always")) return "Running";
      if (stopped == succeeded) return "Succeeded";
      if (policy.equals("Never")) return "Failed";
      return "Running";
    }
    return "Pending";
  }

  /** A container's status; {@code started} null for an ephemeral container, which has none. */
  private static ObjectNode containerStatus(ObservedContainer c, boolean ready, Boolean started) {
    ObjectNode s = Json.object();
    s.put("name", c.name());
    s.set("state", state(c.state()));
    s.set("lastState", c.lastTerminated() == null ? Json.object() : state(c.lastTerminated()));
    s.put("ready", ready);
    s.put("restartCount", c.restartCount());
    s.put("image", c.image());
    s.put("imageID", c.imageId() == null ? "" : c.imageId());
    if (c.containerId() != null) s.put("containerID", c.containerId());
    if (started != null) s.put("started", started);
    if (c.allocatedResources() != null) s.set("allocatedResources", c.allocatedResources());
    if (c.resources() != null) s.set("resources", c.resources());
    return s;
  }

  /**
   * PodResizeInProgress while a container's in-place resize fails (kubelet's reason Error with the
   * runtime's message); absent otherwise, as kubelet drops it once the resize is done.
   */
  private static void resizeInProgress(ArrayNode conditions, JsonNode before, List<ObservedContainer> mains, Instant now) {
    List<String> errors = new ArrayList<>();
    for (ObservedContainer c : mains) {
      if (c.resizeError() != null) errors.add(c.resizeError());
    }
    if (errors.isEmpty()) return;
    condition(conditions, before, "PodResizeInProgress", true, "Error", String.join("; ", errors), now);
  }

  private static ObjectNode state(ContainerState state) {
    ObjectNode s = Json.object();
    if (state instanceof ContainerState.Waiting w) {
      ObjectNode o = s.putObject("waiting");
      if (w.reason() != null) o.put("reason", w.reason());
      if (w.message() != null) o.put("message", w.message());
    } else if (state instanceof ContainerState.Running r) {
      ObjectNode o = s.putObject("running");
      if (r.startedAt() != null) o.put("startedAt", time(r.startedAt()));
    } else if (state instanceof ContainerState.Terminated t) {
      ObjectNode o = s.putObject("terminated");
      o.put("exitCode", t.exitCode());
      if (t.reason() != null) o.put("reason", t.reason());
      if (t.message() != null) o.put("message", t.message());
      o.put("startedAt", t.startedAt() == null ? null : time(t.startedAt()));
      o.put("finishedAt", t.finishedAt() == null ? null : time(t.finishedAt()));
      if (t.containerId() != null) o.put("containerID", t.containerId());
    }
    return s;
  }

  private static void condition(ArrayNode out, JsonNode before, String type, boolean isTrue, String reason, String message,
      Instant now) {
    String status = isTrue ? "True" : "False";
    String transition = time(now);
    if (before != null) {
      for (JsonNode c : before) {
        if (c.path("type").asText().equals(type) && c.path("status").asText().equals(status)) {
          transition = c.path("lastTransitionTime").asText(transition);
        }
      }
    }
    ObjectNode c = out.addObject();
    c.put("type", type).put("status", status).putNull("lastProbeTime").put("lastTransitionTime", transition);
    if (reason != null) c.put("reason", reason);
    if (message != null) c.put("message", message);
  }

  private static String list(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  static String time(Instant t) {
    return Timestamps.format(t);
  }
}
