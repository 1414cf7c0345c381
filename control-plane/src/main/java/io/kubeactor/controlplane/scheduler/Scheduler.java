package io.kubeactor.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.registry.PodBinding;
import io.kubeactor.controlplane.scheduler.cache.SchedulerCache;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.VolumeObjects;
import io.kubeactor.controlplane.scheduler.framework.plugins.PodVolumesBinding;
import io.kubeactor.controlplane.scheduler.framework.plugins.VolumeBinding;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * kube-scheduler: takes the pods no node runs yet, highest priority first then oldest, asks the
 * {@link SchedulingAlgorithm} where each fits, and binds it there (pods/binding). A pod that fits
 * nowhere gets a FailedScheduling event and PodScheduled=False, and waits until a node or a pod
 * changes (room may have appeared) before it is tried again. The {@link SchedulerCache} holds what
 * each node runs, kept up to date from the informers' events; a placed pod is assumed on its node
 * at once, before its binding is written, so one pass places many pods correctly, and each attempt
 * sees a {@link Snapshot} that copies only the nodes changed since the last one. Bindings are
 * written asynchronously; their outcome comes back as a message (finished: the pod may expire if
 * the informer never confirms it; failed: forgotten and tried again). A pod whose claims wait for
 * their first consumer is bound once they are bound on its node. Pods and nodes come from the
 * shared informers, as kube-scheduler's do.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {

  public static final String NAME = "default-scheduler";
  /** How long a bound pod the informer never shows bound still counts on its node. */
  static final Duration ASSUMED_POD_TTL = Duration.ofSeconds(30);
  /** How often expired assumed pods are dropped (upstream cleanAssumedPeriod). */
  static final Duration CLEANUP_PERIOD = Duration.ofSeconds(1);

  public sealed interface Command {}

  private record PodChanged(Informer.Event<Pod> event) implements Command {}

  private record NodeChanged(Informer.Event<Node> event) implements Command {}

  private enum ScheduleNow implements Command { INSTANCE }

  private record BindFinished(String key) implements Command {}

  private record BindFailed(String key, Throwable cause) implements Command {}

  private enum CleanupAssumedPods implements Command { INSTANCE }

  /** A claim, volume or storage class changed: pods waiting for their volumes may fit now. */
  private enum VolumesChanged implements Command { INSTANCE }

  public static Behavior<Command> create(Informers informers, ApiWriter writer, FreshRead fresh, EventRecorder events,
      Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(CleanupAssumedPods.INSTANCE, CLEANUP_PERIOD);
      return new Scheduler(ctx, informers, writer, fresh, events, clock);
    }));
  }

  private final Informers informers;
  private final ApiWriter writer;
  private final FreshRead fresh;
  private final EventRecorder events;
  private final Clock clock;
  private final ResourceType pods;
  private final SchedulerCache cache;
  private final Snapshot snapshot = new Snapshot();
  private final SchedulingAlgorithm.NodeCursor nodeCursor = new SchedulingAlgorithm.NodeCursor();
  /** Pods waiting for a node, by key. */
  private final Map<String, Pod> pending = new HashMap<>();
  /**
   * The pending pods to try in the next round (kube-scheduler's activeQ). The others fit nowhere at
   * their last try and wait, unlooked at, until the cluster changes (its unschedulable pods), so a
   * round costs what is new, not every pod still waiting.
   */
  private final Set<String> active = new HashSet<>();
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private boolean scheduled;

  private Scheduler(ActorContext<Command> ctx, Informers informers, ApiWriter writer, FreshRead fresh,
      EventRecorder events, Clock clock) {
    super(ctx);
    this.informers = informers;
    this.writer = writer;
    this.fresh = fresh;
    this.events = events;
    this.clock = clock;
    this.pods = informers.typeOf(Pod.class);
    this.cache = new SchedulerCache(ASSUMED_POD_TTL, clock);
    var self = ctx.getSelf();
    // each informer's objects now, then its changes after them
    var nodeList = informers.nodes().listAndAddHandler(e -> self.tell(new NodeChanged(e)));
    subscriptions.add(nodeList.subscription());
    nodeList.items().forEach(cache::addNode);
    var podList = informers.pods().listAndAddHandler(e -> self.tell(new PodChanged(e)));
    subscriptions.add(podList.subscription());
    podList.items().forEach(this::podSeen);
    for (Informer<?> volumes : List.of(informers.of(PersistentVolumeClaim.class), informers.of(PersistentVolume.class),
        informers.of(StorageClass.class))) {
      subscriptions.add(volumes.addHandler(e -> self.tell(VolumesChanged.INSTANCE)));
    }
    snapshot.setNamespaceLabels(ns -> {
      Namespace namespace = informers.namespaces().get(ns);
      return namespace == null ? null : namespace.getMetadata().getLabels();
    });
    kick();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PodChanged.class, this::onPodChanged)
        .onMessage(NodeChanged.class, this::onNodeChanged)
        .onMessageEquals(ScheduleNow.INSTANCE, this::scheduleAll)
        .onMessageEquals(VolumesChanged.INSTANCE, () -> {
          retryUnschedulable();
          if (!active.isEmpty()) kick();
          return this;
        })
        .onMessage(BindFinished.class, m -> {
          cache.finishBinding(m.key());
          return this;
        })
        .onMessage(BindFailed.class, m -> {
          // the binding was refused (the pod changed or went): forget the assumption, look again
          cache.forgetPod(m.key());
          Pod current = informers.pods().get(m.key());
          if (current != null) podSeen(current);
          retryUnschedulable();
          kick();
          return this;
        })
        .onMessageEquals(CleanupAssumedPods.INSTANCE, () -> {
          List<String> expired = cache.cleanupExpiredAssumedPods();
          for (String key : expired) {
            // never confirmed: as the informer shows it now (unbound: pending again)
            Pod current = informers.pods().get(key);
            if (current != null) podSeen(current);
          }
          if (!expired.isEmpty()) {
            retryUnschedulable();
            kick();
          }
          return this;
        })
        .onSignal(PostStop.class, s -> {
          for (AutoCloseable c : subscriptions) c.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onPodChanged(PodChanged m) {
    Informer.Event<Pod> e = m.event();
    String key = Informer.keyOf(e.object());
    boolean wasCounted = cache.contains(key);
    if (e.type() == Informer.EventType.DELETED) {
      cache.removePod(key);
      pending.remove(key);
      active.remove(key);
    } else {
      podSeen(e.object());
    }
    // a pod that left a node freed room there
    if (wasCounted && !cache.contains(key)) retryUnschedulable();
    if (!active.isEmpty()) kick();
    countPending();
    return this;
  }

  private Behavior<Command> onNodeChanged(NodeChanged m) {
    Informer.Event<Node> e = m.event();
    if (e.type() == Informer.EventType.DELETED) {
      cache.removeNode(e.object().getMetadata().getName());
    } else if (e.previous() == null || !schedulingView(e.previous()).equals(schedulingView(e.object()))) {
      // heartbeats change a node every few seconds; only a change that can make room counts
      cache.addNode(e.object());
      retryUnschedulable();
    }
    if (!active.isEmpty()) kick();
    countPending();
    return this;
  }

  /** scheduler_pending_pods: the pods to try next round, and those that fit nowhere at their last try. */
  private void countPending() {
    SchedulerMetrics.pending(active.size(), Math.max(0, pending.size() - active.size()));
  }

  /** What of a node decides whether a pod fits there. */
  private static List<Object> schedulingView(Node node) {
    return java.util.Arrays.asList(node.getMetadata().getLabels(), node.getSpec(),
        node.getStatus() == null ? null : node.getStatus().getAllocatable());
  }

  /** A pod as the informer shows it now: counted on its node, waiting for one, or neither. */
  private void podSeen(Pod pod) {
    String key = Informer.keyOf(pod);
    var spec = pod.getSpec();
    boolean finished = SchedulerCache.terminated(pod);
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
      pending.remove(key);
      active.remove(key);
      if (finished) cache.removePod(key);
      else cache.addPod(pod);
      return;
    }
    // not bound yet as the informer sees it, but placed by this scheduler: its binding is on the way
    if (cache.isAssumed(key)) return;
    String schedulerName = Objects.requireNonNullElse(spec.getSchedulerName(), NAME);
    if (pod.getMetadata().getDeletionTimestamp() != null || finished || !schedulerName.equals(NAME)
        || (spec.getSchedulingGates() != null && !spec.getSchedulingGates().isEmpty())) {
      pending.remove(key);
      active.remove(key);
      return;
    }
    Pod before = pending.put(key, pod);
    // a new pod, or a changed one (e.g. new tolerations) that may fit now
    if (before == null || !before.getSpec().equals(spec)) active.add(key);
  }

  /** The cluster changed so that a pod may fit where it did not: every waiting pod is tried again. */
  private void retryUnschedulable() {
    active.addAll(pending.keySet());
  }

  private void kick() {
    if (scheduled) return;
    scheduled = true;
    getContext().getSelf().tell(ScheduleNow.INSTANCE);
  }

  private Behavior<Command> scheduleAll() {
    scheduled = false;
    List<Map.Entry<String, Pod>> queue = new ArrayList<>();
    for (String key : active) {
      Pod pod = pending.get(key);
      if (pod != null) queue.add(Map.entry(key, pod));
    }
    active.clear();
    countPending();
    if (queue.isEmpty()) return this;
    queue.sort(Comparator.<Map.Entry<String, Pod>>comparingInt(e -> -Objects.requireNonNullElse(e.getValue().getSpec().getPriority(), 0))
        .thenComparing(e -> Objects.toString(e.getValue().getMetadata().getCreationTimestamp(), ""))
        .thenComparing(Map.Entry::getKey));
    VolumeObjects volumes = VolumeObjects.from(fresh, informers.types());
    snapshot.setVolumes(volumes);
    for (var e : queue) {
      String key = e.getKey();
      Pod pod = e.getValue();
      long started = System.nanoTime();
      cache.updateSnapshot(snapshot);
      SchedulingAlgorithm.Decision d = SchedulingAlgorithm.schedule(pod, snapshot, nodeCursor);
      if (!d.scheduled()) {
        SchedulerMetrics.attempt(false, started);
        markUnschedulable(pod, d.message());
        continue;
      }
      pending.remove(key);
      cache.assumePod(pod, d.nodeName());
      bind(key, pod, d.nodeName(), volumes, started);
    }
    countPending();
    return this;
  }

  /** PreBind (the claims waiting for this node get it and are bound), then the binding; the outcome comes back as a message. */
  private void bind(String key, Pod pod, String nodeName, VolumeObjects volumes, long started) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    var self = getContext().getSelf();
    PodVolumesBinding.bind(writer, fresh, informers.of(PersistentVolumeClaim.class), VolumeBinding.claimsToBind(pod, volumes),
            nodeName, PodVolumesBinding.BIND_TIMEOUT)
        .thenCompose(v -> writer.bind(ns, name, nodeName, clock)).whenComplete((ok, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof PodVolumesBinding.Failed) {
          events.record(pod, "Warning", "FailedScheduling", cause.getMessage(), NAME, null);
        }
        // upstream's attempt (algorithm and binding) ends in an error when the binding fails
        SchedulerMetrics.error(started);
        self.tell(new BindFailed(key, error));
      } else {
        SchedulerMetrics.attempt(true, started);
        self.tell(new BindFinished(key));
        events.record(ok, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + nodeName, NAME, null);
      }
    });
  }

  private void markUnschedulable(Pod pod, String message) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    events.record(pod, "Warning", "FailedScheduling", message, NAME, null);
    writer.guaranteedSubresourceUpdate(pods, ns, name, "status", current -> {
      if (!current.path("spec").path("nodeName").asText("").isEmpty()) return current;
      PodBinding.setScheduled(current, "False", "Unschedulable", message, clock);
      return current;
    }).exceptionally(e -> null);
  }
}
