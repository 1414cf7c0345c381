package io.kubeactor.controlplane.controller.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.kubeactor.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Endpoints subsets as pkg/api/v1/endpoints packs them, so equal sets of endpoints always look the
 * same and a sync that changes nothing writes nothing: addresses offering the same ports share a
 * subset; an address not ready on some port is not ready there; addresses sorted by IP then pod
 * uid. Upstream orders ports and subsets by an MD5 of Go's object dump; here they are ordered by
 * their content (name, port, protocol; then the subset's canonical form), equally stable.
 */
public final class EndpointSubsets {
  private EndpointSubsets() {}

  /** kube-controller-manager's maxCapacity: an Endpoints keeps at most this many addresses. */
  public static final int MAX_CAPACITY = 1000;

  private record AddressKey(String ip, String uid) {}

  private record PortKey(String name, int port, String protocol, String appProtocol) {
    static final PortKey NONE = new PortKey("", -1, "", null);

    static PortKey of(EndpointPort p) {
      return new PortKey(Objects.requireNonNullElse(p.getName(), ""), p.getPort() == null ? 0 : p.getPort(),
          Objects.requireNonNullElse(p.getProtocol(), ""), p.getAppProtocol());
    }
  }

  /** RepackSubsets: the canonical layout of the same endpoints. */
  public static List<EndpointSubset> repack(List<EndpointSubset> subsets) {
    Map<AddressKey, EndpointAddress> allAddresses = new LinkedHashMap<>();
    Map<PortKey, EndpointPort> ports = new LinkedHashMap<>();
    Map<PortKey, Map<AddressKey, Boolean>> readyByPort = new LinkedHashMap<>();
    for (EndpointSubset s : subsets) {
      List<EndpointPort> subsetPorts = s.getPorts() == null ? List.of() : s.getPorts();
      if (subsetPorts.isEmpty()) {
        // endpoints without ports (a headless Service) are kept under a sentinel port
        mapByPort(s, PortKey.NONE, allAddresses, readyByPort);
      } else {
        for (EndpointPort p : subsetPorts) {
          PortKey k = PortKey.of(p);
          ports.putIfAbsent(k, p);
          mapByPort(s, k, allAddresses, readyByPort);
        }
      }
    }
    // ports offered by the same addresses (with the same readiness) form one subset
    Map<String, Map<AddressKey, Boolean>> addressesByGroup = new LinkedHashMap<>();
    Map<String, List<EndpointPort>> portsByGroup = new LinkedHashMap<>();
    readyByPort.forEach((port, addresses) -> {
      String group = groupKey(addresses);
      addressesByGroup.put(group, addresses);
      List<EndpointPort> groupPorts = portsByGroup.computeIfAbsent(group, g -> new ArrayList<>());
      if (port != PortKey.NONE) groupPorts.add(copyPort(ports.get(port)));
    });
    List<EndpointSubset> out = new ArrayList<>();
    portsByGroup.forEach((group, groupPorts) -> {
      List<EndpointAddress> ready = new ArrayList<>();
      List<EndpointAddress> notReady = new ArrayList<>();
      addressesByGroup.get(group).forEach((key, isReady) -> (isReady ? ready : notReady).add(copyAddress(allAddresses.get(key))));
      ready.sort(ADDRESS_ORDER);
      notReady.sort(ADDRESS_ORDER);
      groupPorts.sort(PORT_ORDER);
      EndpointSubset subset = new EndpointSubset();
      subset.setAddresses(ready);
      subset.setNotReadyAddresses(notReady);
      subset.setPorts(groupPorts);
      out.add(subset);
    });
    out.sort(Comparator.comparing(s -> Json.toTree(s).toString()));
    return out;
  }

  private static void mapByPort(EndpointSubset s, PortKey port, Map<AddressKey, EndpointAddress> all,
      Map<PortKey, Map<AddressKey, Boolean>> readyByPort) {
    for (EndpointAddress a : nonNull(s.getAddresses())) mapAddress(a, port, true, all, readyByPort);
    for (EndpointAddress a : nonNull(s.getNotReadyAddresses())) mapAddress(a, port, false, all, readyByPort);
  }

  private static void mapAddress(EndpointAddress a, PortKey port, boolean ready, Map<AddressKey, EndpointAddress> all,
      Map<PortKey, Map<AddressKey, Boolean>> readyByPort) {
    AddressKey key = new AddressKey(a.getIp(), a.getTargetRef() == null ? "" : Objects.requireNonNullElse(a.getTargetRef().getUid(), ""));
    all.putIfAbsent(key, a);
    Map<AddressKey, Boolean> addresses = readyByPort.computeIfAbsent(port, p -> new LinkedHashMap<>());
    // not ready on one listing of the port wins over ready on another
    Boolean was = addresses.get(key);
    if (was == null || was) addresses.put(key, ready);
  }

  private static String groupKey(Map<AddressKey, Boolean> addresses) {
    List<String> parts = new ArrayList<>();
    addresses.forEach((k, ready) -> parts.add(k.ip() + "\u0000" + k.uid() + "\u0000" + ready));
    parts.sort(null);
    return String.join("\u0001", parts);
  }

  /** LessEndpointAddress: by IP (bytewise), then by the target's uid (none first). */
  static final Comparator<EndpointAddress> ADDRESS_ORDER = (a, b) -> {
    int c = Arrays.compare(bytes(a.getIp()), bytes(b.getIp()));
    if (c != 0) return c;
    String ua = a.getTargetRef() == null ? null : a.getTargetRef().getUid();
    String ub = b.getTargetRef() == null ? null : b.getTargetRef().getUid();
    if (ua == null || ub == null) return ua == null ? (ub == null ? 0 : -1) : 1;
    return ua.compareTo(ub);
  };

  static final Comparator<EndpointPort> PORT_ORDER = Comparator
      .comparing((EndpointPort p) -> Objects.requireNonNullElse(p.getName(), ""))
      .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
      .thenComparing(p -> Objects.requireNonNullElse(p.getProtocol(), ""))
      .thenComparing(p -> Objects.requireNonNullElse(p.getAppProtocol(), ""));

  private static byte[] bytes(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  /** The number of addresses, ready or not. */
  public static int count(List<EndpointSubset> subsets) {
    int n = 0;
    for (EndpointSubset s : subsets) n += nonNull(s.getAddresses()).size() + nonNull(s.getNotReadyAddresses()).size();
    return n;
  }

  /**
   * truncateEndpoints: over {@code capacity} addresses, each subset keeps its share of the capacity
   * (rounded up), ready addresses first; returns whether anything was cut.
   */
  public static boolean truncate(List<EndpointSubset> subsets, int capacity) {
    int totalReady = 0;
    int totalNotReady = 0;
    for (EndpointSubset s : subsets) {
      totalReady += nonNull(s.getAddresses()).size();
      totalNotReady += nonNull(s.getNotReadyAddresses()).size();
    }
    if (totalReady + totalNotReady <= capacity) return false;
    boolean truncateReady = totalReady > capacity;
    int max = truncateReady ? capacity : capacity - totalReady;
    int total = truncateReady ? totalReady : totalNotReady;
    int canBeAdded = max;
    for (EndpointSubset s : subsets) {
      int inSubset = truncateReady ? nonNull(s.getAddresses()).size() : nonNull(s.getNotReadyAddresses()).size();
      int toBeAdded = (int) Math.ceil((double) inSubset / (double) total * (double) max);
      if (toBeAdded > canBeAdded) toBeAdded = canBeAdded;
      if (truncateReady) {
        s.setAddresses(first(s.getAddresses(), toBeAdded));
        s.setNotReadyAddresses(new ArrayList<>());
        canBeAdded -= s.getAddresses().size();
      } else {
        s.setNotReadyAddresses(first(s.getNotReadyAddresses(), toBeAdded));
        canBeAdded -= s.getNotReadyAddresses().size();
      }
    }
    return true;
  }

  /** Whether two lists of subsets are the same, ignoring the targets' resourceVersions. */
  public static boolean sameIgnoringResourceVersion(List<EndpointSubset> a, List<EndpointSubset> b) {
    return canonical(a).equals(canonical(b));
  }

  private static JsonNode canonical(List<EndpointSubset> subsets) {
    JsonNode tree = Json.MAPPER.valueToTree(subsets == null ? List.of() : subsets);
    for (JsonNode subset : tree) {
      for (String field : List.of("addresses", "notReadyAddresses")) {
        for (JsonNode address : subset.path(field)) {
          if (address.path("targetRef") instanceof ObjectNode ref) ref.remove("resourceVersion");
        }
      }
    }
    return tree;
  }

  private static <T> List<T> first(List<T> list, int n) {
    List<T> l = nonNull(list);
    return new ArrayList<>(l.size() <= n ? l : l.subList(0, n));
  }

  private static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static EndpointAddress copyAddress(EndpointAddress a) {
    return Json.fromTree(Json.toTree(a), EndpointAddress.class);
  }

  private static EndpointPort copyPort(EndpointPort p) {
    return Json.fromTree(Json.toTree(p), EndpointPort.class);
  }
}
