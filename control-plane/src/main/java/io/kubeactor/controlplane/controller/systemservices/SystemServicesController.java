package io.kubeactor.controlplane.controller.systemservices;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-apiserver's kubernetesservice controller and endpoint reconciler for this control plane's
 * own Services: a system Service that is deleted is made again, and the Endpoints and
 * EndpointSlice published for it are written again when someone changes or deletes them (and at
 * each resync). Keys are the Services' "namespace/name".
 */
public final class SystemServicesController implements Reconciler {

  private final SystemServices services;
  private final ControlPlaneEndpoints endpoints;
  private final Informer<Service> serviceInformer;
  private final Informer<Endpoints> endpointsInformer;
  private final Informer<EndpointSlice> sliceInformer;

  public SystemServicesController(ControllerContext context, SystemServices services, ControlPlaneEndpoints endpoints) {
    this.services = services;
    this.endpoints = endpoints;
    this.serviceInformer = context.informers().of(Service.class);
    this.endpointsInformer = context.informers().of(Endpoints.class);
    this.sliceInformer = context.informers().of(EndpointSlice.class);
  }

  @Override
  public String name() {
    return "system-services-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(serviceInformer, e -> ours(Informer.keyOf(e.object())));
    queue.watch(endpointsInformer, e -> ours(Informer.keyOf(e.object())));
    queue.watch(sliceInformer, e -> {
      Set<String> keys = new LinkedHashSet<>(ours(serviceOf(e.object())));
      if (e.previous() != null) keys.addAll(ours(serviceOf(e.previous())));
      return keys;
    });
  }

  private static String serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(ControlPlaneEndpoints.SERVICE_NAME);
    return service == null ? "" : Informer.key(slice.getMetadata().getNamespace(), service);
  }

  private List<String> ours(String key) {
    return keys().contains(key) ? List.of(key) : List.of();
  }

  @Override
  public Collection<String> keys() {
    Set<String> keys = new LinkedHashSet<>(services.keys());
    keys.addAll(endpoints.published());
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    CompletionStage<Void> service = services.keys().contains(key) && serviceInformer.get(key) == null
        ? services.ensure(key, false) : CompletableFuture.completedFuture(null);
    return service.thenCompose(done -> endpoints.restore(key))
        .exceptionallyCompose(e -> gone(e) ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e))
        .thenApply(done -> Result.done());
  }

  /** The namespace is gone or going: nothing to make there. */
  private static boolean gone(Throwable e) {
    return ApiException.hasCode(e, 404) || ApiException.hasCode(e, 403);
  }
}
