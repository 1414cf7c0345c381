package io.kubeactor.controlplane.controller.systemservices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Endpoints and EndpointSlice of a selectorless Service the control plane itself serves (the
 * {@code kubernetes} Service, the cluster DNS), pointing at the address and ports it actually
 * listens on, written as kube-apiserver's endpoint reconciler writes the kubernetes Service's
 * (pkg/controlplane/reconcilers/endpointsadapter.go): the Endpoints labelled
 * {@code endpointslice.kubernetes.io/skip-mirror: "true"} so that no mirroring controller copies
 * them, and an EndpointSlice of the Service's name labelled only
 * {@code kubernetes.io/service-name}, with one ready endpoint. Other slices labelled with the
 * Service's name go.
 *
 * <p>What is published is remembered: {@link SystemServicesController} writes it again when
 * someone changes or deletes these objects.
 */
public final class ControlPlaneEndpoints {

  static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
  static final String SERVICE_NAME = "kubernetes.io/service-name";

  /** A named port of the Service and the port actually listened on (protocol TCP, UDP or SCTP). */
  public record Port(String name, int port, String protocol) {}

  private record Published(String namespace, String service, String address, List<Port> ports) {}

  private final ApiWriter writer;
  private final FreshRead fresh;
  private final ResourceType endpoints;
  private final ResourceType slices;
  private final Map<String, Published> published = new ConcurrentHashMap<>();

  public ControlPlaneEndpoints(ApiWriter writer, FreshRead fresh, ResourceRegistry types) {
    this.writer = writer;
    this.fresh = fresh;
    this.endpoints = types.find("/api/v1", "endpoints").orElseThrow();
    this.slices = types.find("/apis/discovery.k8s.io/v1", "endpointslices").orElseThrow();
  }

  /**
   * Points the Service's Endpoints and EndpointSlice at the address and ports, now and from now on;
   * completes when both say so.
   */
  public CompletionStage<Void> publish(String namespace, String service, String address, List<Port> ports) {
    if (IpAddresses.parse(address) == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("not an IP address: " + address));
    }
    published.put(Informer.key(namespace, service), new Published(namespace, service, address, List.copyOf(ports)));
    return restore(Informer.key(namespace, service));
  }

  /** The "namespace/name" of every Service published here. */
  Set<String> published() {
    return published.keySet();
  }

  /** Writes what was published for the Service again where the objects differ from it; nothing if none was. */
  CompletionStage<Void> restore(String key) {
    Published p = published.get(key);
    if (p == null) return CompletableFuture.completedFuture(null);
    if (IpAddresses.parse(p.address()).isLoopbackAddress()) {
      // nothing in the cluster can reach a loopback address, and Endpoints may not name one (as
      // upstream's validation says): the Service has no endpoints until an address is advertised
      return delete(endpoints, p.namespace(), p.service()).thenCompose(done -> delete(slices, p.namespace(), p.service()))
          .thenCompose(done -> deleteOtherSlices(p));
    }
    return writeEndpoints(p).thenCompose(done -> writeSlice(p)).thenCompose(done -> deleteOtherSlices(p));
  }

  private CompletionStage<Void> writeEndpoints(Published p) {
    ObjectNode labels = Json.object().put(SKIP_MIRROR, "true");
    ObjectNode subset = Json.object();
    subset.putArray("addresses").addObject().put("ip", p.address());
    ArrayNode ports = subset.putArray("ports");
    for (Port port : p.ports()) ports.addObject().put("name", port.name()).put("port", port.port()).put("protocol", port.protocol());
    ArrayNode subsets = Json.MAPPER.createArrayNode().add(subset);
    return ensure(endpoints, p, current -> labels.equals(current.path("metadata").path("labels")) && subsets.equals(current.get("subsets")),
        object -> {
          object.withObjectProperty("metadata").set("labels", labels.deepCopy());
          object.set("subsets", subsets.deepCopy());
        });
  }

  private CompletionStage<Void> writeSlice(Published p) {
    ObjectNode labels = Json.object().put(SERVICE_NAME, p.service());
    String addressType = IpAddresses.isIPv6(p.address()) ? "IPv6" : "IPv4";
    ArrayNode addresses = Json.MAPPER.createArrayNode();
    ObjectNode endpoint = addresses.addObject();
    endpoint.putArray("addresses").add(p.address());
    endpoint.putObject("conditions").put("ready", true);
    ArrayNode ports = Json.MAPPER.createArrayNode();
    for (Port port : p.ports()) ports.addObject().put("name", port.name()).put("protocol", port.protocol()).put("port", port.port());
    return ensure(slices, p,
        current -> labels.equals(current.path("metadata").path("labels")) && addressType.equals(current.path("addressType").asText())
            && addresses.equals(current.get("endpoints")) && ports.equals(current.get("ports")),
        object -> {
          object.withObjectProperty("metadata").set("labels", labels.deepCopy());
          object.put("addressType", addressType);
          object.set("endpoints", addresses.deepCopy());
          object.set("ports", ports.deepCopy());
        });
  }

  /** Creates the object named like the Service, or updates it where {@code same} says it differs. */
  private CompletionStage<Void> ensure(ResourceType type, Published p, java.util.function.Predicate<JsonNode> same,
      java.util.function.Consumer<ObjectNode> set) {
    ObjectNode current = fresh.get(type, p.namespace(), p.service());
    if (current != null && same.test(current)) return CompletableFuture.completedFuture(null);
    if (current == null) {
      ObjectNode object = Json.object().put("apiVersion", type.apiVersion()).put("kind", type.kind());
      object.putObject("metadata").put("name", p.service()).put("namespace", p.namespace());
      set.accept(object);
      return writer.create(type, p.namespace(), object).<Void>thenApply(created -> null)
          .exceptionallyCompose(e -> ApiException.hasCode(e, 409)
              ? ensure(type, p, same, set) : CompletableFuture.failedFuture(ApiException.unwrap(e)));
    }
    return writer.guaranteedUpdate(type, p.namespace(), p.service(), object -> {
      set.accept(object);
      return object;
    }).<Void>thenApply(updated -> null)
        .exceptionallyCompose(e -> ApiException.hasCode(e, 404)
            ? ensure(type, p, same, set) : CompletableFuture.failedFuture(ApiException.unwrap(e)));
  }

  private CompletionStage<Void> delete(ResourceType type, String namespace, String name) {
    if (!fresh.exists(type, namespace, name)) return CompletableFuture.completedFuture(null);
    return writer.delete(type, namespace, name, new DeleteOptions(null, null, null, null, false)).<Void>thenApply(d -> null)
        .exceptionallyCompose(e -> ApiException.hasCode(e, 404)
            ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(ApiException.unwrap(e)));
  }

  /** Slices of the Service that are not the one written here: stale as far as the control plane knows. */
  private CompletionStage<Void> deleteOtherSlices(Published p) {
    List<CompletableFuture<?>> deletions = new ArrayList<>();
    for (ObjectNode slice : fresh.list(slices, p.namespace())) {
      String name = slice.path("metadata").path("name").asText();
      if (name.equals(p.service()) || !p.service().equals(slice.path("metadata").path("labels").path(SERVICE_NAME).asText(null))) continue;
      deletions.add(writer.delete(slices, p.namespace(), name, new DeleteOptions(null, null, null, null, false))
          .toCompletableFuture()
          .exceptionallyCompose(e -> ApiException.hasCode(e, 404)
              ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(ApiException.unwrap(e))));
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new));
  }
}
