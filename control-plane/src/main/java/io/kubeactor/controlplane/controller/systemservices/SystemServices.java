package io.kubeactor.controlplane.controller.systemservices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.registry.service.ServiceNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The selectorless Services the control plane serves itself: {@code kubernetes} in default, as
 * kube-apiserver's kubernetesservice controller makes it (the range's first address, port 443
 * "https" to the API server's port, labels component=apiserver and provider=kubernetes), and
 * {@code kube-dns} in kube-system, as kubeadm's CoreDNS addon makes it (the range's tenth
 * address, ports dns 53/UDP, dns-tcp 53/TCP and metrics 9153/TCP) but without a selector, its
 * server being the control plane's. Their Endpoints and EndpointSlices are {@link ControlPlaneEndpoints}'.
 */
public final class SystemServices {

  public static final String KUBERNETES = "default/kubernetes";
  public static final String KUBE_DNS = "kube-system/kube-dns";

  private final ApiWriter writer;
  private final FreshRead fresh;
  private final ResourceType services;
  private final ServiceNetwork network;
  private final int apiPort;

  /** @param apiPort the port the API server listens on: the kubernetes Service's targetPort */
  public SystemServices(ApiWriter writer, FreshRead fresh, ResourceRegistry types, ServiceNetwork network, int apiPort) {
    this.writer = writer;
    this.fresh = fresh;
    this.services = types.find("/api/v1", "services").orElseThrow();
    this.network = network;
    this.apiPort = apiPort;
  }

  /** The "namespace/name" of each. */
  public List<String> keys() {
    return List.of(KUBERNETES, KUBE_DNS);
  }

  /** The Service as the control plane makes it. */
  public ObjectNode manifest(String key) {
    ObjectNode s = Json.object().put("apiVersion", "v1").put("kind", "Service");
    ObjectNode meta = s.putObject("metadata").put("name", Informer.nameOfKey(key)).put("namespace", Informer.namespaceOfKey(key));
    ObjectNode spec = s.putObject("spec");
    switch (key) {
      case KUBERNETES -> {
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        spec.put("type", "ClusterIP").put("clusterIP", network.kubernetesServiceIp()).put("ipFamilyPolicy", "SingleStack")
            .put("sessionAffinity", "None");
        spec.putArray("ports").addObject().put("name", "https").put("protocol", "TCP").put("port", 443).put("targetPort", apiPort);
      }
      case KUBE_DNS -> {
        meta.putObject("labels").put("k8s-app", "kube-dns").put("kubernetes.io/cluster-service", "true")
            .put("kubernetes.io/name", "CoreDNS");
        meta.putObject("annotations").put("prometheus.io/port", "9153").put("prometheus.io/scrape", "true");
        spec.put("clusterIP", network.dnsServiceIp());
        ArrayNode ports = spec.putArray("ports");
        ports.addObject().put("name", "dns").put("port", 53).put("protocol", "UDP").put("targetPort", 53);
        ports.addObject().put("name", "dns-tcp").put("port", 53).put("protocol", "TCP").put("targetPort", 53);
        ports.addObject().put("name", "metrics").put("port", 9153).put("protocol", "TCP").put("targetPort", 9153);
      }
      default -> throw new IllegalArgumentException("no system Service " + key);
    }
    return s;
  }

  /**
   * Creates each Service that is missing; with {@code repair}, as kube-apiserver does when it
   * starts, also puts back the type and ports of one that has others.
   */
  public CompletionStage<Void> ensure(boolean repair) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (String key : keys()) all.add(ensure(key, repair).toCompletableFuture());
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** Creates the Service if missing, and with {@code repair} puts its type and ports right. */
  public CompletionStage<Void> ensure(String key, boolean repair) {
    String namespace = Informer.namespaceOfKey(key);
    String name = Informer.nameOfKey(key);
    ObjectNode wanted = manifest(key);
    ObjectNode current = fresh.get(services, namespace, name);
    if (current == null) {
      return writer.create(services, namespace, wanted).<Void>thenApply(created -> null)
          .exceptionallyCompose(e -> ApiException.hasCode(e, 409)
              ? ensure(key, repair) : CompletableFuture.failedFuture(ApiException.unwrap(e)));
    }
    if (!repair || rightFormat(current, wanted)) return CompletableFuture.completedFuture(null);
    return writer.guaranteedUpdate(services, namespace, name, s -> {
      ObjectNode spec = s.withObjectProperty("spec");
      spec.put("type", wanted.at("/spec/type").asText("ClusterIP"));
      spec.set("ports", wanted.at("/spec/ports").deepCopy());
      return s;
    }).thenApply(updated -> null);
  }

  /** checkServiceFormat: the type and every port as the control plane makes them. */
  private static boolean rightFormat(JsonNode current, ObjectNode wanted) {
    JsonNode spec = current.path("spec");
    if (!spec.path("type").asText("ClusterIP").equals(wanted.at("/spec/type").asText("ClusterIP"))) return false;
    return spec.path("ports").equals(wanted.at("/spec/ports"));
  }
}
