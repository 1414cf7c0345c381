package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.instant;
import static io.kubeactor.controlplane.apiserver.table.Cells.list;
import static io.kubeactor.controlplane.apiserver.table.Cells.number;
import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pods: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES (printPod). */
final class PodPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      Column.string("Status", "The aggregate status of the containers in this pod."),
      Column.string("Restarts", "The number of times the containers in this pod have been restarted"
          + " and when the last container in this pod has restarted."),
      Column.AGE,
      Column.string("IP", "podIP address allocated to the pod. Routable at least within the cluster."
          + " Empty if not yet allocated.").wide(),
      Column.string("Node", "NodeName indicates in which node this pod is scheduled.").wide(),
      Column.string("Nominated Node", "nominatedNodeName is set only when this pod preempts other"
          + " pods on the node, but it cannot be scheduled right away as preemption victims receive"
          + " their graceful termination periods.").wide(),
      Column.string("Readiness Gates", "If specified, all readiness gates will be evaluated for pod"
          + " readiness.").wide());

  /** Set by the node lifecycle controller on pods of a node that stopped reporting. */
  private static final String NODE_UNREACHABLE_REASON = "NodeLost";

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<RowCondition> conditions(JsonNode pod) {
    return switch (text(pod.path("status"), "phase")) {
      case "Succeeded" -> List.of(new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
      case "Failed" -> List.of(new RowCondition("Completed", "True", "Failed", "The pod failed."));
      default -> List.of();
    };
  }

  @Override
  public List<Object> cells(JsonNode pod) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    String phase = text(status, "phase");
    String reason = text(status, "reason", phase);
    for (JsonNode condition : status.path("conditions")) {
      if (text(condition, "type").equals("PodScheduled") && text(condition, "reason").equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }

    // restartable init containers (sidecars) count as containers and keep running
    List<JsonNode> initContainers = list(spec, "initContainers");
    Set<String> sidecars = new HashSet<>();
    for (JsonNode c : initContainers) {
      if (text(c, "restartPolicy").equals("Always")) sidecars.add(text(c, "name"));
    }
    int total = spec.path("containers").size() + sidecars.size();
    int ready = 0;
    Restarts initRestarts = new Restarts();
    Restarts sidecarRestarts = new Restarts();

    boolean initializing = false;
    List<JsonNode> initStatuses = list(status, "initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode container = initStatuses.get(i);
      boolean sidecar = sidecars.contains(text(container, "name"));
      initRestarts.add(container);
      if (sidecar) sidecarRestarts.add(container);
      JsonNode terminated = container.path("state").path("terminated");
      JsonNode waiting = container.path("state").path("waiting");
      if (terminated.isObject() && number(terminated, "exitCode") == 0) continue;
      if (sidecar && container.path("started").asBoolean(false)) {
        if (container.path("ready").asBoolean(false)) ready++;
        continue;
      }
      if (terminated.isObject()) {
        reason = "Init:" + terminationReason(terminated);
      } else if (waiting.isObject() && !text(waiting, "reason").isEmpty()
          && !text(waiting, "reason").equals("PodInitializing")) {
        reason = "Init:" + text(waiting, "reason");
      } else {
        reason = "Init:" + i + "/" + initContainers.size();
      }
      initializing = true;
      break;
    }

    // while initializing, RESTARTS counts the init containers; afterwards sidecars and containers
    Restarts restarts = initRestarts;
    if (!initializing || hasTrueCondition(status, "Initialized")) {
      restarts = sidecarRestarts;
      boolean hasRunning = false;
      // walked from the last container so that the first one's state wins
      List<JsonNode> statuses = list(status, "containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode container = statuses.get(i);
        restarts.add(container);
        JsonNode waiting = container.path("state").path("waiting");
        JsonNode terminated = container.path("state").path("terminated");
        if (waiting.isObject() && !text(waiting, "reason").isEmpty()) {
          reason = text(waiting, "reason");
        } else if (terminated.isObject()) {
          reason = terminationReason(terminated);
        } else if (container.path("ready").asBoolean(false) && container.path("state").path("running").isObject()) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = hasTrueCondition(status, "Ready") ? "Running" : "NotReady";
      }
    }

    if (Cells.isDeleting(pod) && text(status, "reason").equals(NODE_UNREACHABLE_REASON)) {
      reason = "Unknown";
    } else if (Cells.isDeleting(pod) && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }

    long count = restarts.count;
    Instant last = restarts.last;
    Object restartsCell = count != 0 && last != null
        ? (TimedCell) now -> count + " (" + HumanDuration.since(last, now) + " ago)"
        : String.valueOf(count);

    return List.of(Cells.name(pod), ready + "/" + total, reason, restartsCell, Cells.age(pod),
        orNone(podIP(status)), orNone(text(spec, "nodeName")), orNone(text(status, "nominatedNodeName")),
        readinessGates(spec, status));
  }

  /** Restart count and the latest time a container last terminated. */
  private static final class Restarts {
    long count;
    Instant last;

    void add(JsonNode containerStatus) {
      count += number(containerStatus, "restartCount");
      Instant finished = instant(containerStatus.path("lastState").path("terminated").path("finishedAt"));
      if (finished != null && (last == null || last.isBefore(finished))) last = finished;
    }
  }

  /** A terminated state's reason, else "Signal:N" or "ExitCode:N". */
  private static String terminationReason(JsonNode terminated) {
    if (!text(terminated, "reason").isEmpty()) return text(terminated, "reason");
    long signal = number(terminated, "signal");
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + number(terminated, "exitCode");
  }

  private static boolean hasTrueCondition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (text(condition, "type").equals(type)) return text(condition, "status").equals("True");
    }
    return false;
  }

  /** status.podIP wins over podIPs[0], as in the v1 to internal conversion. */
  private static String podIP(JsonNode status) {
    String podIP = text(status, "podIP");
    return podIP.isEmpty() ? text(status.path("podIPs").path(0), "ip") : podIP;
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    List<JsonNode> gates = list(spec, "readinessGates");
    if (gates.isEmpty()) return "<none>";
    int satisfied = 0;
    for (JsonNode gate : gates) {
      for (JsonNode condition : status.path("conditions")) {
        if (text(condition, "type").equals(text(gate, "conditionType"))) {
          if (text(condition, "status").equals("True")) satisfied++;
          break;
        }
      }
    }
    return satisfied + "/" + gates.size();
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }
}
