package io.kubeactor.controlplane.controller.endpointslicemirroring;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.controller.endpointslice.EndpointSlices;
import io.kubeactor.controlplane.controller.endpointslice.PodEndpoints;
import io.kubeactor.controlplane.controller.endpointslice.SliceChanges;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The mirroring reconciler (pkg/controller/endpointslicemirroring reconciler.go), as a pure
 * computation: the EndpointSlices that mirror a user's Endpoints — one slice per address type and
 * port set, at most {@code maxEndpointsPerSubset} addresses of a subset, ready addresses ready and
 * not-ready ones not, the Endpoints' labels and annotations copied, owned by the Endpoints. A slice
 * already equal to what is wanted is left alone.
 */
final class MirroredSlices {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** The slices to write, and what was left out (invalid IPs; addresses over the per-subset limit). */
  record Result(SliceChanges.Plan plan, int invalidAddresses, int addressesSkipped) {}

  private final String controllerName;
  private final int maxEndpointsPerSubset;

  MirroredSlices(String controllerName, int maxEndpointsPerSubset) {
    this.controllerName = controllerName;
    this.maxEndpointsPerSubset = maxEndpointsPerSubset;
  }

  Result compute(Endpoints endpoints, List<EndpointSlice> existingSlices) {
    Map<String, LinkedHashMap<EndpointSlices.EndpointKey, Endpoint>> desiredByKey = new LinkedHashMap<>();
    Map<String, List<EndpointPort>> portsByKey = new HashMap<>();
    int invalid = 0;
    int skipped = 0;
    for (EndpointSubset subset : endpoints.getSubsets() == null ? List.<EndpointSubset>of() : endpoints.getSubsets()) {
      List<EndpointPort> ports = ports(subset);
      for (String type : List.of(EndpointSlices.IPV4, EndpointSlices.IPV6)) {
        desiredByKey.computeIfAbsent(key(type, ports), k -> new LinkedHashMap<>());
        portsByKey.put(key(type, ports), ports);
      }
      int total = size(subset.getAddresses()) + size(subset.getNotReadyAddresses());
      int added = 0;
      for (boolean ready : new boolean[] {true, false}) {
        for (EndpointAddress address : nonNull(ready ? subset.getAddresses() : subset.getNotReadyAddresses())) {
          // a subset maps to one slice: at most this many of its addresses are mirrored
          if (added >= maxEndpointsPerSubset) break;
          if (!IpAddresses.isValid(address.getIp())) {
            invalid++;
            continue;
          }
          String type = IpAddresses.isIPv4(address.getIp()) ? EndpointSlices.IPV4 : EndpointSlices.IPV6;
          Endpoint endpoint = endpoint(address, ready);
          desiredByKey.get(key(type, ports)).put(EndpointSlices.key(endpoint), endpoint);
          added++;
        }
      }
      skipped += total - added;
    }

    Map<String, List<EndpointSlice>> existingByKey = new LinkedHashMap<>();
    List<EndpointSlice> sorted = new ArrayList<>(existingSlices);
    sorted.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    for (EndpointSlice s : sorted) existingByKey.computeIfAbsent(key(s.getAddressType(), s.getPorts()), k -> new ArrayList<>()).add(s);

    List<EndpointSlice> create = new ArrayList<>();
    List<EndpointSlice> update = new ArrayList<>();
    List<EndpointSlice> delete = new ArrayList<>();
    desiredByKey.forEach((key, desired) -> byPortMapping(endpoints, existingByKey.getOrDefault(key, List.of()), desired,
        portsByKey.get(key), key.substring(0, key.indexOf('/')), create, update, delete));
    existingByKey.forEach((key, slices) -> {
      if (!desiredByKey.containsKey(key)) delete.addAll(slices);
    });
    recycle(create, update, delete);
    return new Result(new SliceChanges.Plan(create, update, delete, List.of()), invalid, skipped);
  }

  private void byPortMapping(Endpoints endpoints, List<EndpointSlice> existing,
      LinkedHashMap<EndpointSlices.EndpointKey, Endpoint> desired, List<EndpointPort> ports, String type,
      List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    if (desired.isEmpty()) {
      delete.addAll(existing);
      return;
    }
    String name = null;
    String resourceVersion = null;
    if (!existing.isEmpty()) {
      delete.addAll(existing.subList(1, existing.size()));
      EndpointSlice first = existing.get(0);
      if (matches(first, desired) && sameMetadata(endpoints, first)) return;
      name = first.getMetadata().getName();
      resourceVersion = first.getMetadata().getResourceVersion();
    }
    EndpointSlice slice = newSlice(endpoints, ports, type, name);
    slice.getMetadata().setResourceVersion(resourceVersion);
    Iterator<Endpoint> it = desired.values().iterator();
    while (it.hasNext() && slice.getEndpoints().size() < maxEndpointsPerSubset) slice.getEndpoints().add(it.next());
    (name != null ? update : create).add(slice);
  }

  /** totalChanges is zero: the slice holds exactly the wanted endpoints, in their wanted state. */
  private static boolean matches(EndpointSlice slice, Map<EndpointSlices.EndpointKey, Endpoint> desired) {
    int found = 0;
    for (Endpoint e : slice.getEndpoints()) {
      Endpoint want = desired.get(EndpointSlices.key(e));
      if (want == null || !EndpointSlices.equalBeyondHash(want, e)) return false;
      found++;
    }
    return found == desired.size();
  }

  /** The slice carries the Endpoints' labels and annotations (the trigger time and kubectl's aside). */
  private static boolean sameMetadata(Endpoints endpoints, EndpointSlice slice) {
    Map<String, String> sliceLabels = new HashMap<>(orEmpty(slice.getMetadata().getLabels()));
    sliceLabels.remove(EndpointSlices.LABEL_MANAGED_BY);
    sliceLabels.remove(EndpointSlices.LABEL_SERVICE_NAME);
    return sliceLabels.equals(orEmpty(endpoints.getMetadata().getLabels()))
        && mirroredAnnotations(endpoints).equals(orEmpty(slice.getMetadata().getAnnotations()));
  }

  private EndpointSlice newSlice(Endpoints endpoints, List<EndpointPort> ports, String type, String name) {
    EndpointSlice s = new EndpointSlice();
    s.setApiVersion("discovery.k8s.io/v1");
    s.setKind("EndpointSlice");
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(endpoints.getMetadata().getNamespace());
    if (name == null) meta.setGenerateName(EndpointSlices.namePrefix(endpoints.getMetadata().getName()));
    else meta.setName(name);
    meta.setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Endpoints")
        .withName(endpoints.getMetadata().getName()).withUid(endpoints.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build())));
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(endpoints.getMetadata().getLabels()));
    labels.put(EndpointSlices.LABEL_SERVICE_NAME, endpoints.getMetadata().getName());
    labels.put(EndpointSlices.LABEL_MANAGED_BY, controllerName);
    meta.setLabels(labels);
    meta.setAnnotations(mirroredAnnotations(endpoints));
    s.setMetadata(meta);
    s.setAddressType(type);
    s.setPorts(new ArrayList<>(ports));
    s.setEndpoints(new ArrayList<>());
    return s;
  }

  private static Map<String, String> mirroredAnnotations(Endpoints endpoints) {
    Map<String, String> out = new LinkedHashMap<>(orEmpty(endpoints.getMetadata().getAnnotations()));
    out.remove(PodEndpoints.TRIGGER_TIME_ANNOTATION);
    out.remove(LAST_APPLIED);
    return out;
  }

  /** addressToEndpoint: the canonical IP, readiness only, and the address's target, node and hostname. */
  private static Endpoint endpoint(EndpointAddress address, boolean ready) {
    Endpoint e = new Endpoint();
    e.setAddresses(new ArrayList<>(List.of(IpAddresses.canonical(address.getIp()))));
    e.setConditions(new EndpointConditions(ready, null, null));
    if (address.getTargetRef() != null) e.setTargetRef(Json.fromTree(Json.toTree(address.getTargetRef()), address.getTargetRef().getClass()));
    if (address.getNodeName() != null) e.setNodeName(address.getNodeName());
    if (address.getHostname() != null && !address.getHostname().isEmpty()) e.setHostname(address.getHostname());
    return e;
  }

  private static List<EndpointPort> ports(EndpointSubset subset) {
    List<EndpointPort> out = new ArrayList<>();
    for (io.fabric8.kubernetes.api.model.EndpointPort p : nonNull(subset.getPorts())) {
      out.add(new EndpointPort(p.getAppProtocol(), Objects.requireNonNullElse(p.getName(), ""), p.getPort(),
          Objects.requireNonNullElse(p.getProtocol(), "TCP")));
    }
    return out;
  }

  /** recycleSlices: per address type, creates become updates of slices that would be deleted. */
  private static void recycle(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    for (String type : List.of(EndpointSlices.IPV4, EndpointSlices.IPV6)) {
      List<EndpointSlice> creates = create.stream().filter(s -> type.equals(s.getAddressType())).toList();
      List<EndpointSlice> deletes = delete.stream().filter(s -> type.equals(s.getAddressType())).toList();
      for (int i = 0; i < creates.size() && i < deletes.size(); i++) {
        EndpointSlice slice = creates.get(i);
        EndpointSlice old = deletes.get(i);
        create.remove(slice);
        delete.remove(old);
        slice.getMetadata().setName(old.getMetadata().getName());
        slice.getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
        update.add(slice);
      }
    }
  }

  private static String key(String addressType, List<EndpointPort> ports) {
    return addressType + "/" + EndpointSlices.portMapKey(ports);
  }

  private static int size(List<?> l) {
    return l == null ? 0 : l.size();
  }

  private static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
