package io.kubeactor.controlplane.client;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.Registry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * client-go's SharedInformerFactory: one {@link Informer} per kind, made on first use and shared by
 * every controller that asks for it, so each kind is watched and converted once, on the informers'
 * own threads.
 */
public final class Informers implements AutoCloseable {

  private final Registry registry;
  /** By the model class of a built-in kind, or the store prefix of a custom resource's. */
  private final Map<Object, Slot> informers = new ConcurrentHashMap<>();
  /** Where informers decode, index and tell their handlers: off the store's thread, each kind in order. */
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "kubeactor-informers");
    t.setDaemon(true);
    return t;
  });

  public Informers(Registry registry) {
    this.registry = registry;
  }

  /** The pods informer's index of bound pods by node (client-go's "spec.nodeName" indexer). */
  public static final String PODS_BY_NODE = "spec.nodeName";

  /** The served kinds, for the components that name one (e.g. for a fresh read or an untyped write). */
  public ResourceRegistry types() {
    return registry.types();
  }

  /** The informer of the kind whose fabric8 model is {@code model} (its storage version). */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Informer<T> of(Class<T> model) {
    return (Informer<T>) informers.computeIfAbsent(model, m -> new Slot()).get(() -> {
      Informer<T> informer = new Informer<>(typeOf(model), model, registry.cache(), executor);
      if (model == Pod.class) informer.addIndex(PODS_BY_NODE, pod -> nodeOf((Pod) pod));
      return informer;
    });
  }

  /**
   * The informer of a custom resource's kind (its storage version's type), its objects read as
   * GenericKubernetesResources; shared by kind as the built-in kinds' are.
   */
  @SuppressWarnings("unchecked")
  public Informer<GenericKubernetesResource> ofCustom(ResourceType type) {
    return (Informer<GenericKubernetesResource>) informers.computeIfAbsent(type.storePrefix(), p -> new Slot())
        .get(() -> new Informer<>(type, GenericKubernetesResource.class, registry.cache(), executor));
  }

  /**
   * Where one kind's informer is made, once. Not inside the map's computeIfAbsent: making an informer
   * decodes every stored object of its kind (a second or so for 10,000 pods), and the map would hold
   * back meanwhile every other kind that hashes to the same bin; here only those asking for this kind wait.
   */
  private static final class Slot {
    private volatile Informer<?> informer;

    Informer<?> get(Supplier<Informer<?>> make) {
      Informer<?> made = informer;
      if (made != null) return made;
      synchronized (this) {
        if (informer == null) informer = make.get();
        return informer;
      }
    }

    /** The informer, or null while it is being made. */
    Informer<?> made() {
      return informer;
    }
  }

  /** The informers made so far. */
  private Stream<Informer<?>> made() {
    return informers.values().stream().map(Slot::made).filter(Objects::nonNull);
  }

  public Informer<Pod> pods() {
    return of(Pod.class);
  }

  /** The pods bound to a node, from the pods informer. */
  public java.util.List<Pod> podsOn(String nodeName) {
    return pods().byIndex(PODS_BY_NODE, nodeName);
  }

  private static java.util.List<String> nodeOf(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null || node.isEmpty() ? java.util.List.of() : java.util.List.of(node);
  }

  public Informer<Node> nodes() {
    return of(Node.class);
  }

  public Informer<Service> services() {
    return of(Service.class);
  }

  public Informer<EndpointSlice> endpointSlices() {
    return of(EndpointSlice.class);
  }

  public Informer<Namespace> namespaces() {
    return of(Namespace.class);
  }

  /**
   * True when every informer has every change written so far (the store hands a change over before
   * it answers the write): what "the controllers have seen my write" means.
   */
  public boolean caughtUp() {
    return made().allMatch(Informer::caughtUp);
  }

  /**
   * Completes once the informer of the written kind (if any component watches it) has every change
   * handed to it until now: called after a write's answer, the informer then shows the write.
   */
  public java.util.concurrent.CompletionStage<Void> whenCaughtUp(ResourceType written) {
    ResourceType stored = registry.types().storageType(written);
    Slot slot = informers.get(stored.isCustom() ? stored.storePrefix() : stored.model());
    Informer<?> informer = slot == null ? null : slot.made();
    return informer == null ? java.util.concurrent.CompletableFuture.completedFuture(null) : informer.whenCaughtUp();
  }

  /** The API type whose model is the class, at the version the store keeps it. */
  public ResourceType typeOf(Class<?> model) {
    return registry.types().all().stream()
        .filter(t -> t.model() == model && registry.types().storageType(t) == t)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stored kind has the model " + model.getName()));
  }

  @Override
  public void close() {
    made().forEach(Informer::close);
    executor.shutdown();
  }
}
