package io.kubeactor.controlplane.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.node.MetricsServer;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informers;
import io.kubeactor.controlplane.events.EventRecorder;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.service.ServiceNetwork;
import io.kubeactor.controlplane.store.Checkpointer;
import io.kubeactor.controlplane.store.ObjectStore;
import io.kubeactor.controlplane.store.StoreWriter;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.awaitility.Awaitility;

/**
 * A real store (in-memory journal), registry and informers in one actor system, for controller
 * tests: controllers run as they do in the control plane, against the same write path, only
 * without HTTP and without nodes. Tests write objects as a client would and wait for the outcome.
 */
public final class ControllerFixture implements AutoCloseable {

  public final ActorTestKit testKit;
  public final Registry registry;
  public final ControllerContext context;
  /** The resource metrics the controllers read: tests put the usage reports nodes would send. */
  public final MetricsServer metrics = new MetricsServer();
  private final Map<ActorRef<Controller.Command>, ReconcileLog> reconciles = new ConcurrentHashMap<>();

  public ControllerFixture() {
    this(ControllerSettings.defaults(), Clock.systemUTC());
  }

  public ControllerFixture(ControllerSettings settings, Clock clock) {
    this(settings, clock, ServiceNetwork.defaults());
  }

  /** With the Service ranges cluster IPs and node ports come from. */
  public ControllerFixture(ControllerSettings settings, Clock clock, ServiceNetwork serviceNetwork) {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
        "pekko.actor.serialization-bindings {\"io.kubeactor.common.CborSerializable\" = jackson-cbor}")));
    WatchCache cache = new WatchCache(10_000);
    ActorRef<Checkpointer.Command> checkpointer = testKit.spawn(Behaviors.ignore());
    ActorRef<ObjectStore.Command> store = testKit.spawn(ObjectStore.create(cache, checkpointer, 1_000_000));
    ActorRef<StoreWriter.Command> storeWriter = testKit.spawn(StoreWriter.create(store, Duration.ofSeconds(10), 256));
    try {
      cache.whenReady().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    registry = new Registry(ResourceRegistry.builtIn(), cache, storeWriter, testKit.system(), Duration.ofSeconds(10), clock,
        new AdmissionSettings(settings.defaultTolerationSeconds()), serviceNetwork);
    for (String ns : List.of("default", "kube-system")) {
      apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    }
    Informers informers = new Informers(registry);
    ApiWriter writer = new ApiWriter(registry, informers);
    FreshRead fresh = new FreshRead(registry);
    context = new ControllerContext(informers, writer, fresh, metrics, new EventRecorder(writer, fresh, registry.types(), clock), clock,
        settings);
  }

  /** An event recorder of its own (the controllers' is {@code context.events()}), writing through the fixture's writer. */
  public EventRecorder eventRecorder(Clock clock) {
    return new EventRecorder(context.writer(), context.fresh(), registry.types(), clock);
  }

  /** Starts a controller as the controller manager would, with a log of its reconciles. */
  public ActorRef<Controller.Command> start(Reconciler reconciler) {
    ReconcileLog log = new ReconcileLog();
    ActorRef<Controller.Command> controller =
        testKit.spawn(Controller.create(reconciler, Controller.Settings.defaults(), log), reconciler.name());
    reconciles.put(controller, log);
    return controller;
  }

  /**
   * Queues the keys and waits until the controller has finished, without failure, a reconcile of
   * each that started after this call: evidence that it has processed every change the test made
   * before, so that a test may then assert that nothing came of them. Reconciles read the
   * informers, which have each change before its write returns, and a reconcile's stage completes
   * once its own writes are done, so the outcome can be read as soon as this returns.
   */
  public void awaitReconciled(ActorRef<Controller.Command> controller, String... keys) {
    ReconcileLog log = reconciles.get(controller);
    if (log == null) throw new IllegalArgumentException(controller + " was not started by this fixture");
    // the informers have every change written before this call, so the reconciles below start from them
    Awaitility.await("informers caught up").pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
        .until(() -> context.informers().caughtUp());
    long mark = ReconcileLog.mark();
    for (String key : keys) controller.tell(new Controller.Enqueue(key));
    Awaitility.await("reconciles of " + List.of(keys) + " by " + controller.path().name())
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .until(() -> Arrays.stream(keys).allMatch(k -> log.succeededSince(k, mark)));
  }

  /** Creates an object from JSON or YAML, as {@code kubectl create} would. */
  public ObjectNode apply(String manifest) {
    ObjectNode o = parse(manifest);
    ResourceType t = type(o);
    return join(registry.create(t, o.path("metadata").path("namespace").asText(null), o, WriteOptions.internal()));
  }

  /** Replaces an object with a changed copy, as {@code kubectl replace} would. */
  public ObjectNode update(HasMetadata object) {
    return join(context.writer().update(object).thenApply(Json::toTree));
  }

  /** Changes the object's current version (read-modify-write, retried on conflict). */
  public ObjectNode change(String apiVersion, String kind, String namespace, String name,
      java.util.function.UnaryOperator<ObjectNode> change) {
    ResourceType t = registry.types().byKind(apiVersion, kind).orElseThrow();
    return join(registry.guaranteedUpdate(t, namespace, name, 0, WriteOptions.internal(), change));
  }

  public ObjectNode changeStatus(String apiVersion, String kind, String namespace, String name,
      java.util.function.UnaryOperator<ObjectNode> change) {
    ResourceType t = registry.types().byKind(apiVersion, kind).orElseThrow();
    return join(registry.guaranteedSubresourceUpdate(t, namespace, name, change));
  }

  /** Deletes as {@code kubectl delete} does, with an optional propagation policy. */
  public void delete(String apiVersion, String kind, String namespace, String name, String propagationPolicy) {
    ResourceType t = registry.types().byKind(apiVersion, kind).orElseThrow();
    join(registry.delete(t, namespace, name, new DeleteOptions(null, propagationPolicy, null, null, false)));
  }

  /** The typed objects of a kind in a namespace (null: all), as stored now. */
  public <T extends HasMetadata> List<T> list(Class<T> model, String namespace) {
    return context.fresh().list(context.informers().typeOf(model), namespace).stream()
        .map(o -> Json.fromTree(o, model)).toList();
  }

  /** The object as stored now (a fresh read, not an informer that may lag the last write), or null. */
  public <T extends HasMetadata> T get(Class<T> model, String namespace, String name) {
    return context.fresh().get(context.informers().typeOf(model), namespace, name, model);
  }

  private ResourceType type(ObjectNode o) {
    return registry.types().byKind(o.path("apiVersion").asText(), o.path("kind").asText())
        .orElseThrow(() -> new IllegalArgumentException("unknown kind " + o.path("kind")));
  }

  private static ObjectNode parse(String manifest) {
    try {
      return (ObjectNode) Json.YAML.readTree(manifest);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.informers().close();
    testKit.shutdownTestKit();
  }
}
