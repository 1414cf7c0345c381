package io.kubeactor.controlplane.controller.servicelb;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * k3s's ServiceLB (pkg/cloudprovider/servicelb.go), without its per-Service DaemonSets since each
 * node's service proxy serves the load balancer's ports itself: every LoadBalancer Service with no
 * loadBalancerClass gets as its status.loadBalancer.ingress the addresses of the Ready nodes (their
 * ExternalIPs if any node has one, else their InternalIPs; with externalTrafficPolicy Local only the
 * nodes with a ready endpoint of the Service), each {ip, ipMode: VIP}, of the Service's IP families,
 * sorted, kept current as nodes come and go. On k3s each Service's svclb pods take its ports on
 * every node as host ports; here too a Service whose port and protocol an earlier LoadBalancer
 * already takes stays without ingress (EXTERNAL-IP {@code <pending>}) until that one goes. Events as
 * k3s words them. A Service that stops being a LoadBalancer loses its ingress.
 */
public final class ServiceLbController implements Reconciler {

  static final String COMPONENT = "service-lb-controller";
  private static final String SERVICE_NAME = "kubernetes.io/service-name";

  private final ControllerContext context;
  private final Informer<Service> services;
  private final Informer<Node> nodes;
  private final Informer<EndpointSlice> slices;
  /** The uid of each Service told it has no load balancer and not given one since, by key. */
  private final Map<String, String> warned = new ConcurrentHashMap<>();

  public ServiceLbController(ControllerContext context) {
    this.context = context;
    this.services = context.informers().of(Service.class);
    this.nodes = context.informers().nodes();
    this.slices = context.informers().of(EndpointSlice.class);
  }

  @Override
  public String name() {
    return COMPONENT;
  }

  @Override
  public void start(Queue queue) {
    queue.watch(services, e -> {
      boolean was = e.previous() != null && ours(e.previous());
      if (!ours(e.object()) && !was) {
        return hasIngress(e.object()) ? List.of(Informer.keyOf(e.object())) : List.of();
      }
      // who gets which ports depends on every other LoadBalancer's
      boolean portsMayMove = e.previous() == null || e.type() == Informer.EventType.DELETED
          || !Objects.equals(e.previous().getSpec(), e.object().getSpec());
      return portsMayMove ? loadBalancerKeys(Informer.keyOf(e.object())) : List.of(Informer.keyOf(e.object()));
    });
    queue.watch(nodes, e -> e.previous() == null || e.type() == Informer.EventType.DELETED
        || ready(e.previous()) != ready(e.object()) || !Objects.equals(addressesOf(e.previous()), addressesOf(e.object()))
        ? loadBalancerKeys(null) : List.of());
    queue.watch(slices, e -> {
      String service = e.object().getMetadata().getLabels() == null ? null : e.object().getMetadata().getLabels().get(SERVICE_NAME);
      return service == null ? List.of() : List.of(Informer.key(e.object().getMetadata().getNamespace(), service));
    });
  }

  /** Every LoadBalancer Service's key, and one more. */
  private List<String> loadBalancerKeys(String also) {
    Set<String> keys = new LinkedHashSet<>();
    if (also != null) keys.add(also);
    for (Service s : services.list()) if (ours(s)) keys.add(Informer.keyOf(s));
    return List.copyOf(keys);
  }

  @Override
  public Collection<String> keys() {
    List<String> keys = new ArrayList<>();
    for (Service s : services.list()) if (ours(s) || hasIngress(s)) keys.add(Informer.keyOf(s));
    return keys;
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Service service = services.get(key);
    if (service == null) {
      warned.remove(key);
      return CompletableFuture.completedFuture(Result.done());
    }
    if (service.getSpec().getLoadBalancerClass() != null) return CompletableFuture.completedFuture(Result.done());
    if (!isLoadBalancer(service)) {
      warned.remove(key);
      return hasIngress(service) ? writeIngress(service, List.of()).thenApply(s -> Result.done())
          : CompletableFuture.completedFuture(Result.done());
    }
    List<String> wanted = portsFree(service) ? addresses(service) : List.of();
    List<String> current = ingress(service);
    if (current.equals(wanted) && allVip(service)) {
      if (wanted.isEmpty()) warnUnavailable(service);
      return CompletableFuture.completedFuture(Result.done());
    }
    return writeIngress(service, wanted).thenApply(updated -> {
      if (wanted.isEmpty()) {
        warnUnavailable(updated);
      } else {
        warned.remove(key);
        if (!current.equals(wanted)) {
          context.events().record(Json.toTree(updated), "Normal", "UpdatedLoadBalancer",
              "Updated LoadBalancer with new IPs: " + goList(current) + " -> " + goList(wanted), COMPONENT, null);
        }
      }
      return Result.done();
    });
  }

  /** Once per Service (until it gets a load balancer): k3s's warning for a Service none of whose nodes serve it. */
  private void warnUnavailable(Service service) {
    String uid = service.getMetadata().getUid();
    if (uid.equals(warned.put(Informer.keyOf(service), uid))) return;
    context.events().record(Json.toTree(service), "Warning", "UnAvailableLoadBalancer",
        "There are no available nodes for LoadBalancer", COMPONENT, null);
  }

  private CompletionStage<Service> writeIngress(Service service, List<String> ips) {
    Service updated = Json.fromTree(Json.toTree(service), Service.class);
    if (updated.getStatus() == null) updated.setStatus(new ServiceStatus());
    LoadBalancerStatus status = new LoadBalancerStatus();
    List<LoadBalancerIngress> ingress = new ArrayList<>();
    for (String ip : ips) {
      LoadBalancerIngress i = new LoadBalancerIngress();
      i.setIp(ip);
      i.setIpMode("VIP");
      ingress.add(i);
    }
    if (!ingress.isEmpty()) status.setIngress(ingress);
    updated.getStatus().setLoadBalancer(status);
    return context.writer().updateStatus(updated);
  }

  /**
   * Whether none of the Service's (port, protocol) pairs is taken by a LoadBalancer that came
   * before it (by creation time, then namespace and name) and got its own ports.
   */
  private boolean portsFree(Service service) {
    List<Service> loadBalancers = new ArrayList<>();
    for (Service s : services.list()) if (ours(s)) loadBalancers.add(s);
    loadBalancers.sort(Comparator.comparing((Service s) -> Objects.toString(s.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(Informer::keyOf));
    Set<String> taken = new HashSet<>();
    String key = Informer.keyOf(service);
    for (Service s : loadBalancers) {
      List<String> wants = new ArrayList<>();
      for (ServicePort p : s.getSpec().getPorts()) wants.add(Objects.toString(p.getProtocol(), "TCP") + "/" + p.getPort());
      boolean free = wants.stream().noneMatch(taken::contains);
      if (Informer.keyOf(s).equals(key)) return free;
      if (free) taken.addAll(wants);
    }
    return false;
  }

  /** The node addresses the Service's load balancer answers on. */
  private List<String> addresses(Service service) {
    Set<String> local = "Local".equals(service.getSpec().getExternalTrafficPolicy()) ? nodesWithReadyEndpoints(service) : null;
    Set<String> external = new TreeSet<>();
    Set<String> internal = new TreeSet<>();
    for (Node node : nodes.list()) {
      if (!ready(node) || (local != null && !local.contains(node.getMetadata().getName()))) continue;
      List<NodeAddress> addresses = addressesOf(node);
      if (addresses == null) continue;
      for (NodeAddress a : addresses) {
        if ("ExternalIP".equals(a.getType())) external.add(a.getAddress());
        else if ("InternalIP".equals(a.getType())) internal.add(a.getAddress());
      }
    }
    Set<String> ips = external.isEmpty() ? internal : external;
    List<String> families = service.getSpec().getIpFamilies() == null || service.getSpec().getIpFamilies().isEmpty()
        ? List.of("IPv4") : service.getSpec().getIpFamilies();
    List<String> out = new ArrayList<>();
    for (String family : families) {
      for (String ip : ips) {
        if (family.equals("IPv4") ? IpAddresses.isIPv4(ip) : IpAddresses.isIPv6(ip)) out.add(ip);
      }
    }
    return out;
  }

  /** The nodes of the Service's ready pod endpoints. */
  private Set<String> nodesWithReadyEndpoints(Service service) {
    Set<String> names = new HashSet<>();
    for (EndpointSlice slice : slices.list(service.getMetadata().getNamespace())) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      if (labels == null || !service.getMetadata().getName().equals(labels.get(SERVICE_NAME)) || slice.getEndpoints() == null) continue;
      for (Endpoint e : slice.getEndpoints()) {
        boolean pod = e.getTargetRef() != null && "Pod".equals(e.getTargetRef().getKind());
        boolean ready = e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady());
        if (pod && ready && e.getNodeName() != null) names.add(e.getNodeName());
      }
    }
    return names;
  }

  private static boolean ours(Service s) {
    return isLoadBalancer(s) && s.getSpec().getLoadBalancerClass() == null;
  }

  private static boolean isLoadBalancer(Service s) {
    return s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType());
  }

  private static boolean hasIngress(Service s) {
    return !ingress(s).isEmpty();
  }

  /** The ingress addresses (or hostnames) of the Service's status. */
  private static List<String> ingress(Service s) {
    List<String> out = new ArrayList<>();
    if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null || s.getStatus().getLoadBalancer().getIngress() == null) return out;
    for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) out.add(i.getIp() != null ? i.getIp() : i.getHostname());
    return out;
  }

  private static boolean allVip(Service s) {
    if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null || s.getStatus().getLoadBalancer().getIngress() == null) return true;
    return s.getStatus().getLoadBalancer().getIngress().stream().allMatch(i -> "VIP".equals(i.getIpMode()));
  }

  private static List<NodeAddress> addressesOf(Node node) {
    return node.getStatus() == null ? null : node.getStatus().getAddresses();
  }

  private static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) return false;
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) return "True".equals(c.getStatus());
    }
    return false;
  }

  /** A []string as Go's %v prints it: [a b]. */
  private static String goList(List<String> values) {
    return "[" + String.join(" ", values) + "]";
  }
}
