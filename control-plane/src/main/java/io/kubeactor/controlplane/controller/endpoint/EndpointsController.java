package io.kubeactor.controlplane.controller.endpoint;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.controller.endpointslice.PodEndpoints;
import io.kubeactor.controlplane.controller.endpointslice.ServiceMemberships;
import io.kubeactor.controlplane.controller.endpointslice.TriggerTimeTracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kube-controller-manager's endpoints controller (pkg/controller/endpoint): for each Service with
 * a selector, a core/v1 Endpoints of the same name listing its pods — ready ones in
 * {@code addresses}, the others in {@code notReadyAddresses} (all in addresses when the Service
 * publishes not-ready addresses), each with the ports the pod has — packed canonically
 * ({@link EndpointSubsets}), truncated to 1000 addresses, labelled as the Service. The Endpoints
 * goes when its Service does; a Service without a selector leaves its Endpoints to the user. At
 * start, Endpoints whose Service is gone are deleted (checkLeftoverEndpoints).
 */
public final class EndpointsController implements Reconciler {

  static final String OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";
  static final String TRUNCATED = "truncated";
  static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
  static final String COMPONENT = "endpoint-controller";

  private final ControllerContext context;
  private final Informer<Service> services;
  private final Informer<Pod> pods;
  private final Informer<Endpoints> endpoints;
  private final ServiceMemberships memberships;
  private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
  private final AtomicBoolean leftoversChecked = new AtomicBoolean();
  private final int capacity;

  public EndpointsController(ControllerContext context) {
    this(context, EndpointSubsets.MAX_CAPACITY);
  }

  /** With another capacity than kube-controller-manager's 1000 addresses (for tests). */
  EndpointsController(ControllerContext context, int capacity) {
    this.context = context;
    this.capacity = capacity;
    this.services = context.informers().of(Service.class);
    this.pods = context.informers().pods();
    this.endpoints = context.informers().of(Endpoints.class);
    this.memberships = new ServiceMemberships(services);
  }

  @Override
  public String name() {
    return "endpoints-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(services, e -> List.of(Informer.keyOf(e.object())));
    queue.watch(pods, memberships::toSync);
    // an Endpoints deleted by someone is made again (or, without its Service, stays gone)
    queue.watch(endpoints, e -> e.type() == Informer.EventType.DELETED ? List.of(Informer.keyOf(e.object())) : List.of());
  }

  @Override
  public Collection<String> keys() {
    Set<String> keys = new LinkedHashSet<>(services.list().stream().map(Informer::keyOf).toList());
    if (leftoversChecked.compareAndSet(false, true)) {
      for (Endpoints ep : endpoints.list()) {
        Map<String, String> annotations = ep.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(LEADER_ANNOTATION)) continue;
        keys.add(Informer.keyOf(ep));
      }
    }
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Service service = services.get(key);
    if (service == null) {
      triggerTimes.forget(key);
      Endpoints current = endpoints.get(key);
      if (current == null) return CompletableFuture.completedFuture(Result.done());
      return context.writer().delete(current, null).handle((x, e) -> {
        if (e != null && !ApiException.hasCode(e, 404)) throw new CompletionException(ApiException.unwrap(e));
        return Result.done();
      });
    }
    Optional<Map<String, String>> selector = PodEndpoints.selector(service);
    if (PodEndpoints.isExternalName(service) || selector.isEmpty()) return CompletableFuture.completedFuture(Result.done());

    LabelSelector matching = LabelSelector.fromMap(selector.get());
    List<Pod> selected = pods.list(service.getMetadata().getNamespace()).stream()
        .filter(p -> matching.matches(PodControl.labels(p))).toList();
    // computed on every sync, so the tracker keeps up even when nothing is written
    Instant triggerTime = triggerTimes.compute(key, service, selected);
    List<EndpointSubset> subsets = EndpointSubsets.repack(subsets(service, selected));
    boolean truncated = EndpointSubsets.truncate(subsets, capacity);

    Endpoints current = endpoints.get(key);
    boolean create = current == null;
    // compared as it would be written (truncated), so an Endpoints over capacity is not rewritten at each sync
    if (!create && upToDate(current, subsets, truncated, service)) return CompletableFuture.completedFuture(Result.done());

    Endpoints desired = create ? fresh(service) : Json.fromTree(Json.toTree(current), Endpoints.class);
    desired.setSubsets(subsets);
    Map<String, String> annotations = desired.getMetadata().getAnnotations() == null
        ? new HashMap<>() : new HashMap<>(desired.getMetadata().getAnnotations());
    if (triggerTime != null) annotations.put(PodEndpoints.TRIGGER_TIME_ANNOTATION, TriggerTimeTracker.format(triggerTime));
    else annotations.remove(PodEndpoints.TRIGGER_TIME_ANNOTATION);
    if (truncated) annotations.put(OVER_CAPACITY_ANNOTATION, TRUNCATED);
    else annotations.remove(OVER_CAPACITY_ANNOTATION);
    desired.getMetadata().setAnnotations(annotations);
    desired.getMetadata().setLabels(labels(service));

    CompletionStage<Endpoints> write = create ? context.writer().create(desired) : context.writer().update(desired);
    return write.handle((x, e) -> {
      if (e == null) return Result.done();
      Throwable error = ApiException.unwrap(e);
      // creates in a namespace being terminated keep failing: drop the Service, as upstream does
      if (create && ApiException.hasCode(error, 403)) return Result.done();
      String message = create
          ? "Failed to create endpoint for service " + key + ": " + error.getMessage()
          : "Failed to update endpoint " + key + ": " + error.getMessage();
      context.events().record(Json.toTree(desired), "Warning", create ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint",
          message, COMPONENT, null);
      throw new CompletionException(error);
    });
  }

  /** One subset per pod and port (addEndpointSubset), repacked by the caller. */
  private static List<EndpointSubset> subsets(Service service, List<Pod> pods) {
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    List<EndpointSubset> out = new ArrayList<>();
    for (Pod pod : pods) {
      if (!PodEndpoints.shouldBeInEndpoints(pod, publishNotReady)) continue;
      EndpointAddress address = address(service, pod);
      if (address == null) continue;
      if (PodEndpoints.shouldSetHostname(pod, service)) address.setHostname(pod.getSpec().getHostname());
      boolean ready = publishNotReady || Pods.isReady(pod);
      if (servicePorts.isEmpty()) {
        // a headless Service may have no ports
        if (PodEndpoints.isHeadless(service)) out.add(subset(address, null, ready));
        continue;
      }
      for (ServicePort sp : servicePorts) {
        OptionalInt port = PodEndpoints.findPort(pod, sp);
        if (port.isEmpty()) continue;
        EndpointPort ep = new EndpointPort(sp.getAppProtocol(), sp.getName(), port.getAsInt(),
            Objects.requireNonNullElse(sp.getProtocol(), "TCP"));
        out.add(subset(address, ep, ready));
      }
    }
    return out;
  }

  private static EndpointSubset subset(EndpointAddress address, EndpointPort port, boolean ready) {
    EndpointSubset s = new EndpointSubset();
    if (ready) s.setAddresses(new ArrayList<>(List.of(address)));
    else s.setNotReadyAddresses(new ArrayList<>(List.of(address)));
    s.setPorts(port == null ? new ArrayList<>() : new ArrayList<>(List.of(port)));
    return s;
  }

  /**
   * podToEndpointAddressForService: the pod's IP of the Service's first IP family (for a Service
   * without families, that of its cluster IP, or for a headless one, that of the pod's IP).
   */
  private static EndpointAddress address(Service service, Pod pod) {
    List<String> ips = PodEndpoints.ips(pod);
    boolean ipv6;
    List<String> families = service.getSpec().getIpFamilies();
    if (families != null && !families.isEmpty()) ipv6 = "IPv6".equals(families.get(0));
    else if (PodEndpoints.isServiceIPSet(service)) ipv6 = IpAddresses.isIPv6(service.getSpec().getClusterIP());
    else ipv6 = IpAddresses.isIPv6(pod.getStatus().getPodIP());
    String ip = ips.stream().filter(i -> IpAddresses.isValid(i) && IpAddresses.isIPv6(i) == ipv6).findFirst().orElse(null);
    if (ip == null) return null;
    EndpointAddress a = new EndpointAddress();
    a.setIp(ip);
    a.setNodeName(Objects.requireNonNullElse(Pods.nodeName(pod), ""));
    a.setTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
    return a;
  }

  /** The subsets, the labels (the headless label aside) and the capacity annotation are as they should be. */
  private static boolean upToDate(Endpoints current, List<EndpointSubset> subsets, boolean truncated, Service service) {
    Map<String, String> labels = current.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(current.getMetadata().getLabels());
    labels.remove(PodEndpoints.HEADLESS_LABEL);
    Map<String, String> serviceLabels = service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels();
    return EndpointSubsets.sameIgnoringResourceVersion(current.getSubsets(), subsets)
        && labels.equals(serviceLabels)
        && Objects.equals(annotation(current, OVER_CAPACITY_ANNOTATION), truncated ? TRUNCATED : null);
  }

  private static String annotation(Endpoints e, String name) {
    return e.getMetadata().getAnnotations() == null ? null : e.getMetadata().getAnnotations().get(name);
  }

  private static Endpoints fresh(Service service) {
    Endpoints e = new Endpoints();
    e.setApiVersion("v1");
    e.setKind("Endpoints");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(service.getMetadata().getName());
    meta.setNamespace(service.getMetadata().getNamespace());
    e.setMetadata(meta);
    return e;
  }

  /** The Service's labels, and the headless label when it has no cluster IP. */
  private static Map<String, String> labels(Service service) {
    Map<String, String> out = new LinkedHashMap<>();
    if (service.getMetadata().getLabels() != null) out.putAll(service.getMetadata().getLabels());
    if (!PodEndpoints.isServiceIPSet(service)) out.put(PodEndpoints.HEADLESS_LABEL, "");
    else out.remove(PodEndpoints.HEADLESS_LABEL);
    return out;
  }
}
