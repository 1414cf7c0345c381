package io.kubeactor.ingress;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each served Ingress's {@code status.loadBalancer.ingress}, as ingress-nginx's status sync writes it
 * (internal/ingress/status): the addresses given by --publish-status-address, else those of the nodes
 * that run a ready pod of this controller (a node's ExternalIP, else its InternalIP), sorted. Only the
 * leader writes (ingress-nginx elects one by a Lease), so that the pods of a DaemonSet do not race.
 */
final class IngressStatusUpdater {

  private static final Logger log = LoggerFactory.getLogger(IngressStatusUpdater.class);
  private static final Pattern IPV4_OR_V6 = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+");

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> controllerLabels;
  private final List<String> publishedAddresses;

  /**
   * @param controllerLabels the labels of this controller's pods (this pod's own)
   * @param publishedAddresses --publish-status-address, or empty
   */
  IngressStatusUpdater(KubernetesClient client, String namespace, Map<String, String> controllerLabels,
      List<String> publishedAddresses) {
    this.client = client;
    this.namespace = namespace;
    this.controllerLabels = controllerLabels;
    this.publishedAddresses = publishedAddresses;
  }

  /** Brings every served Ingress's status to the current addresses; a failed write waits for the next sync. */
  void update(List<Ingress> served) {
    List<IngressLoadBalancerIngress> addresses = addresses();
    for (Ingress ingress : served) {
      IngressStatus status = ingress.getStatus();
      List<IngressLoadBalancerIngress> current = status == null || status.getLoadBalancer() == null
          ? List.of() : Objects.requireNonNullElse(status.getLoadBalancer().getIngress(), List.of());
      if (current.equals(addresses)) continue;
      Ingress updated = new io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder(ingress)
          .withStatus(new IngressStatus(new IngressLoadBalancerStatus(addresses))).build();
      try {
        client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace()).resource(updated).updateStatus();
        log.info("updated the status of Ingress {}/{} to {}", ingress.getMetadata().getNamespace(),
            ingress.getMetadata().getName(), addresses.stream().map(a -> a.getIp() != null ? a.getIp() : a.getHostname()).toList());
      } catch (KubernetesClientException e) {
        log.warn("could not update the status of Ingress {}/{}: {}", ingress.getMetadata().getNamespace(),
            ingress.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private List<IngressLoadBalancerIngress> addresses() {
    TreeSet<String> found = new TreeSet<>(publishedAddresses);
    if (found.isEmpty()) {
      for (Pod pod : client.pods().inNamespace(namespace).withLabels(controllerLabels).list().getItems()) {
        if (!ready(pod) || pod.getSpec().getNodeName() == null) continue;
        Node node = client.nodes().withName(pod.getSpec().getNodeName()).get();
        String address = node == null ? null : nodeAddress(node);
        if (address != null) found.add(address);
      }
    }
    List<IngressLoadBalancerIngress> out = new ArrayList<>();
    for (String a : found) {
      IngressLoadBalancerIngressBuilder b = new IngressLoadBalancerIngressBuilder();
      out.add(IPV4_OR_V6.matcher(a).matches() ? b.withIp(a).build() : b.withHostname(a).build());
    }
    return out;
  }

  private static boolean ready(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) return false;
    for (PodCondition c : Objects.requireNonNullElse(pod.getStatus().getConditions(), List.<PodCondition>of())) {
      if ("Ready".equals(c.getType())) return "True".equals(c.getStatus());
    }
    return false;
  }

  /** ExternalIP first, then InternalIP, as ingress-nginx's nodeAddress. */
  private static String nodeAddress(Node node) {
    List<NodeAddress> addresses = node.getStatus() == null ? List.of()
        : Objects.requireNonNullElse(node.getStatus().getAddresses(), List.of());
    for (String type : List.of("ExternalIP", "InternalIP")) {
      for (NodeAddress a : addresses) {
        if (type.equals(a.getType())) return a.getAddress();
      }
    }
    return null;
  }
}
