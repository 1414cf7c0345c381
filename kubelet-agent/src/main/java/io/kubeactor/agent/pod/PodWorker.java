package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.kubeactor.agent.NodeContext;
import io.kubeactor.agent.probe.ProbeKind;
import io.kubeactor.agent.probe.Prober;
import io.kubeactor.agent.stats.NodeMetrics;
import io.kubeactor.common.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One pod on this node, as kubelet's pod worker: every change (a new spec, a deletion, a container
 * that died, a back-off that ran out, a probe verdict) leads to one sync at a time against Docker,
 * and each sync's observation becomes the pod's status, reported when it changed. Probes run on
 * timers here; a liveness failure asks the next sync to restart the container.
 */
public final class PodWorker extends AbstractBehavior<PodWorker.Command> {

  public sealed interface Command {}

  /** The pod as the control plane has it now (its deletion requested when deletionTimestamp is set). */
  public record Assigned(ObjectNode pod) implements Command {}

  /** The pod is no longer bound here (deleted at once, or never ours): remove its containers. */
  public enum Unassigned implements Command { INSTANCE }

  /** Something changed in Docker, or a timer ran out: look again. */
  public enum Resync implements Command { INSTANCE }

  private record SyncFinished(Observation observation) implements Command {}

  private record SyncFailed(Throwable cause) implements Command {}

  private record ProbeTick(String container, ProbeKind kind) implements Command {}

  private record ProbeDone(String container, ProbeKind kind, String containerId, Prober.Result result) implements Command {}

  /** What the worker tells its node agent. */
  public sealed interface Report {}

  public record StatusChanged(String namespace, String name, String uid, ObjectNode status) implements Report {}

  public record Event(ObjectNode pod, String type, String reason, String message, String fieldPath) implements Report {}

  /** The pod's containers are gone; {@code deleted} when that finishes a requested deletion. */
  public record Removed(String namespace, String name, String uid, boolean deleted) implements Report {}

  public static Behavior<Command> create(NodeContext node, ObjectNode pod, ActorRef<Report> agent) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PodWorker(ctx, timers, node, pod, agent)));
  }

  // Docker's events and the back-off timers bring every change; this only catches what they missed
  private static final Duration PERIODIC_RESYNC = Duration.ofSeconds(60);

  /** A probe's running tally for one container instance. */
  private static final class ProbeState {
    final String containerId;
    int successes;
    int failures;
    boolean inFlight;

    ProbeState(String containerId) {
      this.containerId = containerId;
    }
  }

  private final TimerScheduler<Command> timers;
  private final NodeContext node;
  private final ActorRef<Report> agent;
  private final PodSync sync;
  private ObjectNode podJson;
  private Pod pod;
  private boolean removing;
  private boolean syncing;
  private boolean dirty;
  private Observation last;
  private ObjectNode lastStatus;
  private final Set<String> killRequests = new HashSet<>();
  private final Map<String, ProbeState> probes = new HashMap<>();
  /** Per container: readiness as its probe says (containers without one are ready once running). */
  private final Map<String, Boolean> ready = new HashMap<>();
  private final Map<String, Boolean> started = new HashMap<>();
  /** When this worker first saw its pod (System.nanoTime); 0 once it has been seen Running. */
  private long firstSeenNanos = System.nanoTime();

  private PodWorker(ActorContext<Command> ctx, TimerScheduler<Command> timers, NodeContext node, ObjectNode pod,
      ActorRef<Report> agent) {
    super(ctx);
    this.timers = timers;
    this.node = node;
    this.agent = agent;
    accept(pod);
    this.sync = new PodSync(node.nodeName(), node.docker(), node.volumes(), node.reader(), node.services(), this::event,
        node.podNetwork(), node.pauseImage(), node.hostIp(), node.prober(), node.blocking(), node.resolvConf());
    this.lastStatus = pod.path("status").isObject() ? (ObjectNode) pod.get("status") : null;
    // a pod running before this worker (an agent restarted) did not start now
    if (lastStatus != null && lastStatus.path("phase").asText("").equals("Running")) firstSeenNanos = 0;
    timers.startTimerWithFixedDelay("periodic", Resync.INSTANCE, PERIODIC_RESYNC);
    // a new pod shows ContainerCreating (or PodInitializing) at once, as kubelet's first status does
    if (!pod.path("status").has("containerStatuses") && !deleting()) {
      last = creating();
      report();
    }
    startSync();
  }

  /** What a pod looks like before its first sync: nothing created yet. */
  private Observation creating() {
    var inits = pod.getSpec().getInitContainers() == null ? java.util.List.<Container>of() : pod.getSpec().getInitContainers();
    String mainReason = inits.isEmpty() ? "ContainerCreating" : "PodInitializing";
    return new Observation(false, null,
        inits.stream().map(c -> waiting(c, "PodInitializing")).toList(),
        pod.getSpec().getContainers().stream().map(c -> waiting(c, mainReason)).toList(), java.util.List.of(), null, false);
  }

  private static ObservedContainer waiting(Container c, String reason) {
    return new ObservedContainer(c.getName(), c.getImage(), "", null, 0, new ContainerState.Waiting(reason, null), null);
  }

  private void accept(ObjectNode json) {
    this.podJson = json;
    try {
      this.pod = Json.MAPPER.treeToValue(json, Pod.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("pod " + json.path("metadata").path("name").asText() + " cannot be read", e);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assigned.class, m -> {
          accept(m.pod());
          // as kubelet's status manager, compare with the status the API has: one someone else changed
          // (the node lifecycle controller marks pods not Ready when the node was lost) is reported again
          if (m.pod().path("status").isObject()) lastStatus = (ObjectNode) m.pod().get("status");
          startSync();
          return this;
        })
        .onMessageEquals(Unassigned.INSTANCE, () -> {
          removing = true;
          startSync();
          return this;
        })
        .onMessageEquals(Resync.INSTANCE, () -> {
          startSync();
          return this;
        })
        .onMessage(SyncFinished.class, this::onSyncFinished)
        .onMessage(SyncFailed.class, m -> {
          syncing = false;
          getContext().getLog().warn("sync of pod {}/{} failed", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), m.cause());
          timers.startSingleTimer("retry", Resync.INSTANCE, Duration.ofSeconds(2));
          return this;
        })
        .onMessage(ProbeTick.class, this::onProbeTick)
        .onMessage(ProbeDone.class, this::onProbeDone)
        .build();
  }

  private boolean deleting() {
    return podJson.path("metadata").hasNonNull("deletionTimestamp");
  }

  private void startSync() {
    if (syncing) {
      dirty = true;
      return;
    }
    syncing = true;
    dirty = false;
    Pod target = pod;
    boolean teardown = removing || deleting();
    long grace = removing ? 2 : podJson.path("metadata").path("deletionGracePeriodSeconds").asLong(PodSync.gracePeriod(pod));
    Set<String> kills = Set.copyOf(killRequests);
    CompletableFuture<Observation> work = CompletableFuture.supplyAsync(
        () -> teardown ? sync.tearDown(target, grace) : sync.sync(target, kills), node.blocking());
    getContext().pipeToSelf(work, (o, e) -> e == null ? new SyncFinished(o) : new SyncFailed(e));
  }

  private Behavior<Command> onSyncFinished(SyncFinished m) {
    syncing = false;
    Observation o = m.observation();
    if (o.removed()) {
      agent.tell(new Removed(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
          !removing && deleting()));
      return Behaviors.stopped();
    }
    last = o;
    killRequests.removeIf(id -> o.containers().stream().noneMatch(c -> id.equals(bareId(c.containerId())) && c.running()));
    updateProbes(o);
    report();
    if (o.syncAgainIn() != null) timers.startSingleTimer("again", Resync.INSTANCE, o.syncAgainIn().plusMillis(50));
    if (dirty) startSync();
    return this;
  }

  private void report() {
    if (last == null) return;
    Map<String, PodStatusBuilder.ProbeView> views = new HashMap<>();
    for (Container c : pod.getSpec().getContainers()) {
      views.put(c.getName(), new PodStatusBuilder.ProbeView(
          ready.getOrDefault(c.getName(), c.getReadinessProbe() == null),
          started.getOrDefault(c.getName(), c.getStartupProbe() == null)));
    }
    ObjectNode status = PodStatusBuilder.build(pod, last, views, node.hostIp(), lastStatus, Instant.now());
    if (!status.equals(lastStatus)) {
      if (firstSeenNanos != 0 && status.path("phase").asText("").equals("Running")) {
        // kubelet's pod start duration: from the pod first seen to it first Running
        NodeMetrics.podStarted(firstSeenNanos);
        firstSeenNanos = 0;
      }
      lastStatus = status;
      agent.tell(new StatusChanged(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(), status));
    }
  }

  // ---- probes ----

  /** Starts probing each newly running container instance; forgets instances that are gone. */
  private void updateProbes(Observation o) {
    Set<String> live = new HashSet<>();
    for (ObservedContainer c : o.containers()) {
      Container spec = container(c.name());
      if (spec == null) continue;
      String id = c.running() ? bareId(c.containerId()) : null;
      for (ProbeKind kind : ProbeKind.values()) {
        Probe p = probeOf(spec, kind);
        String key = c.name() + "/" + kind;
        if (p == null || id == null) continue;
        live.add(key);
        ProbeState state = probes.get(key);
        if (state != null && state.containerId.equals(id)) continue;
        // a new instance: probing starts over after its initial delay
        probes.put(key, new ProbeState(id));
        if (kind == ProbeKind.READINESS) ready.put(c.name(), false);
        if (kind == ProbeKind.STARTUP) started.put(c.name(), false);
        long initial = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
        long period = p.getPeriodSeconds() == null ? 10 : Math.max(1, p.getPeriodSeconds());
        timers.startTimerWithFixedDelay(key, new ProbeTick(c.name(), kind), Duration.ofSeconds(initial), Duration.ofSeconds(period));
      }
      if (id == null) {
        ready.remove(c.name());
        started.remove(c.name());
      }
    }
    for (String key : Set.copyOf(probes.keySet())) {
      if (!live.contains(key)) {
        probes.remove(key);
        timers.cancel(key);
      }
    }
  }

  private Behavior<Command> onProbeTick(ProbeTick t) {
    String key = t.container() + "/" + t.kind();
    ProbeState state = probes.get(key);
    Container spec = container(t.container());
    if (state == null || spec == null || state.inFlight || last == null) return this;
    // liveness and readiness wait until the startup probe has succeeded
    if (t.kind() != ProbeKind.STARTUP && spec.getStartupProbe() != null && !started.getOrDefault(t.container(), false)) return this;
    if (t.kind() == ProbeKind.STARTUP && started.getOrDefault(t.container(), false)) return this;
    Probe p = probeOf(spec, t.kind());
    state.inFlight = true;
    String podIp = last.podIp();
    String id = state.containerId;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> node.prober().probe(p, spec, podIp, id), node.blocking()),
        (r, e) -> new ProbeDone(t.container(), t.kind(), id, e == null ? r : new Prober.Result(false, e.toString())));
    return this;
  }

  private Behavior<Command> onProbeDone(ProbeDone d) {
    String key = d.container() + "/" + d.kind();
    ProbeState state = probes.get(key);
    if (state == null || !state.containerId.equals(d.containerId())) return this;
    state.inFlight = false;
    Container spec = container(d.container());
    Probe p = probeOf(spec, d.kind());
    int successThreshold = p.getSuccessThreshold() == null ? 1 : Math.max(1, p.getSuccessThreshold());
    int failureThreshold = p.getFailureThreshold() == null ? 3 : Math.max(1, p.getFailureThreshold());
    String fieldPath = PodSync.fieldPath(pod, d.container());
    if (d.result().success()) {
      state.failures = 0;
      state.successes++;
      if (d.kind() == ProbeKind.READINESS && state.successes >= successThreshold && !ready.getOrDefault(d.container(), false)) {
        ready.put(d.container(), true);
        report();
      }
      if (d.kind() == ProbeKind.STARTUP && !started.getOrDefault(d.container(), false)) {
        started.put(d.container(), true);
        report();
      }
      return this;
    }
    state.successes = 0;
    state.failures++;
    event("Warning", "Unhealthy", d.kind().title + " probe failed: " + (d.result().message() == null ? "" : d.result().message()), fieldPath);
    if (state.failures < failureThreshold) return this;
    switch (d.kind()) {
      case READINESS -> {
        if (ready.getOrDefault(d.container(), true)) {
          ready.put(d.container(), false);
          report();
        }
      }
      case LIVENESS, STARTUP -> {
        event("Normal", "Killing", "Container " + d.container() + " failed " + d.kind().title.toLowerCase(java.util.Locale.ROOT)
            + " probe, will be restarted", fieldPath);
        killRequests.add(d.containerId());
        probes.remove(key);
        timers.cancel(key);
        startSync();
      }
    }
    return this;
  }

  private Container container(String name) {
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getName().equals(name)) return c;
    }
    return null;
  }

  private static Probe probeOf(Container c, ProbeKind kind) {
    return switch (kind) {
      case LIVENESS -> c.getLivenessProbe();
      case READINESS -> c.getReadinessProbe();
      case STARTUP -> c.getStartupProbe();
    };
  }

  private static String bareId(String containerId) {
    return containerId == null ? null : containerId.replaceFirst("^docker://", "");
  }

  /** Called from sync threads too: only sends a message. */
  private void event(String type, String reason, String message, String fieldPath) {
    agent.tell(new Event(podJson, type, reason, message, fieldPath));
  }
}
