package io.kubeactor.controlplane.security.node;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps a {@link NodeGraph} as the shared informers see pods and PersistentVolumes
 * (plugin/pkg/auth/authorizer/node/graph_populator.go): adds, updates, deletes and rebinds, from the
 * objects the informers hold when it starts. An object the graph cannot read is logged and skipped;
 * the next change goes on.
 */
public final class NodeGraphPopulator implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeGraphPopulator.class);

  private final List<AutoCloseable> subscriptions = new ArrayList<>();

  private NodeGraphPopulator() {}

  /** Fills the graph from the informers and follows them until closed. */
  public static NodeGraphPopulator start(Informers informers, NodeGraph graph) {
    NodeGraphPopulator populator = new NodeGraphPopulator();
    populator.follow(informers.pods(), graph::setPod, p -> graph.deletePod(p.getMetadata().getNamespace(), p.getMetadata().getName()));
    populator.follow(informers.of(PersistentVolume.class), graph::setPersistentVolume,
        pv -> graph.deletePersistentVolume(pv.getMetadata().getName()));
    return populator;
  }

  private <T extends HasMetadata> void follow(Informer<T> informer, Consumer<T> set, Consumer<T> delete) {
    // the informer applies each change holding its own monitor: holding it while the listed objects go
    // in, no change after the listing reaches the graph before them
    synchronized (informer) {
      Informer.Listed<T> listed = informer.listAndAddHandler(
          e -> apply(e.type() == Informer.EventType.DELETED ? delete : set, e.object()));
      listed.items().forEach(o -> apply(set, o));
      subscriptions.add(listed.subscription());
    }
  }

  private static <T extends HasMetadata> void apply(Consumer<T> change, T object) {
    try {
      change.accept(object);
    } catch (RuntimeException e) {
      LOG.error("the node authorizer's graph skips {} {}", object.getKind(), Informer.keyOf(object), e);
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable s : subscriptions) s.close();
  }
}
