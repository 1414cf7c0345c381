package io.kubeactor.controlplane.controller.endpointslicemirroring;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.controller.endpointslice.EndpointSliceController;
import io.kubeactor.controlplane.controller.endpointslice.EndpointSlices;
import io.kubeactor.controlplane.controller.endpointslice.PodEndpoints;
import io.kubeactor.controlplane.controller.endpointslice.SliceWrites;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's endpointslicemirroring controller: the Endpoints a user writes for a
 * Service without a selector are mirrored into EndpointSlices (managed by
 * {@value #CONTROLLER_NAME}), so consumers of slices see them too. Not mirrored: Endpoints labelled
 * {@code endpointslice.kubernetes.io/skip-mirror: "true"} — which is how the control plane's own
 * {@code kubernetes} Service (and here {@code kube-dns}), written with both Endpoints and an
 * EndpointSlice, stay unmirrored — leader-election records, Endpoints without a Service, and those
 * of a Service with a selector (the endpointslice controller's). Mirrored slices go when the reason
 * to mirror does. Keys are the Endpoints' "namespace/name".
 */
public final class EndpointSliceMirroringController implements Reconciler {

  public static final String CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io";
  /** kube-controller-manager's --mirroring-max-endpoints-per-subset default. */
  static final int MAX_ENDPOINTS_PER_SUBSET = 1000;
  static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
  static final String COMPONENT = "endpoint-slice-mirroring-controller";

  private final ControllerContext context;
  private final Informer<Endpoints> endpoints;
  private final Informer<EndpointSlice> slices;
  private final Informer<Service> services;
  private final MirroredSlices mirrored = new MirroredSlices(CONTROLLER_NAME, MAX_ENDPOINTS_PER_SUBSET);
  private final SliceWrites writes;
  /** The Endpoints version last warned about, so a bad Endpoints is reported once, not at each resync. */
  private final Map<String, String> warned = new ConcurrentHashMap<>();

  public EndpointSliceMirroringController(ControllerContext context) {
    this.context = context;
    this.endpoints = context.informers().of(Endpoints.class);
    this.slices = context.informers().of(EndpointSlice.class);
    this.services = context.informers().of(Service.class);
    this.writes = new SliceWrites(context.writer());
    EndpointSliceController.indexByService(slices);
  }

  @Override
  public String name() {
    return "endpointslice-mirroring-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(endpoints, e -> shouldMirror(e.object()) || (e.previous() != null && shouldMirror(e.previous()))
        ? List.of(Informer.keyOf(e.object())) : List.of());
    queue.watch(services, e -> {
      boolean selectorless = PodEndpoints.selector(e.object()).isEmpty();
      if (e.type() != Informer.EventType.MODIFIED) return selectorless ? List.of(Informer.keyOf(e.object())) : List.of();
      boolean was = PodEndpoints.selector(e.previous()).isEmpty();
      return selectorless != was ? List.of(Informer.keyOf(e.object())) : List.of();
    });
    queue.watch(slices, this::keysOfSliceChange);
  }

  @Override
  public Collection<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (Endpoints e : endpoints.list()) if (shouldMirror(e)) keys.add(Informer.keyOf(e));
    for (EndpointSlice s : slices.list()) {
      if (EndpointSlices.managedBy(s, CONTROLLER_NAME)) EndpointSlices.serviceKey(s).ifPresent(keys::add);
    }
    return keys;
  }

  /** A change to a mirrored slice that is not this controller's own brings its Endpoints back. */
  private Collection<String> keysOfSliceChange(Informer.Event<EndpointSlice> e) {
    EndpointSlice slice = e.object();
    EndpointSlice previous = e.previous();
    Set<String> keys = new LinkedHashSet<>();
    boolean ours = EndpointSlices.managedBy(slice, CONTROLLER_NAME);
    if (e.type() == Informer.EventType.MODIFIED && previous != null) {
      Optional<String> before = EndpointSlices.serviceKey(previous);
      if (!before.equals(EndpointSlices.serviceKey(slice))) {
        before.ifPresent(keys::add);
        EndpointSlices.serviceKey(slice).ifPresent(keys::add);
        return keys;
      }
      if (ours != EndpointSlices.managedBy(previous, CONTROLLER_NAME)) {
        EndpointSlices.serviceKey(slice).ifPresent(keys::add);
        return keys;
      }
    }
    if (ours) EndpointSlices.serviceKey(slice).filter(k -> !writes.isOwn(k, e)).ifPresent(keys::add);
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Endpoints ep = endpoints.get(key);
    Service service = services.get(key);
    if (ep == null || !shouldMirror(ep) || service == null || PodEndpoints.selector(service).isPresent()) {
      warned.remove(key);
      return done(writes.deleteAll(mirroredSlices(key)));
    }
    MirroredSlices.Result r = mirrored.compute(ep, mirroredSlices(key));
    warn(key, ep, r);
    // no new slices for an Endpoints being deleted
    boolean allowCreate = ep.getMetadata().getDeletionTimestamp() == null;
    return done(writes.apply(key, r.plan(), allowCreate));
  }

  private List<EndpointSlice> mirroredSlices(String key) {
    return slices.byIndex(EndpointSliceController.BY_SERVICE, key).stream()
        .filter(s -> EndpointSlices.managedBy(s, CONTROLLER_NAME)).toList();
  }

  private void warn(String key, Endpoints ep, MirroredSlices.Result r) {
    if (r.addressesSkipped() == 0) return;
    String version = ep.getMetadata().getResourceVersion();
    if (Objects.equals(warned.put(key, version), version)) return;
    if (r.invalidAddresses() > 0) {
      context.events().record(Json.toTree(ep), "Warning", "InvalidIPAddress",
          "Skipped " + r.invalidAddresses() + " invalid IP addresses when mirroring to EndpointSlices", COMPONENT, null);
    }
    if (r.addressesSkipped() > r.invalidAddresses()) {
      context.events().record(Json.toTree(ep), "Warning", "TooManyAddressesToMirror",
          "A max of " + MAX_ENDPOINTS_PER_SUBSET + " addresses can be mirrored to EndpointSlices per Endpoints subset. "
              + r.addressesSkipped() + " addresses were skipped", COMPONENT, null);
    }
  }

  private static CompletionStage<Result> done(CompletionStage<Void> writes) {
    return writes.handle((x, e) -> {
      if (e == null) return Result.done();
      Throwable error = ApiException.unwrap(e);
      // creates in a namespace being terminated keep failing: nothing more to do there
      if (ApiException.hasCode(error, 403)) return Result.done();
      throw new CompletionException(error);
    });
  }

  /** shouldMirror: not labelled skip-mirror and not a leader-election record. */
  static boolean shouldMirror(Endpoints ep) {
    Map<String, String> labels = ep.getMetadata().getLabels();
    Map<String, String> annotations = ep.getMetadata().getAnnotations();
    boolean skip = labels != null && "true".equals(labels.get(EndpointSlices.LABEL_SKIP_MIRROR));
    boolean leader = annotations != null && annotations.containsKey(LEADER_ANNOTATION);
    return !skip && !leader;
  }
}
