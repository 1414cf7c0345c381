package io.kubeactor.controlplane.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.common.cluster.NodeProof;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.controller.nodelifecycle.NodeStatusUnknown;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RequestAttributes;
import io.kubeactor.controlplane.security.node.NodeIdentity;
import io.kubeactor.controlplane.security.node.NodeRestriction;
import io.kubeactor.controlplane.security.serviceaccount.TokenRequests;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Where node agents meet the control plane (the part of kube-apiserver a kubelet talks to): it
 * registers their Nodes, keeps their status and Lease fresh from heartbeats, hands each agent the
 * pods bound to it (all of them on registration, then every change), writes the pods' status and
 * events the agents report, finishes the deletion of pods whose containers are gone, and keeps the
 * usage they measure for the metrics API. A node whose agent the cluster loses (unreachable to the
 * failure detector, or gone) is marked Unknown at once, as the node lifecycle controller would after
 * its grace period; the agent's next heartbeat makes it Ready again. A second live agent under a
 * joined node's name is refused (see {@link #admits}).
 *
 * <p>An agent registers with its node's certificate and a signature ({@link NodeProof}); it is then
 * answered on a {@link NodeSession} of its own, and what arrives there is held to what that node may
 * do (NodeRestriction's rules): its own Node's status and Lease, the status of pods bound to it,
 * tokens for those pods.
 */
public final class NodeGateway extends AbstractBehavior<NodeGateway.Command> {

  /**
   * What the gateway takes: local messages only, which no other cluster member can send (they are not
   * serializable). The agents' messages reach it wrapped: a registration through the ref the
   * receptionist lists ({@link FromCluster}), everything else through a node's session
   * ({@link NodeSession.FromNode}).
   */
  interface Command {}

  /** A message from any cluster member, to the ref the receptionist lists: only a registration counts. */
  private record FromCluster(NodeProtocol.ToGateway message) implements Command {}

  /** A pod changed in the store (delivered from the watch cache). */
  private record PodChanged(Informer.Event<Pod> event) implements Command {}

  /** An agent's actor stopped (its process ended or it left the cluster). */
  private record AgentGone(String nodeName, ActorRef<NodeProtocol.ToAgent> agent) implements Command {}

  /** The failure detector lost a cluster member (perhaps an agent's). */
  private record MemberUnreachable(org.apache.pekko.actor.Address address) implements Command {}

  /** @param relay the relay of Nodes, Services and EndpointSlices to agents, run as the gateway's child */
  public static Behavior<Command> create(ApiWriter writer, FreshRead fresh, Informers informers,
      Behavior<ObjectRelay.Command> relay, EventRecorder events, AgentEndpoints endpoints, MetricsServer usage, Clock clock,
      TokenRequests tokens, X509Certificate clusterCa, Authorizer authorizer, NodeRestriction restriction) {
    return Behaviors.setup(ctx -> new NodeGateway(ctx, writer, fresh, informers, relay, events, endpoints, usage, clock,
        tokens, clusterCa, authorizer, restriction));
  }

  private final ApiWriter writer;
  private final EventRecorder events;
  private final AgentEndpoints endpoints;
  private final MetricsServer usage;
  private final Clock clock;
  private final TokenRequests tokens;
  private final ResourceType nodes;
  private final ResourceType pods;
  private final ResourceType leases;
  private final Map<String, ActorRef<NodeProtocol.ToAgent>> agents = new HashMap<>();
  /** Each joined node's session: where its agent sends everything after registering. */
  private final Map<String, ActorRef<NodeProtocol.ToGateway>> sessions = new HashMap<>();
  private final X509Certificate clusterCa;
  /** The API server's authorizer chain (the Node authorizer first): what a node may read. */
  private final Authorizer authorizer;
  /** NodeRestriction's rules for what a node writes through its session. */
  private final NodeRestriction restriction;
  /** The data directory each joined agent runs from (its identity, see RegisterNode). */
  private final Map<String, String> dataDirs = new HashMap<>();
  private final Informers informers;
  private final FreshRead fresh;
  private final AutoCloseable podWatch;
  private final ActorRef<ObjectRelay.Command> relay;

  private NodeGateway(ActorContext<Command> ctx, ApiWriter writer, FreshRead fresh, Informers informers,
      Behavior<ObjectRelay.Command> relay, EventRecorder events, AgentEndpoints endpoints, MetricsServer usage, Clock clock,
      TokenRequests tokens, X509Certificate clusterCa, Authorizer authorizer, NodeRestriction restriction) {
    super(ctx);
    this.restriction = restriction;
    this.authorizer = authorizer;
    this.clusterCa = clusterCa;
    this.tokens = tokens;
    this.writer = writer;
    this.fresh = fresh;
    this.events = events;
    this.endpoints = endpoints;
    this.usage = usage;
    this.clock = clock;
    this.nodes = informers.types().find("/api/v1", "nodes").orElseThrow();
    this.pods = informers.types().find("/api/v1", "pods").orElseThrow();
    this.leases = informers.types().find("/apis/coordination.k8s.io/v1", "leases").orElseThrow();
    ActorRef<Command> self = ctx.getSelf();
    this.informers = informers;
    this.podWatch = informers.pods().addHandler(e -> self.tell(new PodChanged(e)));
    this.relay = ctx.spawn(relay, "relay");
    // what the agents find: an adapter that wraps whatever a member sends, so nothing from the cluster is
    // taken for one of the gateway's own messages
    ctx.getSystem().receptionist().tell(Receptionist.register(NodeProtocol.GATEWAY,
        ctx.messageAdapter(NodeProtocol.ToGateway.class, FromCluster::new)));
    if ("cluster".equals(ctx.getSystem().settings().config().getString("pekko.actor.provider"))) {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.messageAdapter(
          ClusterEvent.UnreachableMember.class, e -> new MemberUnreachable(e.member().address())),
          ClusterEvent.UnreachableMember.class));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromCluster.class, m -> {
          if (m.message() instanceof NodeProtocol.RegisterNode r) return onRegister(r);
          // a node's messages count only on its session
          getContext().getLog().warn("ignored a {} sent outside a node's session", m.message().getClass().getSimpleName());
          return this;
        })
        .onMessage(NodeSession.FromNode.class, this::onFromNode)
        .onMessage(PodChanged.class, this::onPodChanged)
        .onMessage(AgentGone.class, this::onAgentGone)
        .onMessage(MemberUnreachable.class, this::onMemberUnreachable)
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
          podWatch.close();
          return this;
        })
        .build();
  }

  /** What a node's agent sent on its session, held to what that node may do. */
  private Behavior<Command> onFromNode(NodeSession.FromNode from) {
    String node = from.node();
    NodeProtocol.ToGateway message = from.message();
    if (message instanceof NodeProtocol.NodeHeartbeat m) {
      if (ownNode(node, m.nodeName(), "modify")) onHeartbeat(m);
    } else if (message instanceof NodeProtocol.UsageReport m) {
      if (ownNode(node, m.nodeName(), "report the usage of")) usage.put(m);
    } else if (message instanceof NodeProtocol.PodStatusReport m) {
      onPodStatus(node, m);
    } else if (message instanceof NodeProtocol.PodTerminated m) {
      onPodTerminated(node, m);
    } else if (message instanceof NodeProtocol.EventReport m) {
      events.record(m.event());
    } else if (message instanceof NodeProtocol.ReadObject m) {
      onRead(node, m);
    } else if (message instanceof NodeProtocol.RequestToken m) {
      onRequestToken(node, m);
    } else if (message instanceof NodeProtocol.Subscribe m) {
      relay.tell(new ObjectRelay.Subscribe(m));
    } else {
      getContext().getLog().warn("ignored a {} from node {}", message.getClass().getSimpleName(), node);
    }
    return this;
  }

  /** NodeRestriction: a node changes its own Node alone. */
  private boolean ownNode(String node, String named, String what) {
    if (node.equals(named)) return true;
    getContext().getLog().warn("refused node {}: node \"{}\" is not allowed to {} node \"{}\"", node, node, what, named);
    return false;
  }

  private Behavior<Command> onRegister(NodeProtocol.RegisterNode m) {
    String name = m.node().path("metadata").path("name").asText();
    String agentRef = ActorRefResolver.get(getContext().getSystem()).toSerializationFormat(m.agent());
    var refusal = NodeProof.refusal(clusterCa, m.certificate(), m.signature(), name, agentRef, clock.instant());
    if (refusal.isPresent()) {
      getContext().getLog().warn("refused the registration of node {} by the agent at {}: {}", name,
          m.agent().path().address().hostPort(), refusal.get());
      m.agent().tell(new NodeProtocol.Refused(name, "node " + name + " was refused: " + refusal.get()));
      return this;
    }
    ActorRef<NodeProtocol.ToAgent> joined = agents.get(name);
    if (joined != null && !admits(joined.equals(m.agent()), m.dataDirId() != null && m.dataDirId().equals(dataDirs.get(name)),
        alive(joined))) {
      String at = joined.path().address().hostPort();
      getContext().getLog().warn("refused a second agent for node {} (at {}): the agent at {} runs it", name,
          m.agent().path().address().hostPort(), at);
      m.agent().tell(new NodeProtocol.Refused(name, "node " + name + " is joined already by a live agent (at " + at
          + ", from another data directory); stop that agent first, or give this one another --name"));
      return this;
    }
    dataDirs.put(name, m.dataDirId());
    ActorRef<NodeProtocol.ToAgent> previous = agents.put(name, m.agent());
    if (previous != null && !previous.equals(m.agent())) getContext().unwatch(previous);
    getContext().watchWith(m.agent(), new AgentGone(name, m.agent()));
    endpoints.put(name, m.endpoint());
    ObjectNode existing = fresh.get(nodes, null, name);
    CompletionStage<ObjectNode> written;
    if (existing == null) {
      written = writer.create(nodes, null, m.node().deepCopy());
    } else {
      // a node that comes back keeps what users set on it (labels, annotations, taints, unschedulable); the agent's
      // own labels and annotations (e.g. where it keeps local-path volumes) win
      written = writer.guaranteedSubresourceUpdate(nodes, null, name, "", current -> {
        for (String field : new String[] {"labels", "annotations"}) {
          ObjectNode mine = current.withObjectProperty("metadata").withObjectProperty(field);
          m.node().path("metadata").path(field).properties().forEach(e -> mine.set(e.getKey(), e.getValue()));
        }
        current.set("status", m.node().path("status").deepCopy());
        return current;
      });
    }
    // a new session for each registration: an agent that registers again (or its successor) gets a fresh one,
    // and the previous one ends
    ActorRef<NodeProtocol.ToGateway> previousSession = sessions.remove(name);
    if (previousSession != null) getContext().stop(previousSession);
    ActorRef<NodeProtocol.ToGateway> session = getContext().spawn(NodeSession.create(name, getContext().getSelf()),
        NodeProtocol.unguessableName("session"));
    sessions.put(name, session);
    written.whenComplete((node, error) -> {
      if (error != null) {
        getContext().getSystem().log().warn("registering node {} failed: {}", name, error.toString());
        return;
      }
      m.agent().tell(new NodeProtocol.Registered(name, session));
      m.agent().tell(new NodeProtocol.PodsAssigned(podsOn(name)));
      renewLease(node);
      if (existing == null) {
        events.record(node, "Normal", "RegisteredNode", "Node " + name + " event: Registered Node " + name + " in Controller",
            "node-controller", null);
      }
      events.record(node, "Normal", "Starting", "Starting kubelet.", "kubelet", name);
      events.record(node, "Normal", "NodeReady", "Node " + name + " status is now: NodeReady", "kubelet", name);
    });
    getContext().getLog().info("node {} registered (agent at {}:{})", name, m.endpoint().host(), m.endpoint().port());
    return this;
  }

  /**
   * Whether an agent may take a node over from the agent joined under its name: the same agent
   * registering again, a restarted agent of the node (from the same data directory, whose lock
   * proves the old process gone), or any agent once the joined one is dead or unreachable; never a
   * second live agent beside the first, which would run the node's pods twice.
   */
  static boolean admits(boolean sameAgent, boolean sameDataDir, boolean joinedAlive) {
    return sameAgent || sameDataDir || !joinedAlive;
  }

  /** The agent's cluster member is up and reachable (a local agent, outside a cluster, always is). */
  private boolean alive(ActorRef<?> agent) {
    if (!"cluster".equals(getContext().getSystem().settings().config().getString("pekko.actor.provider"))) return true;
    org.apache.pekko.actor.Address address = agent.path().address();
    ClusterEvent.CurrentClusterState state = Cluster.get(getContext().getSystem()).state();
    for (Member member : state.getUnreachable()) {
      if (member.address().equals(address)) return false;
    }
    for (Member member : state.getMembers()) {
      if (member.address().equals(address)) {
        return member.status() == MemberStatus.up() || member.status() == MemberStatus.weaklyUp()
            || member.status() == MemberStatus.joining();
      }
    }
    return false;
  }

  private List<ObjectNode> podsOn(String nodeName) {
    return informers.podsOn(nodeName).stream().map(Json::toTree).toList();
  }

  private Behavior<Command> onHeartbeat(NodeProtocol.NodeHeartbeat m) {
    ActorRef<NodeProtocol.ToAgent> agent = agents.get(m.nodeName());
    if (agent == null) return this;
    boolean[] readyAgain = new boolean[1];
    writer.guaranteedSubresourceUpdate(nodes, null, m.nodeName(), "status", current -> {
      String before = NodeStatusUnknown.readyStatus(current);
      ObjectNode status = m.status().deepCopy();
      keepTransitionTimes(current.path("status"), status, Timestamps.format(clock.instant()));
      current.set("status", status);
      readyAgain[0] = before != null && !"True".equals(before) && "True".equals(NodeStatusUnknown.readyStatus(current));
      return current;
    }).thenAccept(node -> {
      renewLease(node);
      if (readyAgain[0]) {
        // back after being lost: as kubelet's, the event; the agent hears its pods again and reports their status
        events.record(node, "Normal", "NodeReady", "Node " + m.nodeName() + " status is now: NodeReady", "kubelet", m.nodeName());
        agent.tell(new NodeProtocol.PodsAssigned(podsOn(m.nodeName())));
      }
    }).exceptionally(e -> {
      getContext().getSystem().log().debug("heartbeat of node {} not written: {}", m.nodeName(), e.toString());
      return null;
    });
    return this;
  }

  /**
   * A condition whose status the agent reports differently from the stored one (e.g. Ready again
   * after the node was marked Unknown) changes now, as kubelet compares with the API's node; one
   * whose status holds keeps its stored transition time.
   */
  static void keepTransitionTimes(JsonNode stored, ObjectNode reported, String now) {
    for (JsonNode r : reported.path("conditions")) {
      for (JsonNode c : stored.path("conditions")) {
        if (!c.path("type").asText().equals(r.path("type").asText())) continue;
        if (c.path("status").asText().equals(r.path("status").asText())) {
          if (c.hasNonNull("lastTransitionTime")) ((ObjectNode) r).set("lastTransitionTime", c.get("lastTransitionTime"));
        } else {
          ((ObjectNode) r).put("lastTransitionTime", now);
        }
      }
    }
  }

  /** The node's Lease in kube-node-lease, renewed with every heartbeat, as kubelet keeps it. */
  private void renewLease(ObjectNode node) {
    String name = node.path("metadata").path("name").asText();
    String now = Timestamps.format(clock.instant()).replace("Z", ".000000Z");
    if (!fresh.exists(leases, "kube-node-lease", name)) {
      ObjectNode lease = Json.object();
      lease.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
      ObjectNode meta = lease.putObject("metadata").put("name", name).put("namespace", "kube-node-lease");
      meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node").put("name", name)
          .put("uid", node.path("metadata").path("uid").asText());
      lease.putObject("spec").put("holderIdentity", name).put("leaseDurationSeconds", 40).put("renewTime", now);
      writer.create(leases, "kube-node-lease", lease);
    } else {
      writer.guaranteedSubresourceUpdate(leases, "kube-node-lease", name, "", current -> {
        current.withObjectProperty("spec").put("holderIdentity", name).put("renewTime", now);
        return current;
      });
    }
  }

  /**
   * A report for a pod that is gone or was replaced (another uid) writes nothing: the update refuses it;
   * nor does one for a pod bound to another node (NodeRestriction).
   */
  private void onPodStatus(String node, NodeProtocol.PodStatusReport m) {
    // the change runs off the actor's thread: a logger of its own
    var log = org.slf4j.LoggerFactory.getLogger(NodeGateway.class);
    writer.guaranteedSubresourceUpdate(pods, m.namespace(), m.name(), "status", pod -> {
      if (!m.uid().equals(pod.path("metadata").path("uid").asText())) {
        throw ApiException.conflict("", "pods", m.name(), "the pod was replaced");
      }
      // the pod with the reported status: a shallow copy, its other fields shared, as only the status changes
      ObjectNode updated = pod.objectNode().setAll(pod);
      updated.set("status", mergedStatus(pod.path("status"), m.status()));
      try {
        restriction.admitPodStatus(node, pod, updated);
      } catch (ApiException refused) {
        log.warn("refused node {}: {}", node, refused.getMessage());
        throw refused;
      }
      return updated;
    }).exceptionally(e -> null);
  }

  /** The agent's status, with what others own: the scheduler's condition and the QoS class set at creation. */
  static ObjectNode mergedStatus(JsonNode current, ObjectNode reported) {
    ObjectNode status = reported.deepCopy();
    ArrayNode conditions = status.withArrayProperty("conditions");
    for (JsonNode c : current.path("conditions")) {
      String type = c.path("type").asText();
      boolean reportedByAgent = false;
      for (JsonNode r : reported.path("conditions")) reportedByAgent |= r.path("type").asText().equals(type);
      // a resize condition the agent no longer reports is over (kubelet removes it)
      if (!reportedByAgent && !type.startsWith("PodResize")) conditions.add(c.deepCopy());
    }
    for (String keep : new String[] {"qosClass", "nominatedNodeName"}) {
      if (current.has(keep)) status.set(keep, current.get(keep));
    }
    return status;
  }

  /** The final deletion of a pod whose containers are gone, by the node it is bound to alone (NodeRestriction). */
  private void onPodTerminated(String node, NodeProtocol.PodTerminated m) {
    Pod pod = informers.pods().get(m.namespace(), m.name());
    // gone already: nothing to finish
    if (pod == null) return;
    try {
      restriction.admitPodRemoval(node, m.namespace(), m.name(), Json.toTree(pod), false);
    } catch (ApiException refused) {
      getContext().getLog().warn("refused node {}: {}", node, refused.getMessage());
      return;
    }
    writer.delete(pods, m.namespace(), m.name(), new DeleteOptions(0L, null, m.uid(), null, false))
        .exceptionally(e -> null);
  }

  /**
   * An object a node's pod needs, read as the node: the Node authorizer allows a Secret, ConfigMap or
   * claim only when a pod bound to the node refers to it; anything else reads as absent, and is logged
   * with the API server's 403.
   */
  private void onRead(String node, NodeProtocol.ReadObject m) {
    String path = switch (m.kind()) {
      case "ConfigMap" -> "configmaps";
      case "Secret" -> "secrets";
      case "PersistentVolumeClaim" -> "persistentvolumeclaims";
      case "PersistentVolume" -> "persistentvolumes";
      default -> null;
    };
    ObjectNode found = null;
    Attributes read = Attributes.resource(NodeIdentity.userFor(node), "get", "", path, "", m.namespace(), m.name());
    Authorizer.Decision decision = path == null ? null : authorizer.authorize(read);
    if (decision != null && !decision.allowed()) {
      getContext().getLog().warn("refused node {}: {}", node, RequestAttributes.forbidden(read, decision.reason()).getMessage());
    } else if (path != null) {
      ResourceType t = informers.types().find("/api/v1", path).orElseThrow();
      found = fresh.get(t, m.namespace(), m.name());
    }
    m.replyTo().tell(new NodeProtocol.ObjectRead(found));
  }

  /**
   * A token for a pod's projected ServiceAccount volume, issued only to the agent of the node the pod
   * is bound to (NodeRestriction: a node may ask for tokens of its own pods alone).
   */
  private void onRequestToken(String node, NodeProtocol.RequestToken m) {
    JsonNode bound = m.tokenRequest().path("spec").path("boundObjectRef");
    Pod pod = bound.path("kind").asText().equals("Pod") ? informers.pods().get(m.namespace(), bound.path("name").asText()) : null;
    if (pod == null || pod.getSpec() == null || !node.equals(pod.getSpec().getNodeName())) {
      m.replyTo().tell(new NodeProtocol.TokenIssued(null, "node \"" + node
          + "\" can only create tokens for pods bound to itself"));
      return;
    }
    try {
      m.replyTo().tell(new NodeProtocol.TokenIssued(tokens.create(m.namespace(), m.serviceAccount(), m.tokenRequest())
          .tokenRequest(), null));
    } catch (ApiException e) {
      m.replyTo().tell(new NodeProtocol.TokenIssued(null, e.getMessage()));
    }
  }

  private Behavior<Command> onPodChanged(PodChanged m) {
    Pod pod = m.event().object();
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null || node.isEmpty()) return this;
    ActorRef<NodeProtocol.ToAgent> agent = agents.get(node);
    if (agent == null) return this;
    ObjectMeta meta = pod.getMetadata();
    if (m.event().type() == Informer.EventType.DELETED) {
      agent.tell(new NodeProtocol.PodUnassigned(meta.getNamespace(), meta.getName(), meta.getUid()));
    } else if (m.event().previous() == null || !sameForNode(m.event().previous(), pod)) {
      // the agent's own status writes come back here too; only what the agent acts on is sent
      agent.tell(new NodeProtocol.PodAssigned(Json.toTree(pod)));
    }
    return this;
  }

  /** Equal but for status and bookkeeping metadata: nothing the node acts on changed. */
  private static boolean sameForNode(Pod before, Pod after) {
    ObjectMeta a = before.getMetadata();
    ObjectMeta b = after.getMetadata();
    return Objects.equals(before.getSpec(), after.getSpec())
        && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
        && Objects.equals(a.getDeletionGracePeriodSeconds(), b.getDeletionGracePeriodSeconds())
        && Objects.equals(a.getLabels(), b.getLabels())
        && Objects.equals(a.getAnnotations(), b.getAnnotations())
        && Objects.equals(a.getUid(), b.getUid());
  }

  private Behavior<Command> onAgentGone(AgentGone m) {
    if (m.agent().equals(agents.get(m.nodeName()))) {
      agents.remove(m.nodeName());
      dataDirs.remove(m.nodeName());
      ActorRef<NodeProtocol.ToGateway> session = sessions.remove(m.nodeName());
      if (session != null) getContext().stop(session);
      endpoints.remove(m.nodeName());
      usage.remove(m.nodeName());
      getContext().getLog().info("the agent of node {} is gone", m.nodeName());
      markUnknown(m.nodeName());
    }
    return this;
  }

  private Behavior<Command> onMemberUnreachable(MemberUnreachable m) {
    agents.forEach((name, agent) -> {
      if (agent.path().address().equals(m.address())) {
        getContext().getLog().info("the agent of node {} is unreachable", name);
        markUnknown(name);
      }
    });
    return this;
  }

  /** The node's kubelet conditions become Unknown now (unchanged if they already are). */
  private void markUnknown(String nodeName) {
    var system = getContext().getSystem();
    writer.guaranteedSubresourceUpdate(nodes, null, nodeName, "status", current -> {
      NodeStatusUnknown.mark(current, clock.instant());
      return current;
    }).exceptionally(e -> {
      system.log().debug("node {} not marked Unknown: {}", nodeName, e.toString());
      return null;
    });
  }
}
