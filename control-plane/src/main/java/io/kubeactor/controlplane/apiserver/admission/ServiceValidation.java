package io.kubeactor.controlplane.apiserver.admission;

import io.kubeactor.controlplane.api.Syntax;
import static io.kubeactor.controlplane.apiserver.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services (ValidateService in pkg/apis/core/validation). Cluster IP and node port allocation, and
 * the checks tied to them, belong to the Service REST storage, not here.
 */
final class ServiceValidation {
  private ServiceValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final String LOAD_BALANCER_ONLY = "may only be used when `type` is 'LoadBalancer'";

  static void service(JsonNode service, FieldErrors errors) {
    JsonNode spec = service.path("spec");
    String type = text(spec, "type");
    boolean headless = isHeadless(spec);
    List<ObjectNode> ports = Nodes.objects(spec, "ports");
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) errors.required(SPEC.child("ports"), "");
    switch (type) {
      case "LoadBalancer", "NodePort" -> {
        if (headless) {
          errors.invalid(SPEC.child("clusterIPs").index(0), "None", "may not be set to 'None' for " + type + " services");
        }
      }
      case "ExternalName" -> {
        for (String field : List.of("clusterIPs", "ipFamilies")) {
          if (Nodes.size(spec, field) > 0) errors.forbidden(SPEC.child(field), "may not be set for ExternalName services");
        }
        if (Nodes.has(spec, "ipFamilyPolicy")) errors.forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services");
        String cname = text(spec, "externalName");
        if (cname.endsWith(".")) cname = cname.substring(0, cname.length() - 1);
        if (cname.isEmpty()) errors.required(SPEC.child("externalName"), "");
        else errors.invalidEach(SPEC.child("externalName"), cname, Syntax.dns1123Subdomain(cname));
      }
      default -> { }
    }
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) port(ports.get(i), ports.size() > 1, portNames, SPEC.child("ports").index(i), errors);
    MetadataValidation.labels(spec.get("selector"), SPEC.child("selector"), errors);
    sessionAffinity(spec, errors);
    if (type.isEmpty()) errors.required(SPEC.child("type"), "");
    else if (!TYPES.contains(type)) errors.notSupported(SPEC.child("type"), type, TYPES);
    if (type.equals("ClusterIP")) {
      for (int i = 0; i < ports.size(); i++) {
        if (Nodes.number(ports.get(i), "nodePort") != 0) {
          errors.forbidden(SPEC.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'");
        }
      }
    }
    Set<String> nodePorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      long nodePort = Nodes.number(ports.get(i), "nodePort");
      if (nodePort != 0 && !nodePorts.add(text(ports.get(i), "protocol") + "/" + nodePort)) {
        errors.duplicate(SPEC.child("ports").index(i).child("nodePort"), nodePort);
      }
    }
    Set<String> protocolPorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      String protocol = text(ports.get(i), "protocol");
      long port = Nodes.number(ports.get(i), "port");
      if (!protocolPorts.add(protocol + "/" + port)) {
        errors.duplicate(SPEC.child("ports").index(i), GoValue.servicePortKey(protocol, port));
      }
    }
    if (Nodes.size(spec, "loadBalancerSourceRanges") > 0 && !type.equals("LoadBalancer")) {
      errors.forbidden(SPEC.child("LoadBalancerSourceRanges"), LOAD_BALANCER_ONLY);
    }
    if (Nodes.has(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
      errors.forbidden(SPEC.child("allocateLoadBalancerNodePorts"), LOAD_BALANCER_ONLY);
    }
    if (type.equals("LoadBalancer") && !Nodes.has(spec, "allocateLoadBalancerNodePorts")) {
      errors.required(FieldPath.root("allocateLoadBalancerNodePorts"), "");
    }
    trafficPolicies(spec, type, errors);
  }

  private static boolean isHeadless(JsonNode spec) {
    JsonNode clusterIPs = spec.get("clusterIPs");
    if (!Nodes.absent(clusterIPs) && clusterIPs.size() > 0) return clusterIPs.get(0).asText().equals("None");
    return text(spec, "clusterIP").equals("None");
  }

  private static void port(ObjectNode port, boolean requireName, Set<String> names, FieldPath path, FieldErrors errors) {
    String name = text(port, "name");
    if (requireName && name.isEmpty()) {
      errors.required(path.child("name"), "");
    } else if (!name.isEmpty()) {
      errors.invalidEach(path.child("name"), name, Syntax.dns1123Label(name));
      if (!names.add(name)) errors.duplicate(path.child("name"), name);
    }
    long number = Nodes.number(port, "port");
    errors.invalidEach(path.child("port"), number, Syntax.portNumber(number));
    String protocol = text(port, "protocol");
    if (protocol.isEmpty()) errors.required(path.child("protocol"), "");
    else if (!PROTOCOLS.contains(protocol)) errors.notSupported(path.child("protocol"), protocol, PROTOCOLS);
    ContainerValidation.portNumberOrName(port.get("targetPort"), path.child("targetPort"), errors);
    if (Nodes.has(port, "appProtocol")) {
      String appProtocol = text(port, "appProtocol");
      errors.invalidEach(path.child("appProtocol"), appProtocol, Syntax.qualifiedName(appProtocol));
    }
  }

  private static void sessionAffinity(JsonNode spec, FieldErrors errors) {
    String affinity = text(spec, "sessionAffinity");
    FieldPath configPath = SPEC.child("sessionAffinityConfig");
    if (affinity.isEmpty()) errors.required(SPEC.child("sessionAffinity"), "");
    else if (!affinity.equals("ClientIP") && !affinity.equals("None")) {
      errors.notSupported(SPEC.child("sessionAffinity"), affinity, List.of("ClientIP", "None"));
    }
    if (affinity.equals("ClientIP")) {
      String when = "when session affinity type is ClientIP";
      JsonNode config = spec.get("sessionAffinityConfig");
      JsonNode clientIP = Nodes.absent(config) ? null : config.get("clientIP");
      if (Nodes.absent(config)) errors.required(configPath, when);
      else if (Nodes.absent(clientIP)) errors.required(configPath.child("clientIP"), when);
      else if (!Nodes.has(clientIP, "timeoutSeconds")) errors.required(configPath.child("clientIP").child("timeoutSeconds"), when);
      else {
        long timeout = Nodes.number(clientIP, "timeoutSeconds");
        if (timeout <= 0 || timeout > 86400) {
          errors.invalid(configPath.child("clientIP").child("timeoutSeconds"), timeout, "must be greater than 0 and less than 86400");
        }
      }
    } else if (affinity.equals("None") && Nodes.has(spec, "sessionAffinityConfig")) {
      errors.forbidden(configPath, "must not be set when session affinity is None");
    }
  }

  private static void trafficPolicies(JsonNode spec, String type, FieldErrors errors) {
    boolean externallyAccessible = type.equals("LoadBalancer") || type.equals("NodePort")
        || (type.equals("ClusterIP") && Nodes.size(spec, "externalIPs") > 0);
    String external = text(spec, "externalTrafficPolicy");
    if (!externallyAccessible) {
      if (!external.isEmpty()) {
        errors.invalid(SPEC.child("externalTrafficPolicy"), external, "may only be set for externally-accessible services");
      }
    } else if (external.isEmpty()) {
      errors.required(SPEC.child("externalTrafficPolicy"), "");
    } else if (!external.equals("Cluster") && !external.equals("Local")) {
      errors.notSupported(SPEC.child("externalTrafficPolicy"), external, List.of("Cluster", "Local"));
    }
    boolean needsHealthCheck = type.equals("LoadBalancer") && external.equals("Local");
    long healthCheckNodePort = Nodes.number(spec, "healthCheckNodePort");
    if (!needsHealthCheck && healthCheckNodePort != 0) {
      errors.invalid(SPEC.child("healthCheckNodePort"), healthCheckNodePort,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
    }
    String internal = text(spec, "internalTrafficPolicy");
    if (!Nodes.has(spec, "internalTrafficPolicy")) {
      if (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP")) {
        errors.required(SPEC.child("internalTrafficPolicy"), "");
      }
    } else if (!internal.equals("Cluster") && !internal.equals("Local")) {
      errors.notSupported(SPEC.child("internalTrafficPolicy"), internal, List.of("Cluster", "Local"));
    }
    if (Nodes.has(spec, "trafficDistribution") && !text(spec, "trafficDistribution").equals("PreferClose")) {
      errors.notSupported(SPEC.child("trafficDistribution"), text(spec, "trafficDistribution"), List.of("PreferClose"));
    }
  }
}
