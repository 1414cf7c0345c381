package io.kubeactor.controlplane.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.cluster.NodeProtocol;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.store.StoredObject;
import io.kubeactor.controlplane.store.WatchCache;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The list-and-watch that node agents need beyond their pods (kube-proxy's and kubelet's watches of
 * Nodes, Services and EndpointSlices), served over the cluster instead of HTTP: each subscriber gets
 * every object of its kind, then each change, in the store's order. The relay keeps the objects it
 * has sent (shared references to the watch cache's immutable trees) so that a late subscriber's list
 * and the changes that follow it never overlap or leave a gap.
 */
public final class ObjectRelay extends AbstractBehavior<ObjectRelay.Command> {

  public sealed interface Command {}

  /** An agent's subscription, as the gateway received it. */
  public record Subscribe(NodeProtocol.Subscribe request) implements Command {}

  private record Changed(String kind, WatchCache.Change change) implements Command {}

  private record SubscriberGone(ActorRef<NodeProtocol.ToAgent> subscriber) implements Command {}

  /** The kinds relayed, by the name agents ask for. */
  static final Map<String, String[]> KINDS = Map.of(
      "Node", new String[] {"/api/v1", "nodes"},
      "Service", new String[] {"/api/v1", "services"},
      "EndpointSlice", new String[] {"/apis/discovery.k8s.io/v1", "endpointslices"});

  public static Behavior<Command> create(ResourceRegistry types, WatchCache cache) {
    return Behaviors.setup(ctx -> new ObjectRelay(ctx, types, cache));
  }

  private static final class Relayed {
    final Map<String, StoredObject> objects = new HashMap<>();
    final Set<ActorRef<NodeProtocol.ToAgent>> subscribers = new HashSet<>();
    WatchCache.Subscription watch;
  }

  private final Map<String, Relayed> relayed = new HashMap<>();

  private ObjectRelay(ActorContext<Command> ctx, ResourceRegistry types, WatchCache cache) {
    super(ctx);
    ActorRef<Command> self = ctx.getSelf();
    KINDS.forEach((kind, path) -> {
      ResourceType t = types.find(path[0], path[1]).orElseThrow();
      Relayed r = new Relayed();
      WatchCache.Started started = cache.watchFromNow(t.storePrefix(), c -> self.tell(new Changed(kind, c)));
      r.objects.putAll(started.state().withPrefix(t.storePrefix()));
      r.watch = started.subscription();
      relayed.put(kind, r);
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Changed.class, this::onChanged)
        .onMessage(SubscriberGone.class, m -> {
          relayed.values().forEach(r -> r.subscribers.remove(m.subscriber()));
          return this;
        })
        .onSignal(PostStop.class, s -> {
          relayed.values().forEach(r -> r.watch.close());
          return this;
        })
        .build();
  }

  private Behavior<Command> onSubscribe(Subscribe m) {
    Relayed r = relayed.get(m.request().kind());
    ActorRef<NodeProtocol.ToAgent> subscriber = m.request().subscriber();
    if (r == null) {
      getContext().getLog().warn("an agent asked for {}, which is not relayed", m.request().kind());
      return this;
    }
    if (r.subscribers.add(subscriber)) {
      boolean watchedAlready = relayed.values().stream().filter(x -> x != r).anyMatch(x -> x.subscribers.contains(subscriber));
      if (!watchedAlready) getContext().watchWith(subscriber, new SubscriberGone(subscriber));
    }
    subscriber.tell(new NodeProtocol.ObjectsListed(m.request().kind(), r.objects.values().stream().map(StoredObject::tree).toList()));
    return this;
  }

  private Behavior<Command> onChanged(Changed m) {
    Relayed r = relayed.get(m.kind());
    WatchCache.Change c = m.change();
    if (c.type() == WatchCache.Type.DELETED) {
      r.objects.remove(c.key());
      NodeProtocol.ObjectDeleted deleted = new NodeProtocol.ObjectDeleted(m.kind(), c.object().tree());
      r.subscribers.forEach(s -> s.tell(deleted));
      return this;
    }
    StoredObject before = r.objects.put(c.key(), c.object());
    ObjectNode object = c.object().tree();
    if (before != null && m.kind().equals("Node") && sameForAgents(before.tree(), object)) return this;
    NodeProtocol.ObjectChanged changed = new NodeProtocol.ObjectChanged(m.kind(), object);
    r.subscribers.forEach(s -> s.tell(changed));
    return this;
  }

  /**
   * Heartbeats rewrite every Node's status every few seconds; agents act only on its labels, spec
   * (PodCIDR), addresses and readiness, so a change of anything else is not sent.
   */
  static boolean sameForAgents(JsonNode before, JsonNode after) {
    return before.path("metadata").path("labels").equals(after.path("metadata").path("labels"))
        && before.path("spec").equals(after.path("spec"))
        && before.path("status").path("addresses").equals(after.path("status").path("addresses"))
        && ready(before).equals(ready(after));
  }

  private static String ready(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) return c.path("status").asText();
    }
    return "";
  }
}
