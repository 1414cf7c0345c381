package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.OwnerReferences;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's endpointslice controller (pkg/controller/endpointslice): for each
 * Service with a selector, discovery.k8s.io/v1 EndpointSlices of its pods, at most 100 endpoints a
 * slice, named {@code <service>-<random>}, labelled with the Service's name and this controller,
 * owned by the Service (the garbage collector removes them with it). Each endpoint carries the
 * pod's address, ready/serving/terminating, node, zone, hostname and target. Pod changes that can
 * alter an endpoint, and Service changes, queue the Service at once; someone else's change to its
 * slices queues it after a second. Only differences are written ({@link SliceChanges}).
 */
public final class EndpointSliceController implements Reconciler {

  public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
  /** kube-controller-manager's --max-endpoints-per-slice default. */
  static final int MAX_ENDPOINTS_PER_SLICE = 100;
  /** endpointSliceChangeMinSyncDelay: a change to a slice by someone else is looked at after this. */
  static final Duration SLICE_CHANGE_DELAY = Duration.ofSeconds(1);
  /** Slices by "namespace/service", from their service-name label. */
  public static final String BY_SERVICE = "endpointslice/service";
  static final String COMPONENT = "endpoint-slice-controller";
  static final Duration MAX_SYNC_BACKOFF = Duration.ofSeconds(1000);

  private final ControllerContext context;
  private final Informer<Service> services;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final Informer<EndpointSlice> slices;
  private final ServiceMemberships memberships;
  private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
  private final SliceChanges changes = new SliceChanges(CONTROLLER_NAME, MAX_ENDPOINTS_PER_SLICE);
  private final SliceWrites writes;
  private final Map<String, Integer> retries = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Queue queue;

  public EndpointSliceController(ControllerContext context) {
    this.context = context;
    this.services = context.informers().of(Service.class);
    this.pods = context.informers().pods();
    this.nodes = context.informers().nodes();
    this.slices = context.informers().of(EndpointSlice.class);
    this.memberships = new ServiceMemberships(services);
    this.writes = new SliceWrites(context.writer());
    indexByService(slices);
  }

  /** Adds the slices-by-Service index (idempotent: the mirroring controller shares it). */
  public static void indexByService(Informer<EndpointSlice> slices) {
    slices.addIndex(BY_SERVICE, s -> EndpointSlices.serviceKey(s).map(List::of).orElse(List.of()));
  }

  @Override
  public String name() {
    return "endpointslice-controller";
  }

  @Override
  public void start(Queue queue) {
    this.queue = queue;
    queue.watch(services, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(pods, memberships::toSync);
    queue.watch(slices, e -> {
      sliceChanged(e);
      return List.of();
    });
  }

  @Override
  public Collection<String> keys() {
    return services.list().stream().map(Informer::keyOf).toList();
  }

  /** onEndpointSliceAdd/Update/Delete: someone else's change to a slice of ours brings the Service back. */
  private void sliceChanged(Informer.Event<EndpointSlice> e) {
    EndpointSlice slice = e.object();
    EndpointSlice previous = e.previous();
    boolean ours = EndpointSlices.managedBy(slice, CONTROLLER_NAME);
    if (e.type() == Informer.EventType.MODIFIED && previous != null) {
      Optional<String> before = EndpointSlices.serviceKey(previous);
      if (!before.equals(EndpointSlices.serviceKey(slice))) {
        before.ifPresent(k -> queue.addAfter(k, SLICE_CHANGE_DELAY));
        EndpointSlices.serviceKey(slice).ifPresent(k -> queue.addAfter(k, SLICE_CHANGE_DELAY));
        return;
      }
      if (ours != EndpointSlices.managedBy(previous, CONTROLLER_NAME)) {
        EndpointSlices.serviceKey(slice).ifPresent(k -> queue.addAfter(k, SLICE_CHANGE_DELAY));
        return;
      }
    }
    if (!ours) return;
    EndpointSlices.serviceKey(slice).ifPresent(k -> {
      if (!writes.isOwn(k, e)) queue.addAfter(k, SLICE_CHANGE_DELAY);
    });
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Service service = services.get(key);
    if (service == null) {
      // the garbage collector deletes the slices with their owner
      triggerTimes.forget(key);
      retries.remove(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    Optional<Map<String, String>> selector = PodEndpoints.selector(service);
    if (PodEndpoints.isExternalName(service) || selector.isEmpty()) {
      return CompletableFuture.completedFuture(Result.done());
    }
    LabelSelector matching = LabelSelector.fromMap(selector.get());
    List<Pod> selected = pods.list(service.getMetadata().getNamespace()).stream()
        .filter(p -> matching.matches(PodControl.labels(p))).toList();
    List<EndpointSlice> existing = slices.byIndex(BY_SERVICE, key).stream()
        .filter(s -> EndpointSlices.managedBy(s, CONTROLLER_NAME) && !OwnerReferences.beingDeleted(s))
        .toList();
    Instant triggerTime = triggerTimes.compute(key, service, selected);
    SliceChanges.Plan plan = changes.compute(service, selected, existing, nodes::get);
    plan.create().forEach(s -> EndpointSlices.setTriggerTime(s, triggerTime));
    plan.update().forEach(s -> EndpointSlices.setTriggerTime(s, triggerTime));
    // no new slices for a Service being deleted: the garbage collector is removing them
    boolean allowCreate = service.getMetadata().getDeletionTimestamp() == null;
    return writes.apply(key, plan, allowCreate).handle((x, e) -> {
      Throwable error = e == null ? null : ApiException.unwrap(e);
      // creates in a namespace being terminated keep failing: drop the Service, as upstream does
      if (error != null && ApiException.hasCode(error, 403)) return Result.done();
      String problem = error != null ? message(error) : plan.errors().isEmpty() ? null : String.join(", ", plan.errors());
      if (problem == null) {
        retries.remove(key);
        return Result.done();
      }
      context.events().record(Json.toTree(service), "Warning", "FailedToUpdateEndpointSlices",
          "Error updating Endpoint Slices for Service " + key + ": " + problem, COMPONENT, null);
      if (error != null) throw new CompletionException(error);
      // a pod on a node not (yet) known: the slices are written without it, and the Service retried
      return Result.requeueAfter(nextRetry(key));
    });
  }

  /** The controller's retry back-off (1 s doubling, at most 1000 s), for syncs that wrote but must retry. */
  private Duration nextRetry(String key) {
    int n = Math.min(retries.merge(key, 1, Integer::sum) - 1, 10);
    Duration d = Duration.ofSeconds(1L << n);
    return d.compareTo(MAX_SYNC_BACKOFF) > 0 ? MAX_SYNC_BACKOFF : d;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
