package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.controller.Pods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The EndpointSlice reconciler of k8s.io/endpointslice (reconciler.go), as a pure computation: from
 * a Service, the pods it selects and its current slices, the slices to create, update and delete.
 * Endpoints are grouped by their resolved port set; in each group, existing slices keep the
 * endpoints still wanted (updated in place when their conditions changed), slices that changed are
 * filled up first, then the leftover endpoints go into the unchanged slice they fill best, else into
 * new slices of at most {@code maxEndpointsPerSlice}. A Service without endpoints keeps one empty
 * placeholder slice; a slice that would be deleted is reused for one that would be created.
 */
public final class SliceChanges {

  /** What to write: the slices to create (generateName set), to update and to delete. */
  public record Plan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete,
      List<String> errors) {
    public boolean isEmpty() {
      return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }
  }

  private static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private final String controllerName;
  private final int maxEndpointsPerSlice;

  public SliceChanges(String controllerName, int maxEndpointsPerSlice) {
    this.controllerName = controllerName;
    this.maxEndpointsPerSlice = maxEndpointsPerSlice;
  }

  /**
   * The changes for a Service: {@code pods} are those its selector matches, {@code existing} the
   * slices this controller manages for it (none being deleted), {@code nodes} looks a node up by name.
   */
  public Plan compute(Service service, List<Pod> pods, List<EndpointSlice> existing, Function<String, Node> nodes) {
    List<String> supported = addressTypes(service);
    List<EndpointSlice> unsupported = new ArrayList<>();
    Map<String, List<EndpointSlice>> byType = new HashMap<>();
    for (EndpointSlice s : sortedByName(existing)) {
      if (supported.contains(s.getAddressType())) byType.computeIfAbsent(s.getAddressType(), t -> new ArrayList<>()).add(s);
      else unsupported.add(s);
    }
    List<Pod> sortedPods = new ArrayList<>(pods);
    sortedPods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    Plan out = new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (String type : supported) {
      Plan p = byAddressType(service, sortedPods, byType.getOrDefault(type, List.of()), type, nodes);
      out.create().addAll(p.create());
      out.update().addAll(p.update());
      out.delete().addAll(p.delete());
      out.errors().addAll(p.errors());
    }
    out.delete().addAll(unsupported);
    return out;
  }

  private Plan byAddressType(Service service, List<Pod> pods, List<EndpointSlice> existing, String type,
      Function<String, Node> nodes) {
    List<EndpointSlice> create = new ArrayList<>();
    List<EndpointSlice> update = new ArrayList<>();
    List<EndpointSlice> delete = new ArrayList<>();
    List<String> errors = new ArrayList<>();

    Map<String, List<EndpointSlice>> existingByPorts = new LinkedHashMap<>();
    for (EndpointSlice s : existing) {
      if (ownedByService(s, service)) existingByPorts.computeIfAbsent(EndpointSlices.portMapKey(s.getPorts()), k -> new ArrayList<>()).add(s);
      else delete.add(s);
    }

    Map<String, List<EndpointPort>> portsByKey = new LinkedHashMap<>();
    Map<String, LinkedHashMap<EndpointSlices.EndpointKey, Endpoint>> desiredByKey = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!PodEndpoints.shouldBeInEndpoints(pod, true)) continue;
      List<EndpointPort> ports = endpointPorts(service, pod);
      String key = EndpointSlices.portMapKey(ports);
      LinkedHashMap<EndpointSlices.EndpointKey, Endpoint> desired = desiredByKey.computeIfAbsent(key, k -> new LinkedHashMap<>());
      portsByKey.putIfAbsent(key, ports);
      String nodeName = Pods.nodeName(pod);
      Node node = nodeName == null || nodeName.isEmpty() ? null : nodes.apply(nodeName);
      if (node == null && !publishNotReady(service)) {
        // retried; the slices are still written without the pod, so a missing node cannot stall them
        errors.add("skipping Pod " + pod.getMetadata().getName() + " for Service " + service.getMetadata().getNamespace()
            + "/" + service.getMetadata().getName() + ": Node " + Objects.requireNonNullElse(nodeName, "") + " Not Found");
        continue;
      }
      Endpoint endpoint = podToEndpoint(pod, node, service, type);
      if (!endpoint.getAddresses().isEmpty()) desired.put(EndpointSlices.key(endpoint), endpoint);
    }

    desiredByKey.forEach((key, desired) -> {
      byPortMapping(service, existingByPorts.getOrDefault(key, List.of()), desired, portsByKey.get(key), type,
          create, update, delete);
    });
    existingByPorts.forEach((key, slices) -> {
      if (!desiredByKey.containsKey(key)) delete.addAll(slices);
    });

    // a Service without endpoints still has one slice: an empty placeholder
    if (existing.size() == delete.size() && create.isEmpty()) {
      EndpointSlice placeholder = newSlice(service, List.of(), type);
      if (delete.size() == 1 && samePlaceholder(delete.get(0), placeholder)) delete.clear();
      else create.add(placeholder);
    }

    recycle(service, create, update, delete);
    return new Plan(create, update, delete, errors);
  }

  /** reconcileByPortMapping: the slices of one port set, brought to the desired endpoints. */
  private void byPortMapping(Service service, List<EndpointSlice> existing,
      LinkedHashMap<EndpointSlices.EndpointKey, Endpoint> desired, List<EndpointPort> ports, String type,
      List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    Map<String, EndpointSlice> byName = new LinkedHashMap<>();
    Set<String> unchanged = new LinkedHashSet<>();
    Set<String> toUpdate = new LinkedHashSet<>();
    Set<String> toDelete = new LinkedHashSet<>();

    // 1. keep the wanted endpoints of each slice, with their current state
    for (EndpointSlice slice : existing) {
      String name = slice.getMetadata().getName();
      byName.put(name, slice);
      List<Endpoint> kept = new ArrayList<>();
      boolean endpointChanged = false;
      List<Endpoint> current = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
      for (Endpoint endpoint : current) {
        Endpoint want = desired.remove(EndpointSlices.key(endpoint));
        if (want == null) continue;
        kept.add(want);
        if (!EndpointSlices.equalBeyondHash(want, endpoint)) endpointChanged = true;
      }
      Labels labels = labels(slice, service);
      if (endpointChanged || kept.size() != current.size()) {
        if (kept.isEmpty()) {
          toDelete.add(name);
        } else {
          EndpointSlice copy = EndpointSlices.copy(slice);
          copy.setEndpoints(kept);
          copy.getMetadata().setLabels(labels.labels());
          byName.put(name, copy);
          toUpdate.add(name);
        }
      } else if (labels.changed()) {
        EndpointSlice copy = EndpointSlices.copy(slice);
        copy.setEndpoints(new ArrayList<>(current));
        copy.getMetadata().setLabels(labels.labels());
        byName.put(name, copy);
        toUpdate.add(name);
      } else {
        unchanged.add(name);
      }
    }

    // 2. fill the slices being updated anyway, fullest first
    if (!desired.isEmpty() && !toUpdate.isEmpty()) {
      List<EndpointSlice> slices = new ArrayList<>(toUpdate.stream().map(byName::get).toList());
      slices.sort(Comparator.comparingInt(EndpointSlices::size).reversed());
      for (EndpointSlice slice : slices) {
        while (!desired.isEmpty() && slice.getEndpoints().size() < maxEndpointsPerSlice) slice.getEndpoints().add(pop(desired));
      }
    }

    // 3. the rest into the unchanged slice they fill best, else into new slices
    while (!desired.isEmpty()) {
      EndpointSlice fill = null;
      if (desired.size() < maxEndpointsPerSlice && !unchanged.isEmpty()) {
        fill = sliceToFill(unchanged.stream().map(byName::get).toList(), desired.size());
      }
      if (fill == null) {
        fill = newSlice(service, ports, type);
      } else {
        fill = EndpointSlices.copy(fill);
        if (fill.getEndpoints() == null) fill.setEndpoints(new ArrayList<>());
        byName.put(fill.getMetadata().getName(), fill);
      }
      while (!desired.isEmpty() && fill.getEndpoints().size() < maxEndpointsPerSlice) fill.getEndpoints().add(pop(desired));
      if (fill.getMetadata().getName() != null) {
        toUpdate.add(fill.getMetadata().getName());
        unchanged.remove(fill.getMetadata().getName());
      } else {
        create.add(fill);
      }
    }
    toUpdate.forEach(n -> update.add(byName.get(n)));
    toDelete.forEach(n -> delete.add(byName.get(n)));
  }

  /** getSliceToFill: the slice left closest to full once the endpoints are added. */
  private EndpointSlice sliceToFill(List<EndpointSlice> slices, int count) {
    int closestDiff = maxEndpointsPerSlice;
    EndpointSlice closest = null;
    for (EndpointSlice s : slices) {
      int diff = maxEndpointsPerSlice - (count + EndpointSlices.size(s));
      if (diff >= 0 && diff < closestDiff) {
        closestDiff = diff;
        closest = s;
        if (diff == 0) return closest;
      }
    }
    return closest;
  }

  /**
   * trafficDistribution PreferClose (trafficdist): a ready endpoint with a zone is hinted for its
   * zone; otherwise, and for Services without it, no hints.
   */
  private static EndpointHints hintFor(Service service, boolean ready, String zone) {
    boolean preferClose = service.getSpec() != null && "PreferClose".equals(service.getSpec().getTrafficDistribution());
    if (!preferClose || !ready || zone == null || zone.isEmpty()) return null;
    return new EndpointHints(null, List.of(new ForZone(zone)));
  }

  /** finalize: a create becomes an update of a slice that would be deleted (same type, same Service). */
  private static void recycle(Service service, List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    Iterator<EndpointSlice> it = delete.iterator();
    while (it.hasNext() && !create.isEmpty()) {
      EndpointSlice old = it.next();
      EndpointSlice slice = create.get(create.size() - 1);
      if (Objects.equals(old.getAddressType(), slice.getAddressType()) && ownedByService(old, service)) {
        slice.getMetadata().setName(old.getMetadata().getName());
        slice.getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
        create.remove(create.size() - 1);
        update.add(slice);
        it.remove();
      }
    }
  }

  /** podToEndpoint: conditions as upstream computes them, the pod's addresses of the type, its node and zone. */
  static Endpoint podToEndpoint(Pod pod, Node node, Service service, String addressType) {
    boolean serving = Pods.isReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    // a terminating pod is never "ready", unless the Service publishes not-ready addresses
    boolean ready = publishNotReady(service) || (serving && !terminating);
    Endpoint e = new Endpoint();
    List<String> addresses = new ArrayList<>();
    for (String ip : PodEndpoints.ips(pod)) {
      if (!IpAddresses.isValid(ip)) continue;
      boolean v6 = IpAddresses.isIPv6(ip);
      if (v6 == EndpointSlices.IPV6.equals(addressType)) addresses.add(IpAddresses.canonical(ip));
    }
    e.setAddresses(addresses);
    e.setConditions(new EndpointConditions(ready, serving, terminating));
    e.setTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
    String nodeName = Pods.nodeName(pod);
    if (nodeName != null && !nodeName.isEmpty()) e.setNodeName(nodeName);
    String zone = node == null || node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(ZONE_LABEL);
    if (zone != null && !zone.isEmpty()) e.setZone(zone);
    if (PodEndpoints.shouldSetHostname(pod, service)) e.setHostname(pod.getSpec().getHostname());
    e.setHints(hintFor(service, ready, e.getZone()));
    return e;
  }

  /** getEndpointPorts: each Service port the pod has (a named target port it lacks is left out). */
  static List<EndpointPort> endpointPorts(Service service, Pod pod) {
    List<EndpointPort> out = new ArrayList<>();
    List<ServicePort> ports = service.getSpec().getPorts();
    if ((ports == null || ports.isEmpty()) && PodEndpoints.isHeadless(service)) return out;
    if (ports == null) return out;
    for (ServicePort sp : ports) {
      OptionalInt port = PodEndpoints.findPort(pod, sp);
      if (port.isEmpty()) continue;
      out.add(new EndpointPort(sp.getAppProtocol(), Objects.requireNonNullElse(sp.getName(), ""), port.getAsInt(),
          Objects.requireNonNullElse(sp.getProtocol(), "TCP")));
    }
    return out;
  }

  /** newEndpointSlice: generateName "<service>-", the Service's labels and a controller reference to it. */
  EndpointSlice newSlice(Service service, List<EndpointPort> ports, String addressType) {
    EndpointSlice s = new EndpointSlice();
    s.setApiVersion("discovery.k8s.io/v1");
    s.setKind("EndpointSlice");
    s.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    s.getMetadata().setGenerateName(EndpointSlices.namePrefix(service.getMetadata().getName()));
    s.getMetadata().setNamespace(service.getMetadata().getNamespace());
    s.getMetadata().setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("Service").withName(service.getMetadata().getName())
        .withUid(service.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())));
    s.getMetadata().setLabels(labels(s, service).labels());
    s.setAddressType(addressType);
    s.setPorts(new ArrayList<>(ports));
    s.setEndpoints(new ArrayList<>());
    return s;
  }

  /** A slice's labels and whether the Service's (non-reserved) labels differ from the slice's. */
  record Labels(Map<String, String> labels, boolean changed) {}

  /**
   * setEndpointSliceLabels: the Service's labels, the headless label for a headless Service, and the
   * reserved service-name and managed-by labels; changes of reserved labels alone do not count.
   */
  Labels labels(EndpointSlice slice, Service service) {
    Map<String, String> sliceLabels = new TreeMap<>();
    Map<String, String> current = slice.getMetadata().getLabels();
    if (current != null) current.forEach((k, v) -> {
      if (!reserved(k)) sliceLabels.put(k, v);
    });
    Map<String, String> out = new TreeMap<>();
    Map<String, String> serviceLabels = service.getMetadata().getLabels();
    if (serviceLabels != null) serviceLabels.forEach((k, v) -> {
      if (!reserved(k)) out.put(k, v);
    });
    boolean changed = !sliceLabels.equals(out);
    if (!PodEndpoints.isServiceIPSet(service)) out.put(PodEndpoints.HEADLESS_LABEL, "");
    out.put(EndpointSlices.LABEL_SERVICE_NAME, service.getMetadata().getName());
    out.put(EndpointSlices.LABEL_MANAGED_BY, controllerName);
    return new Labels(new LinkedHashMap<>(out), changed);
  }

  private static boolean reserved(String label) {
    return label.equals(EndpointSlices.LABEL_SERVICE_NAME) || label.equals(EndpointSlices.LABEL_MANAGED_BY)
        || label.equals(PodEndpoints.HEADLESS_LABEL);
  }

  /** placeholderSliceCompare: namespace, labels, address type, and no ports or endpoints. */
  private static boolean samePlaceholder(EndpointSlice existing, EndpointSlice placeholder) {
    Map<String, String> labels = existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
    return Objects.equals(existing.getMetadata().getNamespace(), placeholder.getMetadata().getNamespace())
        && labels.equals(placeholder.getMetadata().getLabels())
        && Objects.equals(existing.getAddressType(), placeholder.getAddressType())
        && (existing.getPorts() == null || existing.getPorts().isEmpty())
        && EndpointSlices.size(existing) == 0;
  }

  private static boolean ownedByService(EndpointSlice slice, Service service) {
    return EndpointSlices.ownedBy(slice, service.getMetadata().getUid(), "Service");
  }

  private static boolean publishNotReady(Service service) {
    return service.getSpec() != null && Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
  }

  /**
   * getAddressTypesForService: the Service's IP families; without them the family of its cluster
   * IP; a headless Service without families gets both.
   */
  static List<String> addressTypes(Service service) {
    Set<String> out = new LinkedHashSet<>();
    List<String> families = service.getSpec().getIpFamilies();
    if (families != null) {
      for (String f : families) {
        if ("IPv4".equals(f)) out.add(EndpointSlices.IPV4);
        if ("IPv6".equals(f)) out.add(EndpointSlices.IPV6);
      }
    }
    if (!out.isEmpty()) return List.copyOf(out);
    if (PodEndpoints.isServiceIPSet(service)) {
      return List.of(IpAddresses.isIPv6(service.getSpec().getClusterIP()) ? EndpointSlices.IPV6 : EndpointSlices.IPV4);
    }
    return List.of(EndpointSlices.IPV4, EndpointSlices.IPV6);
  }

  private static List<EndpointSlice> sortedByName(List<EndpointSlice> slices) {
    List<EndpointSlice> out = new ArrayList<>(slices);
    out.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    return out;
  }

  private static Endpoint pop(LinkedHashMap<EndpointSlices.EndpointKey, Endpoint> set) {
    Iterator<Map.Entry<EndpointSlices.EndpointKey, Endpoint>> it = set.entrySet().iterator();
    Endpoint e = it.next().getValue();
    it.remove();
    return e;
  }
}
