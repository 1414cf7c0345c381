package io.kubeactor.controlplane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.registry.PodBinding;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * kube-scheduler: takes the pods no node runs yet, highest priority first then oldest, asks the
 * {@link SchedulingAlgorithm} where each fits, and binds it there (pods/binding). A pod that fits
 * nowhere gets a FailedScheduling event and PodScheduled=False, and waits until a node or a pod
 * changes (room may have appeared) before it is tried again. A placed pod counts against its node
 * at once ("assumed"), before its binding is written, so one pass places many pods correctly. A
 * pod whose claims wait for their first consumer is bound once they are bound on its node.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {

  public static final String NAME = "default-scheduler";

  public sealed interface Command {}

  private record Changed(WatchCache.Change change) implements Command {}

  private enum ScheduleNow implements Command { INSTANCE }

  private record BindFailed(String key, Throwable cause) implements Command {}

  /** A claim, volume or storage class changed: pods waiting for their volumes may fit now. */
  private enum VolumesChanged implements Command { INSTANCE }

  public static Behavior<Command> create(Registry registry, EventRecorder events, Clock clock) {
    return Behaviors.setup(ctx -> new Scheduler(ctx, registry, events, clock));
  }

  private final Registry registry;
  private final EventRecorder events;
  private final Clock clock;
  private final ResourceType pods;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Pods on a node and not finished, by store key; assumed pods included. */
  private final Map<String, Pod> bound = new HashMap<>();
  /** Pods waiting for a node, by store key. */
  private final Map<String, ObjectNode> pending = new HashMap<>();
  /** Pods that fit nowhere at their last try: not tried again until the cluster changes. */
  private final Set<String> unschedulable = new HashSet<>();
  private boolean scheduled;

  private Scheduler(ActorContext<Command> ctx, Registry registry, EventRecorder events, Clock clock) {
    super(ctx);
    this.registry = registry;
    this.events = events;
    this.clock = clock;
    this.pods = registry.types().find("/api/v1", "pods").orElseThrow();
    ResourceType nodeType = registry.types().find("/api/v1", "nodes").orElseThrow();
    var self = ctx.getSelf();
    // one subscription per kind, each starting from the state it was registered against
    var nodeWatch = registry.cache().watchFromNow(nodeType.storePrefix(), c -> self.tell(new Changed(c)));
    nodeWatch.state().withPrefix(nodeType.storePrefix()).values().forEach(this::nodeAdded);
    var podWatch = registry.cache().watchFromNow(pods.storePrefix(), c -> self.tell(new Changed(c)));
    podWatch.state().withPrefix(pods.storePrefix()).forEach((key, pod) -> podSeen(key, pod, null));
    for (ResourceType type : List.of(registry.types().find("/api/v1", "persistentvolumeclaims").orElseThrow(),
        registry.types().find("/api/v1", "persistentvolumes").orElseThrow(),
        registry.types().find("/apis/storage.k8s.io/v1", "storageclasses").orElseThrow())) {
      registry.cache().watchFromNow(type.storePrefix(), c -> self.tell(VolumesChanged.INSTANCE));
    }
    kick();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, this::onChanged)
        .onMessageEquals(ScheduleNow.INSTANCE, this::scheduleAll)
        .onMessageEquals(VolumesChanged.INSTANCE, () -> {
          retryUnschedulable();
          if (!pending.isEmpty()) kick();
          return this;
        })
        .onMessage(BindFailed.class, m -> {
          // the binding was refused (the pod changed or went): forget the assumption, look again
          bound.remove(m.key());
          ObjectNode current = registry.cache().state().get(m.key());
          if (current != null) podSeen(m.key(), current, null);
          kick();
          return this;
        })
        .build();
  }

  private Behavior<Command> onChanged(Changed m) {
    WatchCache.Change c = m.change();
    if (c.key().startsWith(pods.storePrefix())) {
      boolean wasBound = bound.containsKey(c.key());
      if (c.type() == WatchCache.Type.DELETED) {
        bound.remove(c.key());
        pending.remove(c.key());
        unschedulable.remove(c.key());
      } else {
        podSeen(c.key(), c.object(), c.previous());
      }
      // a pod that left a node freed room there
      if (wasBound && !bound.containsKey(c.key())) retryUnschedulable();
    } else {
      if (c.type() == WatchCache.Type.DELETED) {
        nodes.remove(c.object().path("metadata").path("name").asText());
      } else if (c.previous() == null || !schedulingView(c.previous()).equals(schedulingView(c.object()))) {
        // heartbeats change a node every few seconds; only a change that can make room counts
        nodeAdded(c.object());
        retryUnschedulable();
      }
    }
    if (!pending.isEmpty()) kick();
    return this;
  }

  /** What of a node decides whether a pod fits there. */
  private static ObjectNode schedulingView(ObjectNode node) {
    ObjectNode view = Json.object();
    view.set("labels", node.path("metadata").path("labels"));
    view.set("spec", node.path("spec"));
    view.set("allocatable", node.path("status").path("allocatable"));
    return view;
  }

  private void nodeAdded(ObjectNode node) {
    nodes.put(node.path("metadata").path("name").asText(), typed(node, Node.class));
  }

  private void podSeen(String key, ObjectNode pod, ObjectNode previous) {
    JsonNode spec = pod.path("spec");
    String phase = pod.path("status").path("phase").asText("");
    boolean finished = phase.equals("Succeeded") || phase.equals("Failed");
    if (!spec.path("nodeName").asText("").isEmpty()) {
      pending.remove(key);
      unschedulable.remove(key);
      if (finished) {
        bound.remove(key);
      } else if (!bound.containsKey(key) || previous == null || !previous.path("spec").equals(spec)
          || !previous.path("metadata").path("labels").equals(pod.path("metadata").path("labels"))) {
        // status reports change a running pod often; only its spec and labels matter here
        bound.put(key, typed(pod, Pod.class));
      }
      return;
    }
    String schedulerName = spec.path("schedulerName").asText(NAME);
    if (pod.path("metadata").hasNonNull("deletionTimestamp") || finished || !schedulerName.equals(NAME)
        || spec.path("schedulingGates").size() > 0) {
      pending.remove(key);
      return;
    }
    ObjectNode before = pending.put(key, pod);
    // a changed pod (e.g. new tolerations) may fit now
    if (before != null && !before.path("spec").equals(spec)) unschedulable.remove(key);
  }

  private void retryUnschedulable() {
    unschedulable.clear();
  }

  private void kick() {
    if (scheduled) return;
    scheduled = true;
    getContext().getSelf().tell(ScheduleNow.INSTANCE);
  }

  private Behavior<Command> scheduleAll() {
    scheduled = false;
    List<Map.Entry<String, ObjectNode>> queue = new ArrayList<>();
    for (var e : pending.entrySet()) {
      if (!unschedulable.contains(e.getKey())) queue.add(e);
    }
    queue.sort(Comparator.<Map.Entry<String, ObjectNode>>comparingInt(e -> -e.getValue().path("spec").path("priority").asInt(0))
        .thenComparing(e -> e.getValue().path("metadata").path("creationTimestamp").asText())
        .thenComparing(Map.Entry::getKey));
    List<Node> nodeList = List.copyOf(nodes.values());
    VolumeObjects volumes = VolumeObjects.from(registry.cache().state(), registry.types());
    for (var e : queue) {
      String key = e.getKey();
      ObjectNode podJson = e.getValue();
      Pod pod = typed(podJson, Pod.class);
      SchedulingAlgorithm.Decision d = SchedulingAlgorithm.schedule(pod, nodeList, List.copyOf(bound.values()), Map.of(), volumes);
      pending.remove(key);
      if (!d.scheduled()) {
        unschedulable.add(key);
        pending.put(key, podJson);
        markUnschedulable(podJson, d.message());
        continue;
      }
      pod.getSpec().setNodeName(d.nodeName());
      bound.put(key, pod);
      String ns = podJson.path("metadata").path("namespace").asText();
      String name = podJson.path("metadata").path("name").asText();
      var self = getContext().getSelf();
      // PreBind: the claims waiting for this node get it and are bound before the pod is
      PodVolumesBinding.bind(registry, VolumeBinding.claimsToBind(pod, volumes), d.nodeName(), PodVolumesBinding.BIND_TIMEOUT)
          .thenCompose(v -> PodBinding.bind(registry, pods, ns, name, d.nodeName(), clock)).whenComplete((ok, error) -> {
        if (error != null) {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          if (cause instanceof PodVolumesBinding.Failed) events.record(podJson, "Warning", "FailedScheduling", cause.getMessage(), NAME, null);
          self.tell(new BindFailed(key, error));
        } else {
          events.record(ok, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + d.nodeName(), NAME, null);
        }
      });
    }
    return this;
  }

  private void markUnschedulable(ObjectNode pod, String message) {
    String ns = pod.path("metadata").path("namespace").asText();
    String name = pod.path("metadata").path("name").asText();
    events.record(pod, "Warning", "FailedScheduling", message, NAME, null);
    registry.guaranteedSubresourceUpdate(pods, ns, name, current -> {
      if (!current.path("spec").path("nodeName").asText("").isEmpty()) return current;
      PodBinding.setScheduled(current, "False", "Unschedulable", message, clock);
      return current;
    }).exceptionally(e -> null);
  }

  private static <T> T typed(ObjectNode json, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(json, type);
    } catch (Exception e) {
      throw new IllegalStateException("stored " + type.getSimpleName() + " cannot be read: " + e.getMessage(), e);
    }
  }
}
