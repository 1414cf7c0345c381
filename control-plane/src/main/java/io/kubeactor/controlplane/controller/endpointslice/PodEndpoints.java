package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kubeactor.controlplane.controller.Pods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What of a pod goes into a Service's endpoints, shared by the Endpoints and EndpointSlice
 * controllers (k8s.io/endpointslice/util and utils.go: ShouldPodBeInEndpoints, ShouldSetHostname,
 * FindPort).
 */
public final class PodEndpoints {
  private PodEndpoints() {}

  /** The label an Endpoints or EndpointSlice of a headless Service carries. */
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
  public static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

  /**
   * A pod is an endpoint while it has an IP and has not finished; one being deleted only when
   * {@code includeTerminating} (the EndpointSlice controller keeps them, marked terminating).
   */
  public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
    if (Pods.isTerminal(pod)) return false;
    if (ips(pod).isEmpty()) return false;
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  /** A pod's hostname is published when it names one and its subdomain is the Service. */
  public static boolean shouldSetHostname(Pod pod, Service service) {
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    String subdomain = pod.getSpec() == null ? null : pod.getSpec().getSubdomain();
    return hostname != null && !hostname.isEmpty()
        && Objects.equals(subdomain, service.getMetadata().getName())
        && Objects.equals(service.getMetadata().getNamespace(), pod.getMetadata().getNamespace());
  }

  /** status.podIPs, or status.podIP alone (the v1 conversion fills one from the other). */
  public static List<String> ips(Pod pod) {
    List<String> out = new ArrayList<>();
    if (pod.getStatus() == null) return out;
    List<PodIP> podIPs = pod.getStatus().getPodIPs();
    if (podIPs != null) {
      for (PodIP ip : podIPs) {
        if (ip.getIp() != null && !ip.getIp().isEmpty()) out.add(ip.getIp());
      }
    }
    String podIP = pod.getStatus().getPodIP();
    if (out.isEmpty() && podIP != null && !podIP.isEmpty()) out.add(podIP);
    return out;
  }

  /**
   * The container port a Service port reaches on the pod: a numeric targetPort as is; a named one
   * looked up among the containers' (and restartable init containers') ports of the same protocol.
   */
  public static OptionalInt findPort(Pod pod, ServicePort servicePort) {
    IntOrString target = servicePort.getTargetPort();
    if (target == null) return OptionalInt.empty();
    if (target.getStrVal() == null) {
      return target.getIntVal() == null ? OptionalInt.empty() : OptionalInt.of(target.getIntVal());
    }
    String name = target.getStrVal();
    String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
    if (pod.getSpec() == null) return OptionalInt.empty();
    for (Container c : pod.getSpec().getContainers()) {
      OptionalInt p = namedPort(c, name, protocol);
      if (p.isPresent()) return p;
    }
    for (Container c : pod.getSpec().getInitContainers()) {
      if (!"Always".equals(c.getRestartPolicy())) continue;
      OptionalInt p = namedPort(c, name, protocol);
      if (p.isPresent()) return p;
    }
    return OptionalInt.empty();
  }

  private static OptionalInt namedPort(Container c, String name, String protocol) {
    for (ContainerPort port : c.getPorts()) {
      String portProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      if (name.equals(port.getName()) && protocol.equals(portProtocol) && port.getContainerPort() != null) {
        return OptionalInt.of(port.getContainerPort());
      }
    }
    return OptionalInt.empty();
  }

  /** The Service's selector; a Service without one (or with an empty one) selects nothing here. */
  public static Optional<Map<String, String>> selector(Service service) {
    Map<String, String> s = service.getSpec() == null ? null : service.getSpec().getSelector();
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** Services of type ExternalName get no endpoints from the controllers. */
  public static boolean isExternalName(Service service) {
    return service.getSpec() != null && "ExternalName".equals(service.getSpec().getType());
  }

  /** The Service has a cluster IP (is not headless): helper.IsServiceIPSet. */
  public static boolean isServiceIPSet(Service service) {
    String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    return ip != null && !ip.isEmpty() && !ip.equals("None");
  }

  public static boolean isHeadless(Service service) {
    return service.getSpec() != null && "None".equals(service.getSpec().getClusterIP());
  }
}
