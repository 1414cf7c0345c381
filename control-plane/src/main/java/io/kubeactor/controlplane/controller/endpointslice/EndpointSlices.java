package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.client.Informer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * EndpointSlice helpers shared by the EndpointSlice and mirroring controllers
 * (k8s.io/endpointslice utils.go and util/): the labels that tie a slice to its Service and
 * controller, the identity of an endpoint (its hash), the grouping key of a port set.
 */
public final class EndpointSlices {
  private EndpointSlices() {}

  public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";
  public static final String LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  public static final String LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
  public static final String IPV4 = "IPv4";
  public static final String IPV6 = "IPv6";

  /** What identifies an endpoint across syncs (endpointHash): its addresses, hostname and pod. */
  public record EndpointKey(List<String> addresses, String hostname, String namespace, String name) {}

  public static EndpointKey key(Endpoint endpoint) {
    List<String> addresses = new ArrayList<>(endpoint.getAddresses() == null ? List.of() : endpoint.getAddresses());
    addresses.sort(null);
    ObjectReference ref = endpoint.getTargetRef();
    return new EndpointKey(addresses, Objects.requireNonNullElse(endpoint.getHostname(), ""),
        ref == null ? "" : Objects.requireNonNullElse(ref.getNamespace(), ""),
        ref == null ? "" : Objects.requireNonNullElse(ref.getName(), ""));
  }

  /**
   * EndpointsEqualBeyondHash: the same node, zone, conditions and target (its resourceVersion
   * aside), and here also the same hints (the trafficDistribution heuristic's output).
   */
  public static boolean equalBeyondHash(Endpoint a, Endpoint b) {
    EndpointConditions ca = a.getConditions() == null ? new EndpointConditions() : a.getConditions();
    EndpointConditions cb = b.getConditions() == null ? new EndpointConditions() : b.getConditions();
    return Objects.equals(a.getNodeName(), b.getNodeName())
        && Objects.equals(a.getZone(), b.getZone())
        && Objects.equals(ca.getReady(), cb.getReady())
        && Objects.equals(ca.getServing(), cb.getServing())
        && Objects.equals(ca.getTerminating(), cb.getTerminating())
        && sameTarget(a.getTargetRef(), b.getTargetRef())
        && Objects.equals(hintZones(a.getHints()), hintZones(b.getHints()));
  }

  private static boolean sameTarget(ObjectReference a, ObjectReference b) {
    if (a == null || b == null) return a == b;
    return Objects.equals(a.getKind(), b.getKind()) && Objects.equals(a.getNamespace(), b.getNamespace())
        && Objects.equals(a.getName(), b.getName()) && Objects.equals(a.getUid(), b.getUid())
        && Objects.equals(a.getApiVersion(), b.getApiVersion()) && Objects.equals(a.getFieldPath(), b.getFieldPath());
  }

  static List<String> hintZones(EndpointHints hints) {
    if (hints == null || hints.getForZones() == null || hints.getForZones().isEmpty()) return List.of();
    return hints.getForZones().stream().map(z -> String.valueOf(z.getName())).toList();
  }

  /** The key grouping endpoints and slices by their port set, whatever the ports' order (NewPortMapKey). */
  public static String portMapKey(List<EndpointPort> ports) {
    List<String> parts = new ArrayList<>();
    if (ports != null) {
      for (EndpointPort p : ports) {
        parts.add(Objects.requireNonNullElse(p.getName(), "") + "\u0000" + p.getPort() + "\u0000"
            + Objects.requireNonNullElse(p.getProtocol(), "") + "\u0000" + p.getAppProtocol());
      }
    }
    parts.sort(null);
    return String.join("\u0001", parts);
  }

  /** generateName of a Service's slices: "<service>-". */
  public static String namePrefix(String serviceName) {
    return serviceName + "-";
  }

  public static boolean managedBy(EndpointSlice slice, String controllerName) {
    return controllerName.equals(label(slice, LABEL_MANAGED_BY));
  }

  public static String label(EndpointSlice slice, String label) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(label);
  }

  /** The "namespace/name" of the Service (or Endpoints) a slice belongs to, from its label. */
  public static Optional<String> serviceKey(EndpointSlice slice) {
    String service = label(slice, LABEL_SERVICE_NAME);
    if (service == null || service.isEmpty()) return Optional.empty();
    return Optional.of(Informer.key(slice.getMetadata().getNamespace(), service));
  }

  /** Whether one of the slice's owners is the object with this uid, kind and apiVersion. */
  public static boolean ownedBy(EndpointSlice slice, String uid, String kind) {
    List<OwnerReference> refs = slice.getMetadata().getOwnerReferences();
    if (refs == null) return false;
    return refs.stream().anyMatch(r -> Objects.equals(r.getUid(), uid) && kind.equals(r.getKind()) && "v1".equals(r.getApiVersion()));
  }

  /** The trigger time annotation set, or removed when there is no new trigger time. */
  public static void setTriggerTime(EndpointSlice slice, Instant triggerTime) {
    Map<String, String> annotations = slice.getMetadata().getAnnotations() == null
        ? new HashMap<>() : new HashMap<>(slice.getMetadata().getAnnotations());
    if (triggerTime != null) annotations.put(PodEndpoints.TRIGGER_TIME_ANNOTATION, TriggerTimeTracker.format(triggerTime));
    else annotations.remove(PodEndpoints.TRIGGER_TIME_ANNOTATION);
    slice.getMetadata().setAnnotations(annotations);
  }

  /** A deep copy, for changing a slice the informers share. */
  public static EndpointSlice copy(EndpointSlice slice) {
    return Json.fromTree(Json.toTree(slice), EndpointSlice.class);
  }

  public static int size(EndpointSlice slice) {
    return slice.getEndpoints() == null ? 0 : slice.getEndpoints().size();
  }
}
