package io.kubeactor.controlplane.registry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.admission.ServiceIpFamilies;
import io.kubeactor.controlplane.store.WatchCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What kube-apiserver's Service REST storage adds to the generic registry
 * (pkg/registry/core/service/storage and its strategy): clusterIP and clusterIPs kept in step,
 * values allocated on a client's behalf kept across updates that leave them out, IP families
 * completed, cluster IPs and node ports allocated (with upstream's errors), and the fields a type
 * change leaves meaningless dropped. The registry calls {@link #beginCreate} or
 * {@link #beginUpdate} after defaulting and before validation, and closes the returned
 * {@link Allocation} once the write is answered, whatever the answer.
 */
public final class ServiceStorage {

  /** The values one request allocated, held until its write is answered. */
  public interface Allocation extends AutoCloseable {
    Allocation NONE = () -> { };

    @Override
    void close();
  }

  private final ServiceAllocations allocations;

  public ServiceStorage(WatchCache cache, String servicesPrefix, ServiceNetwork network) {
    this.allocations = new ServiceAllocations(cache, servicesPrefix, network);
  }

  /** beginCreate: a new Service gets its IP families, cluster IPs and node ports. */
  public Allocation beginCreate(ObjectNode service, boolean dryRun) {
    ObjectNode spec = service.withObjectProperty("spec");
    normalizeClusterIPs(spec, null);
    ServiceIpFamilies.init(service, null);
    ServiceAllocations.Transaction txn = allocations.begin(dryRun);
    try {
      allocateClusterIPs(service, txn);
      if (needsNodePort(spec)) initNodePorts(service, txn);
      if (needsHealthCheckNodePort(spec)) allocateHealthCheckNodePort(spec, txn);
    } catch (RuntimeException e) {
      txn.close();
      throw e;
    }
    return txn::close;
  }

  /** beginUpdate: what the client left out is kept; what the change needs is allocated. */
  public Allocation beginUpdate(ObjectNode service, ObjectNode old, boolean dryRun) {
    ObjectNode spec = service.withObjectProperty("spec");
    JsonNode oldSpec = old.path("spec");
    patchAllocatedValues(spec, oldSpec);
    normalizeClusterIPs(spec, oldSpec);
    ServiceIpFamilies.init(service, old);
    ServiceAllocations.Transaction txn = allocations.begin(dryRun);
    try {
      // from ExternalName to a type with addresses: allocate them; the other way they go with the stored object.
      // A Service stored before this cluster allocated addresses gets its own the same way.
      if ((type(oldSpec).equals("ExternalName") || unallocated(oldSpec)) && !type(spec).equals("ExternalName")) {
        allocateClusterIPs(service, txn);
      }
      if (needsNodePort(spec)) updateNodePorts(service, oldSpec, txn);
      if ((!needsHealthCheckNodePort(oldSpec) || number(oldSpec, "healthCheckNodePort") == 0) && needsHealthCheckNodePort(spec)) {
        allocateHealthCheckNodePort(spec, txn);
      }
    } catch (RuntimeException e) {
      txn.close();
      throw e;
    }
    return txn::close;
  }

  /**
   * The strategy's PrepareForUpdate (dropTypeDependentFields): on a type change, the fields the new
   * type has no use for are dropped when the client left them as they were (they are released with
   * the stored object), and the load balancer status goes with the LoadBalancer type.
   */
  public static void prepareForUpdate(ObjectNode service, ObjectNode old) {
    ObjectNode spec = service.withObjectProperty("spec");
    JsonNode oldSpec = old.path("spec");
    if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
      if (text(spec, "clusterIP").equals(text(oldSpec, "clusterIP")) && strings(spec, "clusterIPs").equals(strings(oldSpec, "clusterIPs"))) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
      }
      if (strings(spec, "ipFamilies").equals(strings(oldSpec, "ipFamilies"))) spec.remove("ipFamilies");
      if (text(spec, "ipFamilyPolicy").equals(text(oldSpec, "ipFamilyPolicy"))) spec.remove("ipFamilyPolicy");
    }
    if (needsNodePort(oldSpec) && !needsNodePort(spec) && nodePorts(oldSpec).containsAll(nodePorts(spec))) {
      for (JsonNode port : spec.path("ports")) ((ObjectNode) port).remove("nodePort");
    }
    if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec)
        && number(spec, "healthCheckNodePort") == number(oldSpec, "healthCheckNodePort")) {
      spec.remove("healthCheckNodePort");
    }
    if (type(oldSpec).equals("LoadBalancer") && !type(spec).equals("LoadBalancer")) {
      if (spec.has("allocateLoadBalancerNodePorts") && oldSpec.has("allocateLoadBalancerNodePorts")
          && spec.get("allocateLoadBalancerNodePorts").asBoolean() == oldSpec.get("allocateLoadBalancerNodePorts").asBoolean()) {
        spec.remove("allocateLoadBalancerNodePorts");
      }
      if (Objects.equals(spec.get("loadBalancerClass"), oldSpec.get("loadBalancerClass"))) spec.remove("loadBalancerClass");
    }
    if (externallyAccessible(oldSpec) && !externallyAccessible(spec)
        && text(spec, "externalTrafficPolicy").equals(text(oldSpec, "externalTrafficPolicy"))) {
      spec.remove("externalTrafficPolicy");
    }
    if (!type(spec).equals("LoadBalancer")) service.withObjectProperty("status").putObject("loadBalancer");
  }

  /** A Service that needs an address and has none: stored before addresses were allocated. */
  public static boolean unallocated(JsonNode spec) {
    return needsClusterIP(spec) && text(spec, "clusterIP").isEmpty() && strings(spec, "clusterIPs").isEmpty();
  }

  // ---- clusterIP and clusterIPs ----

  /** normalizeClusterIPs: old clients set only clusterIP; keep clusterIPs in step with it. */
  private static void normalizeClusterIPs(ObjectNode spec, JsonNode oldSpec) {
    String clusterIP = text(spec, "clusterIP");
    List<String> clusterIPs = strings(spec, "clusterIPs");
    if (oldSpec == null) {
      if (!clusterIP.isEmpty() && clusterIPs.isEmpty()) setStrings(spec, "clusterIPs", List.of(clusterIP));
      return;
    }
    String oldClusterIP = text(oldSpec, "clusterIP");
    List<String> oldClusterIPs = strings(oldSpec, "clusterIPs");
    // an old client patching something else left clusterIPs out
    if (!oldClusterIPs.isEmpty() && clusterIPs.isEmpty() && oldClusterIP.equals(clusterIP)) {
      setStrings(spec, "clusterIPs", oldClusterIPs);
      clusterIPs = oldClusterIPs;
    }
    if (!oldClusterIP.equals(clusterIP)) {
      if (!oldClusterIP.isEmpty() && clusterIP.isEmpty()) {
        if (clusterIPs.equals(oldClusterIPs)) spec.remove("clusterIPs");
      } else if (clusterIPs.equals(oldClusterIPs)) {
        setStrings(spec, "clusterIPs", List.of(clusterIP));
      }
    }
  }

  /** patchAllocatedValues: a resubmitted manifest that names no address or node port keeps the allocated ones. */
  private static void patchAllocatedValues(ObjectNode spec, JsonNode oldSpec) {
    if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
      if (text(spec, "clusterIP").isEmpty() && !text(oldSpec, "clusterIP").isEmpty()) spec.put("clusterIP", text(oldSpec, "clusterIP"));
      if (strings(spec, "clusterIPs").isEmpty() && !strings(oldSpec, "clusterIPs").isEmpty()) {
        setStrings(spec, "clusterIPs", strings(oldSpec, "clusterIPs"));
      }
    }
    if (needsNodePort(oldSpec) && needsNodePort(spec)) {
      Set<Integer> used = new HashSet<>(nodePorts(oldSpec));
      used.retainAll(nodePorts(spec));
      Map<String, Integer> byName = new HashMap<>();
      for (JsonNode port : oldSpec.path("ports")) byName.put(text(port, "name"), port.path("nodePort").asInt(0));
      for (JsonNode port : spec.path("ports")) {
        if (port.path("nodePort").asInt(0) != 0) continue;
        int previous = byName.getOrDefault(text(port, "name"), 0);
        if (previous != 0 && !used.contains(previous)) ((ObjectNode) port).put("nodePort", previous);
      }
    }
    if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec)
        && number(spec, "healthCheckNodePort") == 0 && number(oldSpec, "healthCheckNodePort") != 0) {
      spec.put("healthCheckNodePort", number(oldSpec, "healthCheckNodePort"));
    }
  }

  /** allocClusterIPs: one address per IP family, asked for or free; headless and ExternalName Services get none. */
  private static void allocateClusterIPs(ObjectNode service, ServiceAllocations.Transaction txn) {
    ObjectNode spec = service.withObjectProperty("spec");
    if (!needsClusterIP(spec)) return;
    List<String> clusterIPs = new ArrayList<>(strings(spec, "clusterIPs"));
    if (!clusterIPs.isEmpty() && clusterIPs.get(0).equals("None")) return;
    List<String> families = strings(spec, "ipFamilies");
    for (int i = 0; i < families.size(); i++) {
      if (i >= clusterIPs.size()) clusterIPs.add("");
    }
    String shown = goStrings(clusterIPs);
    for (int i = 0; i < families.size(); i++) {
      String ip = clusterIPs.get(i);
      try {
        if (ip.isEmpty()) {
          clusterIPs.set(i, txn.allocateNextIp());
        } else {
          txn.allocateIp(ip);
        }
      } catch (AllocationException e) {
        if (ip.isEmpty()) throw internalError("failed to allocate a serviceIP: " + e.getMessage());
        throw invalid(service, "spec.clusterIPs", shown, "failed to allocate IP " + ip + ": " + e.getMessage());
      }
    }
    setStrings(spec, "clusterIPs", clusterIPs);
    spec.put("clusterIP", clusterIPs.get(0));
  }

  // ---- node ports ----

  /** initNodePorts: each port gets the node port it asks for, or a free one; ports of one number share it. */
  private static void initNodePorts(ObjectNode service, ServiceAllocations.Transaction txn) {
    JsonNode spec = service.path("spec");
    List<ObjectNode> ports = ports(spec);
    Map<Integer, Integer> byServicePort = new HashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode port = ports.get(i);
      int nodePort = port.path("nodePort").asInt(0);
      if (nodePort == 0 && !shouldAllocateNodePorts(spec)) continue;
      int servicePort = port.path("port").asInt(0);
      int allocated = byServicePort.getOrDefault(servicePort, 0);
      if (allocated == 0) {
        int requested = requestedNodePort(servicePort, ports);
        if (requested != 0) {
          allocateNodePort(service, i, requested, txn);
          port.put("nodePort", requested);
          byServicePort.put(servicePort, requested);
        } else {
          int next = nextNodePort(txn);
          port.put("nodePort", next);
          byServicePort.put(servicePort, next);
        }
      } else if (nodePort != allocated) {
        if (nodePort == 0) port.put("nodePort", allocated);
        else allocateNodePort(service, i, nodePort, txn);
      }
    }
  }

  /** updateNodePorts: node ports the Service had stay its own; new ones are allocated. */
  private static void updateNodePorts(ObjectNode service, JsonNode oldSpec, ServiceAllocations.Transaction txn) {
    JsonNode spec = service.path("spec");
    Set<Integer> old = new HashSet<>(nodePorts(oldSpec));
    Set<Integer> allocatedNow = new HashSet<>();
    Set<String> seen = new HashSet<>();
    List<ObjectNode> ports = ports(spec);
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode port = ports.get(i);
      int nodePort = port.path("nodePort").asInt(0);
      if (nodePort == 0 && !shouldAllocateNodePorts(spec)) continue;
      if (nodePort != 0) {
        if (!old.contains(nodePort) && allocatedNow.add(nodePort)) allocateNodePort(service, i, nodePort, txn);
      } else {
        nodePort = nextNodePort(txn);
        port.put("nodePort", nodePort);
      }
      String protocol = text(port, "protocol");
      if (!seen.add(protocol + "/" + nodePort)) {
        // upstream's allocator fails here with a plain error its API server answers as a 500; what the
        // client sent is at fault, so it gets the 422 that validation would give the same Service
        throw ApiException.invalid("", "Service", service.path("metadata").path("name").asText(), List.of(
            new ApiException.Cause("FieldValueDuplicate", "Duplicate value: " + nodePort, "spec.ports[" + i + "].nodePort")));
      }
    }
  }

  private static void allocateNodePort(ObjectNode service, int index, int nodePort, ServiceAllocations.Transaction txn) {
    try {
      txn.allocateNodePort(nodePort);
    } catch (AllocationException e) {
      throw invalid(service, "spec.ports[" + index + "].nodePort", Integer.toString(nodePort), e.getMessage());
    }
  }

  private static int nextNodePort(ServiceAllocations.Transaction txn) {
    try {
      return txn.allocateNextNodePort();
    } catch (AllocationException e) {
      throw internalError("failed to allocate a nodePort: " + e.getMessage());
    }
  }

  /** allocHealthCheckNodePort: the one asked for, or a free one. */
  private static void allocateHealthCheckNodePort(ObjectNode spec, ServiceAllocations.Transaction txn) {
    int requested = spec.path("healthCheckNodePort").asInt(0);
    if (requested != 0) {
      try {
        txn.allocateNodePort(requested);
      } catch (AllocationException e) {
        throw internalError("failed to allocate requested HealthCheck NodePort " + requested + ": " + e.getMessage());
      }
    } else {
      try {
        spec.put("healthCheckNodePort", txn.allocateNextNodePort());
      } catch (AllocationException e) {
        throw internalError("failed to allocate a HealthCheck NodePort 0: " + e.getMessage());
      }
    }
  }

  /** findRequestedNodePort: the node port named by the first port of that number that names one. */
  private static int requestedNodePort(int servicePort, List<ObjectNode> ports) {
    for (ObjectNode port : ports) {
      if (port.path("port").asInt(0) == servicePort && port.path("nodePort").asInt(0) != 0) return port.path("nodePort").asInt();
    }
    return 0;
  }

  // ---- what a type needs ----

  private static String type(JsonNode spec) {
    return text(spec, "type");
  }

  static boolean needsClusterIP(JsonNode spec) {
    return !type(spec).equals("ExternalName");
  }

  static boolean needsNodePort(JsonNode spec) {
    return type(spec).equals("NodePort") || type(spec).equals("LoadBalancer");
  }

  /** A LoadBalancer that keeps traffic on the node it arrives at needs a health check port. */
  static boolean needsHealthCheckNodePort(JsonNode spec) {
    return type(spec).equals("LoadBalancer") && text(spec, "externalTrafficPolicy").equals("Local");
  }

  private static boolean shouldAllocateNodePorts(JsonNode spec) {
    if (type(spec).equals("NodePort")) return true;
    return type(spec).equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
  }

  private static boolean externallyAccessible(JsonNode spec) {
    return needsNodePort(spec) || (type(spec).equals("ClusterIP") && spec.path("externalIPs").size() > 0);
  }

  // ---- JSON helpers ----

  private static String text(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() ? "" : n.asText();
  }

  private static long number(JsonNode parent, String field) {
    return parent.path(field).asLong(0);
  }

  private static List<String> strings(JsonNode parent, String field) {
    List<String> out = new ArrayList<>();
    parent.path(field).forEach(v -> out.add(v.asText()));
    return out;
  }

  private static void setStrings(ObjectNode parent, String field, List<String> values) {
    ArrayNode array = parent.putArray(field);
    values.forEach(array::add);
  }

  private static List<ObjectNode> ports(JsonNode spec) {
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode port : spec.path("ports")) {
      if (port instanceof ObjectNode o) out.add(o);
    }
    return out;
  }

  /** The non-zero node ports of a spec. */
  private static List<Integer> nodePorts(JsonNode spec) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode port : spec.path("ports")) {
      int nodePort = port.path("nodePort").asInt(0);
      if (nodePort != 0) out.add(nodePort);
    }
    return out;
  }

  /** A []string as Go's %#v prints it (the values here are addresses already checked). */
  private static String goStrings(List<String> values) {
    return "[]string{" + String.join(", ", values.stream().map(v -> "\"" + v + "\"").toList()) + "}";
  }

  private static ApiException invalid(ObjectNode service, String field, String shownValue, String detail) {
    String name = service.path("metadata").path("name").asText();
    return ApiException.invalid("", "Service", name,
        List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: " + shownValue + ": " + detail, field)));
  }

  /** errors.NewInternalError. */
  private static ApiException internalError(String message) {
    return new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null,
        List.of(new ApiException.Cause(null, message, null)));
  }
}
