package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Resolves an Ingress's Service backend to nginx upstream servers: the ready endpoints of the
 * Service's EndpointSlices at the slice port that carries the Service port (matched by name), as
 * ingress-nginx's getEndpointsFromSlices (internal/ingress/controller/endpointslices.go); never the
 * ClusterIP.
 */
final class BackendResolver {

  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  // what nginx takes as an upstream's name (the API server's validation of names ensures it)
  private static final Pattern UPSTREAM_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

  /**
   * A backend: its upstream name, the servers ("address:port", sorted; empty when the Service has
   * no ready endpoint) and the problem found (null when none).
   */
  record Backend(String upstream, List<String> servers, String problem) {}

  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, List<EndpointSlice>> slices = new HashMap<>();

  BackendResolver(List<Service> services, List<EndpointSlice> endpointSlices) {
    for (Service service : services) {
      this.services.put(key(service.getMetadata().getNamespace(), service.getMetadata().getName()), service);
    }
    for (EndpointSlice slice : endpointSlices) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      String serviceName = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
      if (serviceName != null) {
        slices.computeIfAbsent(key(slice.getMetadata().getNamespace(), serviceName), k -> new ArrayList<>()).add(slice);
      }
    }
  }

  /** ctrl/util.go upstreamName: namespace-service-port (the port's number, else its name). */
  static String upstreamName(String namespace, IngressServiceBackend backend) {
    var port = backend.getPort();
    if (port != null && port.getNumber() != null && port.getNumber() > 0) {
      return namespace + "-" + backend.getName() + "-" + port.getNumber();
    }
    if (port != null && port.getName() != null && !port.getName().isEmpty()) {
      return namespace + "-" + backend.getName() + "-" + port.getName();
    }
    return namespace + "-INVALID";
  }

  Backend resolve(String namespace, IngressServiceBackend backend) {
    String upstream = upstreamName(namespace, backend);
    if (!UPSTREAM_NAME.matcher(upstream).matches()) {
      return new Backend(upstream, List.of(), "the backend " + upstream + " is not a valid upstream name");
    }
    String serviceKey = key(namespace, backend.getName());
    Service service = services.get(serviceKey);
    if (service == null) {
      return new Backend(
          upstream,
          List.of(),
          "Error obtaining Endpoints for Service \"" + serviceKey + "\": no object matching key \"" + serviceKey
              + "\" in local store");
    }
    ServicePort servicePort = servicePort(service, backend);
    if (servicePort == null) {
      var port = backend.getPort();
      Object wanted = port == null ? null : port.getNumber() != null ? port.getNumber() : port.getName();
      return new Backend(upstream, List.of(), "Service \"" + serviceKey + "\" does not have any port " + wanted);
    }
    TreeSet<String> servers = new TreeSet<>();
    for (EndpointSlice slice : slices.getOrDefault(serviceKey, List.of())) {
      int targetPort = targetPort(slice, servicePort);
      if (targetPort <= 0 || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint endpoint : slice.getEndpoints()) {
        // nil counts as ready, as upstream
        boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
        if (ready && endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
          String address = endpoint.getAddresses().get(0);
          if (address == null || address.contains("/") || !Cidrs.isValid(address)) {
            continue;
          }
          servers.add((address.contains(":") ? "[" + address + "]" : address) + ":" + targetPort);
        }
      }
    }
    return new Backend(upstream, List.copyOf(servers), null);
  }

  /** The Service port an Ingress backend names: its number, its targetPort or its name (ctrl/controller.go serviceEndpoints). */
  private static ServicePort servicePort(Service service, IngressServiceBackend backend) {
    if (service.getSpec() == null || service.getSpec().getPorts() == null || backend.getPort() == null) {
      return null;
    }
    Integer number = backend.getPort().getNumber();
    String wanted = number != null && number > 0 ? String.valueOf(number) : backend.getPort().getName();
    if (wanted == null || wanted.isEmpty()) {
      return null;
    }
    for (ServicePort port : service.getSpec().getPorts()) {
      var target = port.getTargetPort();
      String targetPort = target == null ? null : target.getIntVal() != null ? String.valueOf(target.getIntVal()) : target.getStrVal();
      if (wanted.equals(String.valueOf(port.getPort())) || wanted.equals(targetPort) || wanted.equals(port.getName())) {
        return port;
      }
    }
    return null;
  }

  /** The slice's port for the Service port: by name (optional when the Service has one port), TCP. */
  private static int targetPort(EndpointSlice slice, ServicePort servicePort) {
    if (slice.getPorts() == null) {
      return 0;
    }
    String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
    String name = servicePort.getName() == null ? "" : servicePort.getName();
    for (EndpointPort port : slice.getPorts()) {
      String portProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      String portName = port.getName() == null ? "" : port.getName();
      if (protocol.equals(portProtocol) && port.getPort() != null && (name.isEmpty() || Objects.equals(name, portName))) {
        return port.getPort();
      }
    }
    var target = servicePort.getTargetPort();
    return target != null && target.getIntVal() != null ? target.getIntVal() : 0;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
