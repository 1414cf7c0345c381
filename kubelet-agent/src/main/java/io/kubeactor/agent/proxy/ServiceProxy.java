package io.kubeactor.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.agent.network.Commands;
import io.kubeactor.agent.network.HostNetworkRules;
import io.kubeactor.agent.network.HostOwnership;
import io.kubeactor.common.Cidr;
import io.kubeactor.common.cluster.NodeProtocol;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * kube-proxy's job on this node, on the kernel's datapath: the agent that owns the host's rules
 * ({@link HostOwnership}) follows every Service, EndpointSlice and Node the control plane relays
 * and keeps one nftables table ({@link NftablesRuleset}) in step with them, plus the host's routes
 * to other hosts' pods and Docker's forwarding filter ({@link HostNetworkRules}). The other agents
 * of the host stand by and take over when the owner goes. A sync runs as soon as something changed;
 * changes that arrive meanwhile are taken together by the next one. Every 30 s the whole table is
 * written again, so rules changed by hand do not last.
 */
public final class ServiceProxy extends AbstractBehavior<ServiceProxy.Command> {

  public sealed interface Command {}

  /** The control plane's gateway (again, after a reconnection): the proxy subscribes there. */
  public record GatewayFound(ActorRef<NodeProtocol.ToGateway> gateway) implements Command {}

  private record Relayed(NodeProtocol.ToAgent message) implements Command {}

  private record Synced(ProxyModel model, NftablesRuleset.Transaction transaction, long nanos, Map<String, String> routes)
      implements Command {}

  private record SyncFailed(String reason) implements Command {}

  private enum Tick implements Command { TRY_TO_OWN, RESYNC, DELETE_STALE }

  /** Whether this agent holds the host's lock now (taking it touches the filesystem: off the actor's thread). */
  private record Ownership(boolean owned) implements Command {}

  private static final List<String> KINDS = List.of("Service", "EndpointSlice", "Node");

  public static Behavior<Command> create(HostOwnership ownership, String clusterCidr, Executor blocking) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ServiceProxy(ctx, timers, ownership, clusterCidr, blocking)));
  }

  private final TimerScheduler<Command> timers;
  private final HostOwnership ownership;
  private final String clusterCidr;
  private final Executor blocking;
  private final HostNetworkRules hostRules;
  private final ActorRef<NodeProtocol.ToAgent> inbox;
  private final Map<String, Map<String, ObjectNode>> objects = new HashMap<>();
  private final Set<String> listed = new HashSet<>();
  private ActorRef<NodeProtocol.ToGateway> gateway;
  private boolean owner;
  private boolean syncing;
  private boolean dirty;
  /** What the table holds after the last sync that succeeded; null: the next sync makes it anew. */
  private NftablesRuleset.Transaction current;
  private final Set<String> stale = new HashSet<>();
  private Map<String, String> routes;

  private ServiceProxy(ActorContext<Command> ctx, TimerScheduler<Command> timers, HostOwnership ownership, String clusterCidr,
      Executor blocking) {
    super(ctx);
    this.timers = timers;
    this.ownership = ownership;
    this.clusterCidr = clusterCidr;
    this.blocking = blocking;
    this.hostRules = new HostNetworkRules(clusterCidr);
    // relayed objects come through a child, a plain actor that the control plane (alone) can address
    this.inbox = ctx.spawn(Behaviors.receiveMessage(m -> {
      ctx.getSelf().tell(new Relayed(m));
      return Behaviors.same();
    }), NodeProtocol.unguessableName("inbox"));
    KINDS.forEach(k -> objects.put(k, new HashMap<>()));
    tryToOwn();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GatewayFound.class, m -> {
          gateway = m.gateway();
          subscribe();
          return this;
        })
        .onMessageEquals(Tick.TRY_TO_OWN, () -> {
          tryToOwn();
          return this;
        })
        .onMessage(Ownership.class, m -> {
          onOwnership(m.owned());
          return this;
        })
        .onMessage(Relayed.class, m -> onRelayed(m.message()))
        .onMessageEquals(Tick.RESYNC, () -> {
          requestSync();
          return this;
        })
        .onMessageEquals(Tick.DELETE_STALE, () -> {
          Set<String> deleting = Set.copyOf(stale);
          stale.clear();
          CompletableFuture.runAsync(() -> {
            try {
              Commands.run(List.of("nft", "-f", "-"), NftablesRuleset.deleteChains(deleting));
            } catch (Commands.Failed e) {
              // still referenced, or gone: the next fresh sync removes what is left
            }
          }, blocking);
          return this;
        })
        .onMessage(Synced.class, this::onSynced)
        .onMessage(SyncFailed.class, m -> {
          getContext().getLog().warn("service rules not written: {}; trying again", m.reason());
          syncing = false;
          current = null;
          timers.startSingleTimer("retry", Tick.RESYNC, Duration.ofSeconds(1));
          return this;
        })
        .build();
  }

  private void tryToOwn() {
    if (owner) return;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(ownership::tryAcquire, blocking),
        (owned, error) -> new Ownership(error == null && owned));
  }

  private void onOwnership(boolean owned) {
    if (owner) return;
    if (!owned) {
      // another agent of this host writes the rules; take over when it goes
      timers.startSingleTimer("own", Tick.TRY_TO_OWN, Duration.ofSeconds(1));
      return;
    }
    owner = true;
    getContext().getLog().info("this agent writes the host's service rules and pod routes");
    CompletableFuture.runAsync(hostRules::prepare, blocking);
    timers.startTimerWithFixedDelay("resync", Tick.RESYNC, Duration.ofSeconds(30));
    subscribe();
  }

  private void subscribe() {
    if (!owner || gateway == null) return;
    listed.clear();
    for (String kind : KINDS) gateway.tell(new NodeProtocol.Subscribe(kind, inbox));
  }

  private Behavior<Command> onRelayed(NodeProtocol.ToAgent m) {
    if (m instanceof NodeProtocol.ObjectsListed l && objects.containsKey(l.kind())) {
      Map<String, ObjectNode> of = objects.get(l.kind());
      of.clear();
      for (ObjectNode o : l.objects()) of.put(key(o), o);
      listed.add(l.kind());
    } else if (m instanceof NodeProtocol.ObjectChanged c && objects.containsKey(c.kind())) {
      objects.get(c.kind()).put(key(c.object()), c.object());
    } else if (m instanceof NodeProtocol.ObjectDeleted d && objects.containsKey(d.kind())) {
      objects.get(d.kind()).remove(key(d.object()));
    } else {
      return this;
    }
    // as kube-proxy, nothing is written before Services, EndpointSlices and Nodes are all known
    if (listed.size() == KINDS.size()) requestSync();
    return this;
  }

  private void requestSync() {
    if (!owner || listed.size() < KINDS.size()) return;
    if (syncing) {
      dirty = true;
      return;
    }
    syncing = true;
    dirty = false;
    List<ObjectNode> services = List.copyOf(objects.get("Service").values());
    List<ObjectNode> slices = List.copyOf(objects.get("EndpointSlice").values());
    List<ObjectNode> nodes = List.copyOf(objects.get("Node").values());
    NftablesRuleset.Transaction previous = current;
    Map<ServicePort, List<ServiceEndpoint>> before = previous == null ? Map.of() : previous.model().services();
    Map<String, String> previousRoutes = routes;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      Set<String> local = localAddresses();
      ProxyModel model = ProxyModel.of(services, slices, nodes, local);
      NftablesRuleset.Transaction tx = NftablesRuleset.render(model, clusterCidr, previous);
      try {
        Commands.run(List.of("nft", "-f", "-"), tx.script());
      } catch (Commands.Failed e) {
        throw new IllegalStateException(e.getMessage());
      }
      long nanos = System.nanoTime() - start;
      Conntrack.clear(Conntrack.staleEntries(before, model.services()));
      Map<String, String> wanted = remotePodCidrs(nodes, local);
      if (!wanted.equals(previousRoutes)) hostRules.syncRoutes(wanted);
      return new Synced(model, tx, nanos, wanted);
    }, blocking), (result, error) -> error == null ? result
        : new SyncFailed(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause().getMessage() : error.getMessage()));
  }

  private Behavior<Command> onSynced(Synced m) {
    syncing = false;
    routes = m.routes();
    if (current != null) for (String c : current.chains()) if (!m.transaction().chains().contains(c)) stale.add(c);
    stale.removeAll(m.transaction().chains());
    current = m.transaction();
    // a chain flushed now is deleted a moment later, once no map element refers to it (kube-proxy's way)
    if (!stale.isEmpty()) timers.startSingleTimer("stale", Tick.DELETE_STALE, Duration.ofSeconds(1));
    int endpoints = m.model().services().values().stream().mapToInt(List::size).sum();
    long millis = m.nanos() / 1_000_000;
    if (millis >= 1000) {
      getContext().getLog().info("service rules synced: {} service ports, {} endpoints in {} ms", m.model().services().size(),
          endpoints, millis);
    } else {
      getContext().getLog().debug("service rules synced: {} service ports, {} endpoints in {} ms", m.model().services().size(),
          endpoints, millis);
    }
    if (dirty) requestSync();
    return this;
  }

  /** PodCIDR -> node address of the nodes on other hosts: their pods are reached through them. */
  static Map<String, String> remotePodCidrs(List<? extends JsonNode> nodes, Set<String> localAddresses) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode n : nodes) {
      String address = ProxyModel.internalIp(n);
      String cidr = n.path("spec").path("podCIDR").asText("");
      if (address == null || cidr.isEmpty() || localAddresses.contains(address)) continue;
      // a node whose address is inside its own PodCIDR is a bridge on a host we cannot route through
      try {
        if (Cidr.parse(cidr).contains(address)) continue;
      } catch (IllegalArgumentException bad) {
        continue;
      }
      out.put(cidr, address);
    }
    return out;
  }

  /** Every IPv4 address of this network namespace. */
  static Set<String> localAddresses() {
    Set<String> out = new HashSet<>();
    try {
      for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (var a : Collections.list(i.getInetAddresses())) {
          if (a instanceof Inet4Address) out.add(a.getHostAddress());
        }
      }
    } catch (SocketException e) {
      // none known: node ports still answer on every local address; Local policies see no node here
    }
    return out;
  }

  private static String key(JsonNode o) {
    JsonNode meta = o.path("metadata");
    return meta.path("namespace").asText("") + "/" + meta.path("name").asText();
  }
}
