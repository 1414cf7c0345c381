package io.kubeactor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.agent.bootstrap.NodeCredentials;
import io.kubeactor.agent.network.PodNetwork;
import io.kubeactor.agent.pod.PodWorker;
import io.kubeactor.agent.runtime.ContainerLabels;
import io.kubeactor.agent.runtime.DockerRuntime;
import io.kubeactor.agent.stats.UsageCollector;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.common.cluster.NodeProof;
import io.kubeactor.common.cluster.NodeProtocol;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The node: registers itself with the control plane's gateway, sends heartbeats and usage, and
 * keeps one {@link PodWorker} per pod bound here, so that Docker runs exactly the pods the control
 * plane assigned (adopting containers it already runs, removing those of pods no longer here).
 * Lives as long as one cluster session; when the control plane leaves the cluster, the session ends
 * and the agent joins again.
 */
public final class NodeAgent extends AbstractBehavior<NodeAgent.Command> {

  public sealed interface Command {}

  private record GatewayListing(Receptionist.Listing listing) implements Command {}

  private record FromGateway(NodeProtocol.ToAgent message) implements Command {}

  private record FromWorker(PodWorker.Report report) implements Command {}

  private record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  private enum Tick implements Command { REGISTER, HEARTBEAT, USAGE, WATCH_DOCKER, SET_UP_NETWORK }

  /** The stream of Docker events with this number ended. */
  private record DockerEventsEnded(int stream) implements Command {}

  private record UsageMeasured(NodeProtocol.UsageReport report) implements Command {}

  /** A container of this node changed in Docker (started, died, was OOM-killed or removed). */
  private record ContainerChanged(String podUid) implements Command {}

  /** The node's pod network matches its PodCIDR now; {@code address} is the node's on it. */
  private record NetworkReady(String podCidr, String address) implements Command {}

  /** Setting up the pod network failed; tried again shortly. */
  private record NetworkFailed(String podCidr, String reason) implements Command {}

  /**
   * {@code dataDirId} tells the control plane which data directory this agent runs from (a restarted
   * agent of the node has the same); {@code refused} hears why the control plane turned the agent away.
   */
  public static Behavior<Command> create(NodeContext node, NodeIdentity identity, String dataDirId, AgentEndpoint endpoint,
      UsageCollector usage, Duration heartbeat, Duration usageInterval, Runnable sessionOver, Consumer<String> refused,
      Consumer<ActorRef<NodeProtocol.ToGateway>> registeredWith, NodeCredentials credentials) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new NodeAgent(ctx, timers, node, identity, dataDirId, endpoint, usage, heartbeat, usageInterval, sessionOver,
            refused, registeredWith, credentials)));
  }

  private final TimerScheduler<Command> timers;
  private NodeContext node;
  private NodeIdentity identity;
  private final PodNetwork podNetwork;
  /** The PodCIDR the pod network is set up for (null before), and the one being set up. */
  private String podCidr;
  private String settingUp;
  /** The address given on the command line (--address), which stays the node's; else its bridge's. */
  private final String explicitAddress;
  private ObjectNode ownNode;
  /** Pod assignments that wait for the pod network, in the order they came. */
  private final List<NodeProtocol.ToAgent> waitingForNetwork = new ArrayList<>();
  private final AgentEndpoint endpoint;
  private final Duration heartbeat;
  private final Duration usageInterval;
  private final Runnable sessionOver;
  private final String dataDirId;
  private final Consumer<String> refused;
  private final Consumer<ActorRef<NodeProtocol.ToGateway>> registeredWith;
  private final ActorRef<NodeProtocol.ToAgent> inbox;
  private final ActorRef<PodWorker.Report> workerReports;
  private final NodeConditions conditions;
  private final UsageCollector usage;
  private Closeable dockerEvents;
  private int dockerStream;
  private final NodeCredentials credentials;
  /** The gateway as the receptionist lists it: where this node registers. */
  private ActorRef<NodeProtocol.ToGateway> gateway;
  /** This node's session with the gateway, once registered: where everything else goes. */
  private ActorRef<NodeProtocol.ToGateway> session;
  private final Map<String, ActorRef<PodWorker.Command>> workers = new HashMap<>();

  private NodeAgent(ActorContext<Command> ctx, TimerScheduler<Command> timers, NodeContext node, NodeIdentity identity,
      String dataDirId, AgentEndpoint endpoint, UsageCollector usage, Duration heartbeat, Duration usageInterval,
      Runnable sessionOver, Consumer<String> refused, Consumer<ActorRef<NodeProtocol.ToGateway>> registeredWith,
      NodeCredentials credentials) {
    super(ctx);
    this.credentials = credentials;
    this.dataDirId = dataDirId;
    this.refused = refused;
    this.registeredWith = registeredWith;
    this.timers = timers;
    this.node = node;
    this.identity = identity;
    this.endpoint = endpoint;
    this.heartbeat = heartbeat;
    this.usageInterval = usageInterval;
    this.sessionOver = sessionOver;
    this.conditions = new NodeConditions(node.dataDir());
    this.podNetwork = new PodNetwork(node.docker(), node.nodeName());
    this.explicitAddress = identity.internalIp();
    this.usage = usage;
    // the gateway's messages come through a child, a plain actor that other cluster members can address; its
    // name is unguessable and told to the gateway alone, so that no other member can hand this node pods
    this.inbox = ctx.spawn(Behaviors.receiveMessage(m -> {
      ctx.getSelf().tell(new FromGateway(m));
      return Behaviors.same();
    }), NodeProtocol.unguessableName("inbox"));
    this.workerReports = ctx.messageAdapter(PodWorker.Report.class, FromWorker::new);
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeProtocol.GATEWAY,
        ctx.messageAdapter(Receptionist.Listing.class, GatewayListing::new)));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new), ClusterEvent.MemberRemoved.class));
    ActorRef<Command> self = ctx.getSelf();
    this.dockerEvents = watchDocker();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GatewayListing.class, this::onListing)
        .onMessageEquals(Tick.REGISTER, () -> {
          register();
          return this;
        })
        .onMessage(FromGateway.class, m -> onGateway(m.message()))
        .onMessage(FromWorker.class, m -> onWorker(m.report()))
        .onMessage(ContainerChanged.class, m -> {
          var w = workers.get(m.podUid());
          if (w != null) w.tell(PodWorker.Resync.INSTANCE);
          return this;
        })
        .onMessageEquals(Tick.HEARTBEAT, () -> {
          if (session != null) session.tell(new NodeProtocol.NodeHeartbeat(identity.name(), NodeObject.status(identity, node, endpoint, conditions.now())));
          return this;
        })
        .onMessageEquals(Tick.USAGE, () -> {
          getContext().pipeToSelf(CompletableFuture.supplyAsync(usage::measure, node.blocking()),
              (r, e) -> e == null ? new UsageMeasured(r) : null);
          return this;
        })
        .onMessage(DockerEventsEnded.class, m -> {
          // the engine restarted or the connection broke: watch again shortly (a stream closed here is no news)
          if (m.stream() == dockerStream) timers.startSingleTimer("watch-docker", Tick.WATCH_DOCKER, Duration.ofSeconds(2));
          return this;
        })
        .onMessageEquals(Tick.WATCH_DOCKER, () -> {
          Closeable old = dockerEvents;
          dockerEvents = watchDocker();
          try {
            old.close();
          } catch (java.io.IOException ignored) {
            // the old stream is gone anyway
          }
          workers.values().forEach(w -> w.tell(PodWorker.Resync.INSTANCE));
          return this;
        })
        .onMessage(NetworkReady.class, this::onNetworkReady)
        .onMessage(NetworkFailed.class, m -> {
          getContext().getLog().warn("the pod network of node {} ({}) could not be set up: {}; trying again", identity.name(),
              m.podCidr(), m.reason());
          settingUp = null;
          timers.startSingleTimer("network", Tick.SET_UP_NETWORK, Duration.ofSeconds(5));
          return this;
        })
        .onMessageEquals(Tick.SET_UP_NETWORK, () -> {
          if (ownNode != null) ownNode(ownNode);
          return this;
        })
        .onMessage(UsageMeasured.class, m -> {
          if (session != null && m.report() != null) session.tell(m.report());
          return this;
        })
        .onMessage(MemberRemoved.class, m -> {
          // while this agent itself leaves, every member is removed from its view: that is no news
          var self = Cluster.get(getContext().getSystem()).selfMember().status();
          boolean leaving = self != org.apache.pekko.cluster.MemberStatus.up() && self != org.apache.pekko.cluster.MemberStatus.weaklyUp();
          if (m.event().member().hasRole(NodeProtocol.CONTROL_PLANE_ROLE) && !leaving) {
            getContext().getLog().warn("the control plane left the cluster; joining it again");
            sessionOver.run();
          }
          return this;
        })
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
          try {
            dockerEvents.close();
          } catch (java.io.IOException ignored) {
            // the session ends anyway
          }
          return this;
        })
        .build();
  }

  /** Docker's lifecycle events for this node's containers wake their pod workers at once. */
  private Closeable watchDocker() {
    ActorRef<Command> self = getContext().getSelf();
    int stream = ++dockerStream;
    return node.docker().events(ContainerLabels.NODE, node.nodeName(), e -> {
      var attributes = e.getActor() == null ? null : e.getActor().getAttributes();
      String uid = attributes == null ? null : attributes.get(ContainerLabels.POD_UID);
      if (uid != null) self.tell(new ContainerChanged(uid));
    }, () -> self.tell(new DockerEventsEnded(stream)));
  }

  private Behavior<Command> onListing(GatewayListing m) {
    Set<ActorRef<NodeProtocol.ToGateway>> found = m.listing().getServiceInstances(NodeProtocol.GATEWAY);
    if (found.isEmpty()) return this;
    ActorRef<NodeProtocol.ToGateway> g = found.iterator().next();
    if (!g.equals(gateway)) {
      gateway = g;
      session = null;
      register();
    }
    return this;
  }

  private void register() {
    if (gateway == null || session != null) return;
    String agent = ActorRefResolver.get(getContext().getSystem()).toSerializationFormat(inbox);
    byte[] certificate;
    try {
      certificate = credentials.certificate().getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    gateway.tell(new NodeProtocol.RegisterNode(NodeObject.of(identity, node, endpoint, conditions.now()), endpoint, inbox,
        dataDirId, certificate, NodeProof.sign(credentials.key(), identity.name(), agent)));
    // until the gateway answers, ask again
    timers.startSingleTimer("register", Tick.REGISTER, Duration.ofSeconds(3));
  }

  private Behavior<Command> onGateway(NodeProtocol.ToAgent m) {
    if (m instanceof NodeProtocol.Refused r) {
      // another live agent runs this node: this one runs nothing and ends
      timers.cancel("register");
      refused.accept(r.reason());
      return Behaviors.stopped();
    }
    if (m instanceof NodeProtocol.Registered r) {
      session = r.session();
      registeredWith.accept(r.session());
      timers.cancel("register");
      getContext().getLog().info("node {} registered with the control plane", r.nodeName());
      timers.startTimerWithFixedDelay("heartbeat", Tick.HEARTBEAT, heartbeat);
      timers.startTimerWithFixedDelay("usage", Tick.USAGE, Duration.ofSeconds(2), usageInterval);
      // as kubelet watches its own Node: the PodCIDR the node IPAM controller gives it
      session.tell(new NodeProtocol.Subscribe("Node", inbox));
      // and every Service: the containers' service environment variables
      session.tell(new NodeProtocol.Subscribe("Service", inbox));
    } else if (m instanceof NodeProtocol.ObjectsListed listed && listed.kind().equals("Node")) {
      for (ObjectNode n : listed.objects()) ownNode(n);
    } else if (m instanceof NodeProtocol.ObjectChanged changed && changed.kind().equals("Node")) {
      ownNode(changed.object());
    } else if (m instanceof NodeProtocol.ObjectsListed listed && listed.kind().equals("Service")) {
      boolean first = !node.services().hasSynced();
      node.services().listed(listed.objects());
      // containers that could not be configured before the first list need not wait for their retry
      if (first) workers.values().forEach(w -> w.tell(PodWorker.Resync.INSTANCE));
    } else if (m instanceof NodeProtocol.ObjectChanged changed && changed.kind().equals("Service")) {
      node.services().changed(changed.object());
    } else if (m instanceof NodeProtocol.ObjectDeleted deleted && deleted.kind().equals("Service")) {
      node.services().deleted(deleted.object());
    } else if (podCidr == null && (m instanceof NodeProtocol.PodsAssigned || m instanceof NodeProtocol.PodAssigned
        || m instanceof NodeProtocol.PodUnassigned)) {
      // kubelet starts no pod before the network plugin is ready
      waitingForNetwork.add(m);
    } else if (m instanceof NodeProtocol.PodsAssigned all) {
      Set<String> uids = new HashSet<>();
      for (ObjectNode pod : all.pods()) {
        uids.add(uid(pod));
        assign(pod);
      }
      for (var e : Map.copyOf(workers).entrySet()) {
        if (!uids.contains(e.getKey())) e.getValue().tell(PodWorker.Unassigned.INSTANCE);
      }
      removeOrphans(uids);
    } else if (m instanceof NodeProtocol.PodAssigned one) {
      assign(one.pod());
    } else if (m instanceof NodeProtocol.PodUnassigned gone) {
      var w = workers.get(gone.uid());
      if (w != null) w.tell(PodWorker.Unassigned.INSTANCE);
    }
    return this;
  }

  /** This node's Node as the control plane has it: once it has a PodCIDR, the pod network follows it. */
  private void ownNode(ObjectNode n) {
    if (!identity.name().equals(n.path("metadata").path("name").asText())) return;
    ownNode = n;
    String cidr = n.path("spec").path("podCIDR").asText("");
    if (cidr.isEmpty() || cidr.equals(podCidr) || cidr.equals(settingUp)) return;
    settingUp = cidr;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> podNetwork.ensure(cidr), node.blocking()),
        (address, error) -> error == null ? new NetworkReady(cidr, address)
            : new NetworkFailed(cidr, DockerRuntime.rootMessage(error)));
  }

  private Behavior<Command> onNetworkReady(NetworkReady m) {
    if (!m.podCidr().equals(settingUp)) return this;
    podCidr = m.podCidr();
    settingUp = null;
    node = node.withNetwork(podNetwork.name(), explicitAddress != null ? explicitAddress : m.address());
    identity = identity.withInternalIp(node.hostIp());
    conditions.networkReady();
    getContext().getLog().info("node {}: pod network {} ready, node address {}", identity.name(), podCidr, node.hostIp());
    if (session != null) {
      session.tell(new NodeProtocol.NodeHeartbeat(identity.name(), NodeObject.status(identity, node, endpoint, conditions.now())));
    }
    List<NodeProtocol.ToAgent> waiting = List.copyOf(waitingForNetwork);
    waitingForNetwork.clear();
    waiting.forEach(this::onGateway);
    return this;
  }

  private void assign(ObjectNode pod) {
    String uid = uid(pod);
    var w = workers.get(uid);
    if (w != null) {
      w.tell(new PodWorker.Assigned(pod));
      return;
    }
    // a worker that fails starts again from the pod it was given; the next assignment brings it up to date
    var ref = getContext().spawn(Behaviors.supervise(PodWorker.create(node, pod, workerReports))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)), "pod-" + uid);
    workers.put(uid, ref);
  }

  /** Containers of this node whose pod is not bound here any more (e.g. deleted while the agent was away). */
  private void removeOrphans(Set<String> bound) {
    Set<String> known = Set.copyOf(workers.keySet());
    CompletableFuture.runAsync(() -> {
      for (var c : node.docker().containers(Map.of(ContainerLabels.NODE, node.nodeName()))) {
        String uid = c.getLabels().get(ContainerLabels.POD_UID);
        if (uid != null && !bound.contains(uid) && !known.contains(uid)) {
          node.docker().stop(c.getId(), 2);
          node.docker().remove(c.getId());
          node.volumes().tearDown(uid);
        }
      }
    }, node.blocking());
  }

  private Behavior<Command> onWorker(PodWorker.Report r) {
    if (r instanceof PodWorker.StatusChanged s) {
      if (session != null) session.tell(new NodeProtocol.PodStatusReport(s.namespace(), s.name(), s.uid(), s.status()));
    } else if (r instanceof PodWorker.Event e) {
      if (session != null) session.tell(new NodeProtocol.EventReport(event(e)));
    } else if (r instanceof PodWorker.Removed removed) {
      workers.remove(removed.uid());
      if (removed.deleted() && session != null) {
        session.tell(new NodeProtocol.PodTerminated(removed.namespace(), removed.name(), removed.uid()));
      }
    }
    return this;
  }

  /** A core/v1 Event about a pod, from this node's kubelet; the gateway names and times it. */
  private ObjectNode event(PodWorker.Event e) {
    JsonNode meta = e.pod().path("metadata");
    ObjectNode ev = Json.object();
    ev.put("apiVersion", "v1").put("kind", "Event");
    ev.putObject("metadata").put("namespace", meta.path("namespace").asText());
    ObjectNode involved = ev.putObject("involvedObject");
    involved.put("kind", "Pod").put("namespace", meta.path("namespace").asText()).put("name", meta.path("name").asText())
        .put("uid", meta.path("uid").asText()).put("apiVersion", "v1").put("resourceVersion", meta.path("resourceVersion").asText());
    if (e.fieldPath() != null) involved.put("fieldPath", e.fieldPath());
    ev.put("type", e.type()).put("reason", e.reason()).put("message", e.message());
    ev.putObject("source").put("component", "kubelet").put("host", identity.name());
    ev.put("reportingComponent", "kubelet").put("reportingInstance", identity.name());
    ev.put("eventTime", (String) null);
    ev.put("firstTimestamp", Timestamps.format(Instant.now()));
    return ev;
  }

  private static String uid(JsonNode pod) {
    return pod.path("metadata").path("uid").asText();
  }
}
