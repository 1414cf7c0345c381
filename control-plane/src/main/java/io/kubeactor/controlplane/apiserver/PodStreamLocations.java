package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.node.AgentDirectory;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.japi.Pair;

/**
 * Where a pod's log, exec and attach are served, and the checks made before: kube-apiserver's
 * LogLocation, ExecLocation and AttachLocation (pkg/registry/core/pod/strategy.go), with their
 * words. The location is a URL on the agent of the pod's node, in kubelet's form.
 */
final class PodStreamLocations {
  private PodStreamLocations() {}

  /** A request for a node agent: the node (whose certificate the agent must show), where, and what. */
  record Location(String node, AgentEndpoint agent, Uri uri) {}

  /** PodLogOptions from the query. */
  record LogOptions(String container, boolean follow, boolean previous, boolean timestamps, Long sinceSeconds,
      OffsetDateTime sinceTime, Long tailLines, Long limitBytes) {

    static LogOptions parse(Query q) {
      OffsetDateTime sinceTime = null;
      Optional<String> since = q.get("sinceTime").filter(s -> !s.isEmpty());
      if (since.isPresent()) {
        try {
          sinceTime = OffsetDateTime.parse(since.get());
        } catch (DateTimeParseException e) {
          throw ApiException.badRequest("sinceTime: parsing time \"" + since.get() + "\" as RFC 3339 failed");
        }
      }
      return new LogOptions(q.get("container").orElse(""), flag(q, "follow"), flag(q, "previous"),
          flag(q, "timestamps"), number(q, "sinceSeconds"), sinceTime, number(q, "tailLines"), number(q, "limitBytes"));
    }

    /** ValidatePodLogOptions: a 422 for PodLogOptions. */
    void validate(String podName) {
      List<ApiException.Cause> causes = new ArrayList<>();
      if (tailLines != null && tailLines < 0) {
        causes.add(invalid("tailLines", tailLines, "must be greater than or equal to 0"));
      }
      if (limitBytes != null && limitBytes < 1) {
        causes.add(invalid("limitBytes", limitBytes, "must be greater than 0"));
      }
      if (sinceSeconds != null && sinceTime != null) {
        causes.add(new ApiException.Cause("FieldValueForbidden",
            "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", ""));
      } else if (sinceSeconds != null && sinceSeconds < 1) {
        causes.add(invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
      }
      if (!causes.isEmpty()) throw ApiException.invalid("", "PodLogOptions", podName, causes);
    }

    private static ApiException.Cause invalid(String field, long value, String why) {
      return new ApiException.Cause("FieldValueInvalid", "Invalid value: " + value + ": " + why, field);
    }
  }

  /** PodExecOptions and PodAttachOptions from the query (attach has no command). */
  record StreamOptions(String container, boolean stdin, boolean stdout, boolean stderr, boolean tty, List<String> command) {

    static StreamOptions parse(Query q) {
      // in the order given: Query.getAll answers repeated keys reversed
      List<String> command = q.toList().stream().filter(p -> p.first().equals("command")).map(Pair::second).toList();
      return new StreamOptions(q.get("container").orElse(""), flag(q, "stdin"), flag(q, "stdout"), flag(q, "stderr"),
          flag(q, "tty"), command);
    }
  }

  /** The log's location; empty while the pod has no node (no log then: upstream answers 204). */
  static Optional<Location> log(JsonNode pod, LogOptions o, AgentDirectory agents) {
    String name = pod.path("metadata").path("name").asText();
    o.validate(name);
    String container = validateContainer(o.container(), pod);
    String node = pod.path("spec").path("nodeName").asText("");
    if (node.isEmpty()) return Optional.empty();
    if (!o.previous()) waiting(pod, container).ifPresent(reason -> {
      throw ApiException.badRequest("container \"" + container + "\" in pod \"" + name + "\" is waiting to start: " + reason);
    });
    List<Pair<String, String>> params = new ArrayList<>();
    if (o.follow()) params.add(Pair.create("follow", "true"));
    if (o.previous()) params.add(Pair.create("previous", "true"));
    if (o.timestamps()) params.add(Pair.create("timestamps", "true"));
    if (o.sinceSeconds() != null) params.add(Pair.create("sinceSeconds", o.sinceSeconds().toString()));
    if (o.sinceTime() != null) {
      params.add(Pair.create("sinceTime", o.sinceTime().withOffsetSameInstant(ZoneOffset.UTC).withNano(0)
          .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    }
    if (o.tailLines() != null) params.add(Pair.create("tailLines", o.tailLines().toString()));
    if (o.limitBytes() != null) params.add(Pair.create("limitBytes", o.limitBytes().toString()));
    return Optional.of(location(agents, node, "containerLogs", pod, container, params));
  }

  static Location exec(JsonNode pod, StreamOptions o, AgentDirectory agents) {
    return stream(pod, o, agents, "exec");
  }

  static Location attach(JsonNode pod, StreamOptions o, AgentDirectory agents) {
    return stream(pod, new StreamOptions(o.container(), o.stdin(), o.stdout(), o.stderr(), o.tty(), List.of()), agents, "attach");
  }

  /** PortForwardLocation: the pod's node's agent, kubelet's /portForward/{namespace}/{name}. */
  static Location portForward(JsonNode pod, AgentDirectory agents) {
    String name = pod.path("metadata").path("name").asText();
    String node = pod.path("spec").path("nodeName").asText("");
    if (node.isEmpty()) throw ApiException.badRequest("pod " + name + " does not have a host assigned");
    AgentEndpoint agent = agent(agents, node);
    Uri uri = Uri.create("https://" + hostPort(agent)).addPathSegment("portForward")
        .addPathSegment(pod.path("metadata").path("namespace").asText())
        .addPathSegment(name);
    return new Location(node, agent, uri);
  }

  private static Location stream(JsonNode pod, StreamOptions o, AgentDirectory agents, String path) {
    String name = pod.path("metadata").path("name").asText();
    String container = validateContainer(o.container(), pod);
    String node = pod.path("spec").path("nodeName").asText("");
    if (node.isEmpty()) throw ApiException.badRequest("pod " + name + " does not have a host assigned");
    // kubelet's form: 1 for true, commands in order
    List<Pair<String, String>> params = new ArrayList<>();
    if (o.stdin()) params.add(Pair.create("stdin", "1"));
    if (o.stdout()) params.add(Pair.create("stdout", "1"));
    if (o.stderr()) params.add(Pair.create("stderr", "1"));
    if (o.tty()) params.add(Pair.create("tty", "1"));
    o.command().forEach(c -> params.add(Pair.create("command", c)));
    return location(agents, node, path, pod, container, params);
  }

  private static Location location(AgentDirectory agents, String node, String path, JsonNode pod, String container,
      List<Pair<String, String>> params) {
    AgentEndpoint agent = agent(agents, node);
    Uri uri = Uri.create("https://" + hostPort(agent)).addPathSegment(path)
        .addPathSegment(pod.path("metadata").path("namespace").asText())
        .addPathSegment(pod.path("metadata").path("name").asText())
        .addPathSegment(container)
        .query(Query.create(params));
    return new Location(node, agent, uri);
  }

  static AgentEndpoint agent(AgentDirectory agents, String node) {
    return agents.endpointOf(node).orElseThrow(() -> new ApiException(503, "ServiceUnavailable",
        "no node agent is connected for node \"" + node + "\"", null, null, null, null));
  }

  static String hostPort(AgentEndpoint agent) {
    String host = agent.host().contains(":") && !agent.host().startsWith("[") ? "[" + agent.host() + "]" : agent.host();
    return host + ":" + agent.port();
  }

  /** The container asked for, or the only one; kube-apiserver's validateContainer. */
  static String validateContainer(String container, JsonNode pod) {
    String name = pod.path("metadata").path("name").asText();
    JsonNode spec = pod.path("spec");
    if (container.isEmpty()) {
      JsonNode containers = spec.path("containers");
      if (containers.size() == 1) return containers.get(0).path("name").asText();
      if (containers.isEmpty()) throw ApiException.badRequest("a container name must be specified for pod " + name);
      throw ApiException.badRequest("a container name must be specified for pod " + name + ", choose one of: "
          + "[" + String.join(" ", allContainerNames(spec)) + "]");
    }
    if (!allContainerNames(spec).contains(container)) {
      throw ApiException.badRequest("container " + container + " is not valid for pod " + name);
    }
    return container;
  }

  /** Init containers, containers, then ephemeral containers: podutil.VisitContainers' order. */
  private static List<String> allContainerNames(JsonNode spec) {
    List<String> names = new ArrayList<>();
    for (String kind : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (JsonNode c : spec.path(kind)) names.add(c.path("name").asText());
    }
    return names;
  }

  /**
   * Why the container has no log yet, as kubelet words it from the pod's status: waiting, and never
   * terminated before (a restarting container shows its last run's log).
   */
  private static Optional<String> waiting(JsonNode pod, String container) {
    for (String kind : List.of("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")) {
      for (JsonNode s : pod.path("status").path(kind)) {
        if (!s.path("name").asText().equals(container)) continue;
        JsonNode waiting = s.path("state").path("waiting");
        if (waiting.isMissingNode() || s.path("state").has("running") || s.path("state").has("terminated")
            || s.path("lastState").has("terminated")) {
          return Optional.empty();
        }
        String reason = waiting.path("reason").asText("");
        return Optional.of(switch (reason) {
          case "ErrImagePull" -> "image can't be pulled";
          case "ImagePullBackOff" -> "trying and failing to pull image";
          default -> reason;
        });
      }
    }
    return Optional.empty();
  }

  /** As Kubernetes converts a query parameter to a bool: absent, "0" and "false" are false. */
  private static boolean flag(Query q, String name) {
    return q.get(name).map(v -> !(v.equals("0") || v.equalsIgnoreCase("false"))).orElse(false);
  }

  private static Long number(Query q, String name) {
    Optional<String> v = q.get(name).filter(s -> !s.isEmpty());
    if (v.isEmpty()) return null;
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": strconv.ParseInt: parsing \"" + v.get() + "\": invalid syntax");
    }
  }
}
