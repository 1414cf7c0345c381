package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.Syntax;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services: ValidateService, ValidateServiceUpdate and ValidateServiceStatusUpdate of
 * pkg/apis/core/validation, in their order. They run on the object the Service REST storage has
 * prepared (clusterIP and clusterIPs in step, IP families set, cluster IPs and node ports
 * allocated); the allocation itself and its errors belong to that storage (registry/service).
 */
public final class ServiceValidation {
  private ServiceValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final FieldPath ANNOTATIONS = FieldPath.root("metadata").child("annotations");
  private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
  private static final List<String> IP_FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
  private static final List<String> IP_MODES = List.of("Proxy", "VIP");
  private static final String LOAD_BALANCER_ONLY = "may only be used when `type` is 'LoadBalancer'";
  private static final String TOPOLOGY_MODE = "service.kubernetes.io/topology-mode";
  private static final String TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints";
  private static final String SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges";
  private static final String NOT_CHANGEABLE = "may not change once set";

  /** ValidateService (the object metadata is checked by the caller). */
  public static void service(JsonNode service, FieldErrors errors) {
    JsonNode annotations = service.path("metadata").path("annotations");
    if (annotations.has(TOPOLOGY_MODE) && annotations.has(TOPOLOGY_HINTS)
        && !text(annotations, TOPOLOGY_MODE).equals(text(annotations, TOPOLOGY_HINTS))) {
      errors.invalid(ANNOTATIONS.key(TOPOLOGY_MODE), text(annotations, TOPOLOGY_MODE),
          "must match annotations[" + TOPOLOGY_HINTS + "] when both are specified");
    }
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
        if (Nodes.size(spec, "clusterIPs") > 0) errors.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services");
        if (Nodes.size(spec, "ipFamilies") > 0) errors.forbidden(SPEC.child("ipFamilies"), "may not be set for ExternalName services");
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
    if (Nodes.has(spec, "selector")) MetadataValidation.labels(spec.get("selector"), SPEC.child("selector"), errors);
    sessionAffinity(spec, errors);
    clusterIPsRelatedFields(spec, errors);
    externalIPs(spec, errors);
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
    sourceRanges(service, type, errors);
    if (Nodes.has(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
      errors.forbidden(SPEC.child("allocateLoadBalancerNodePorts"), LOAD_BALANCER_ONLY);
    }
    if (type.equals("LoadBalancer") && !Nodes.has(spec, "allocateLoadBalancerNodePorts")) {
      errors.required(FieldPath.root("allocateLoadBalancerNodePorts"), "");
    }
    loadBalancerClass(null, spec, errors);
    trafficPolicies(spec, type, errors);
  }

  /** What ValidateServiceUpdate checks before ValidateService. */
  public static void serviceUpdate(JsonNode service, JsonNode oldService, FieldErrors errors) {
    JsonNode spec = service.path("spec");
    JsonNode old = oldService.path("spec");
    upgradeDowngradeClusterIPs(old, spec, errors);
    upgradeDowngradeIPFamilies(old, spec, errors);
    loadBalancerClass(old, spec, errors);
    if (needsHealthCheck(old) && needsHealthCheck(spec)
        && Nodes.number(spec, "healthCheckNodePort") != Nodes.number(old, "healthCheckNodePort")) {
      errors.forbidden(SPEC.child("healthCheckNodePort"), Syntax.FIELD_IMMUTABLE);
    }
  }

  /** ValidateLoadBalancerStatus, as ValidateServiceStatusUpdate runs it (the metadata is checked by the caller). */
  public static void status(JsonNode service, FieldErrors errors) {
    FieldPath ingressPath = FieldPath.root("status").child("loadBalancer").child("ingress");
    List<ObjectNode> ingresses = Nodes.objects(service.path("status").path("loadBalancer"), "ingress");
    if (!text(service.path("spec"), "type").equals("LoadBalancer") && !ingresses.isEmpty()) {
      errors.forbidden(ingressPath, "may only be used when `spec.type` is 'LoadBalancer'");
      return;
    }
    for (int i = 0; i < ingresses.size(); i++) {
      ObjectNode ingress = ingresses.get(i);
      FieldPath path = ingressPath.index(i);
      String ip = text(ingress, "ip");
      if (!ip.isEmpty() && !IpAddresses.isValid(ip)) errors.invalid(path.child("ip"), ip, IpAddresses.INVALID_IP);
      boolean hasMode = Nodes.has(ingress, "ipMode");
      if (!hasMode) {
        if (!ip.isEmpty()) errors.required(path.child("ipMode"), "must be specified when `ip` is set");
      } else if (ip.isEmpty()) {
        errors.forbidden(path.child("ipMode"), "may not be specified when `ip` is not set");
      } else if (!IP_MODES.contains(text(ingress, "ipMode"))) {
        errors.notSupported(path.child("ipMode"), text(ingress, "ipMode"), IP_MODES);
      }
      String hostname = text(ingress, "hostname");
      if (!hostname.isEmpty()) {
        errors.invalidEach(path.child("hostname"), hostname, Syntax.dns1123Subdomain(hostname));
        if (IpAddresses.isValid(hostname)) errors.invalid(path.child("hostname"), hostname, "must be a DNS name, not an IP address");
      }
    }
  }

  /** isHeadlessService of the validation: exactly one cluster IP, "None". */
  private static boolean isHeadless(JsonNode spec) {
    JsonNode clusterIPs = spec.get("clusterIPs");
    return clusterIPs != null && clusterIPs.size() == 1 && clusterIPs.get(0).asText().equals("None");
  }

  /**
   * ValidateServiceClusterIPsRelatedFields: clusterIP and clusterIPs in step, valid addresses, at
   * most one per family, and families and policy from the supported values.
   */
  static void clusterIPsRelatedFields(JsonNode spec, FieldErrors errors) {
    if (text(spec, "type").equals("ExternalName")) return;
    FieldPath clusterIPsPath = SPEC.child("clusterIPs");
    List<String> clusterIPs = MetadataValidation.strings(spec.get("clusterIPs"));
    GoValue.Literal shown = GoValue.stringSlice(spec.get("clusterIPs"));
    if (!text(spec, "clusterIP").isEmpty()) {
      if (clusterIPs.isEmpty()) errors.required(clusterIPsPath, "");
      else if (!clusterIPs.get(0).equals(text(spec, "clusterIP"))) errors.invalid(clusterIPsPath, shown, "first value must match `clusterIP`");
    } else if (!clusterIPs.isEmpty()) {
      errors.invalid(clusterIPsPath, shown, "must be empty when `clusterIP` is not specified");
    }
    List<String> families = MetadataValidation.strings(spec.get("ipFamilies"));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < families.size(); i++) {
      String family = families.get(i);
      if (!IP_FAMILIES.contains(family)) errors.notSupported(SPEC.child("ipFamilies").index(i), family, IP_FAMILIES);
      if (!seen.add(family)) errors.duplicate(SPEC.child("ipFamilies").index(i), family);
    }
    if (Nodes.has(spec, "ipFamilyPolicy") && !IP_FAMILY_POLICIES.contains(text(spec, "ipFamilyPolicy"))) {
      errors.notSupported(SPEC.child("ipFamilyPolicy"), text(spec, "ipFamilyPolicy"), IP_FAMILY_POLICIES);
    }
    boolean invalidIPs = false;
    for (int i = 0; i < clusterIPs.size(); i++) {
      String ip = clusterIPs.get(i);
      if (i == 0 && ip.equals("None")) {
        if (clusterIPs.size() > 1) {
          invalidIPs = true;
          errors.invalid(clusterIPsPath, shown, "'None' must be the first and only value");
        }
        continue;
      }
      if (!IpAddresses.isValid(ip)) {
        invalidIPs = true;
        errors.invalid(clusterIPsPath.index(i), ip, IpAddresses.INVALID_IP);
      }
    }
    if (clusterIPs.size() > 2) errors.invalid(clusterIPsPath, shown, "may only hold up to 2 values");
    if (invalidIPs) return;
    if (clusterIPs.size() > 1) {
      boolean v4 = clusterIPs.stream().anyMatch(IpAddresses::isIPv4);
      boolean v6 = clusterIPs.stream().anyMatch(IpAddresses::isIPv6);
      if (!(v4 && v6)) errors.invalid(clusterIPsPath, shown, "may specify no more than one IP for each IP family");
    }
    if (!isHeadless(spec) && !clusterIPs.isEmpty() && !families.isEmpty()) {
      for (int i = 0; i < clusterIPs.size() && i < families.size(); i++) {
        String ip = clusterIPs.get(i);
        if (families.get(i).equals("IPv4") && IpAddresses.isIPv6(ip)) {
          errors.invalid(clusterIPsPath.index(i), ip, "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`");
        }
        if (families.get(i).equals("IPv6") && !IpAddresses.isIPv6(ip)) {
          errors.invalid(clusterIPsPath.index(i), ip, "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`");
        }
      }
    }
  }

  /** validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes; only single-stack may drop the secondary. */
  private static void upgradeDowngradeClusterIPs(JsonNode old, JsonNode spec, FieldErrors errors) {
    if (text(spec, "type").equals("ExternalName") || text(old, "type").equals("ExternalName")) return;
    if (isHeadless(old) && isHeadless(spec)) return;
    List<String> before = MetadataValidation.strings(old.get("clusterIPs"));
    List<String> after = MetadataValidation.strings(spec.get("clusterIPs"));
    GoValue.Literal shown = GoValue.stringSlice(spec.get("clusterIPs"));
    FieldPath path = SPEC.child("clusterIPs");
    if (before.size() == after.size()) {
      for (int i = 0; i < before.size(); i++) {
        if (!before.get(i).equals(after.get(i))) errors.invalid(path.index(i), shown, NOT_CHANGEABLE);
      }
    } else if (before.size() > after.size()) {
      if (after.isEmpty()) errors.invalid(path.index(0), shown, "primary clusterIP can not be unset");
      if (!before.isEmpty() && !after.isEmpty() && !after.get(0).equals(before.get(0))) {
        errors.invalid(path.index(0), shown, NOT_CHANGEABLE);
      }
      if (after.size() == 1 && !text(spec, "ipFamilyPolicy").equals("SingleStack")) {
        errors.invalid(SPEC.child("ipFamilyPolicy"), policy(spec), "must be set to 'SingleStack' when releasing the secondary clusterIP");
      }
    } else if (!before.isEmpty() && !after.get(0).equals(before.get(0))) {
      errors.invalid(path.index(0), shown, NOT_CHANGEABLE);
    }
  }

  /** validateUpgradeDowngradeIPFamilies, with upstream's values as it reports them. */
  private static void upgradeDowngradeIPFamilies(JsonNode old, JsonNode spec, FieldErrors errors) {
    if (text(spec, "type").equals("ExternalName") || text(old, "type").equals("ExternalName")) return;
    if (isHeadless(old) != isHeadless(spec) || isHeadless(spec)) return;
    List<String> before = MetadataValidation.strings(old.get("ipFamilies"));
    List<String> after = MetadataValidation.strings(spec.get("ipFamilies"));
    FieldPath first = SPEC.child("ipFamilies").index(0);
    GoValue.Literal families = families(spec.get("ipFamilies"));
    GoValue.Literal clusterIPs = GoValue.stringSlice(spec.get("clusterIPs"));
    if (before.size() == after.size()) {
      for (int i = 0; i < before.size(); i++) {
        if (!before.get(i).equals(after.get(i))) errors.invalid(first, families, NOT_CHANGEABLE);
      }
    } else if (before.size() > after.size()) {
      if (Nodes.size(spec, "clusterIPs") == 0) errors.invalid(first, families, "primary ipFamily can not be unset");
      if (!after.isEmpty() && !after.get(0).equals(before.get(0))) errors.invalid(first, clusterIPs, NOT_CHANGEABLE);
      if (after.size() == 1 && !text(spec, "ipFamilyPolicy").equals("SingleStack")) {
        errors.invalid(SPEC.child("ipFamilyPolicy"), policy(spec), "must be set to 'SingleStack' when releasing the secondary ipFamily");
      }
    } else if (!before.isEmpty() && !after.isEmpty() && !after.get(0).equals(before.get(0))) {
      errors.invalid(first, clusterIPs, NOT_CHANGEABLE);
    }
  }

  /** A *IPFamilyPolicy as an error shows it: the quoted value, or "null". */
  private static Object policy(JsonNode spec) {
    return Nodes.has(spec, "ipFamilyPolicy") ? text(spec, "ipFamilyPolicy") : null;
  }

  /** A []core.IPFamily as {@code %#v} prints it. */
  private static GoValue.Literal families(JsonNode list) {
    if (Nodes.absent(list)) return new GoValue.Literal("[]core.IPFamily(nil)");
    List<String> items = new ArrayList<>();
    list.forEach(v -> items.add(GoValue.quote(v.asText())));
    return new GoValue.Literal("[]core.IPFamily{" + String.join(", ", items) + "}");
  }

  /** validateLoadBalancerClassField; old is null on create. */
  private static void loadBalancerClass(JsonNode old, JsonNode spec, FieldErrors errors) {
    boolean loadBalancer = text(spec, "type").equals("LoadBalancer");
    FieldPath path = SPEC.child("loadBalancerClass");
    Object current = Nodes.has(spec, "loadBalancerClass") ? text(spec, "loadBalancerClass") : null;
    if (old != null && loadBalancer && text(old, "type").equals("LoadBalancer")) {
      Object before = Nodes.has(old, "loadBalancerClass") ? text(old, "loadBalancerClass") : null;
      if (!java.util.Objects.equals(before, current)) errors.invalid(path, current, NOT_CHANGEABLE);
    }
    if (current == null) return;
    if (loadBalancer) errors.invalidEach(path, current, Syntax.qualifiedName((String) current));
    else errors.forbidden(path, LOAD_BALANCER_ONLY);
  }

  private static void externalIPs(JsonNode spec, FieldErrors errors) {
    List<String> ips = MetadataValidation.strings(spec.get("externalIPs"));
    for (int i = 0; i < ips.size(); i++) {
      FieldPath path = SPEC.child("externalIPs").index(i);
      String ip = ips.get(i);
      InetAddress address = IpAddresses.parse(ip);
      if (address == null) {
        errors.invalid(path, ip, IpAddresses.INVALID_IP);
        continue;
      }
      // ValidateNonSpecialIP
      if (address.isAnyLocalAddress()) errors.invalid(path, ip, "may not be unspecified (" + ip + ")");
      if (address.isLoopbackAddress()) errors.invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
      if (address.isLinkLocalAddress()) errors.invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
      if (address.isMCLinkLocal()) errors.invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
    }
  }

  /** The source ranges field, or else the annotation it replaced. */
  private static void sourceRanges(JsonNode service, String type, FieldErrors errors) {
    JsonNode spec = service.path("spec");
    JsonNode annotations = service.path("metadata").path("annotations");
    if (Nodes.size(spec, "loadBalancerSourceRanges") > 0) {
      FieldPath path = SPEC.child("LoadBalancerSourceRanges");
      if (!type.equals("LoadBalancer")) errors.forbidden(path, LOAD_BALANCER_ONLY);
      List<String> ranges = MetadataValidation.strings(spec.get("loadBalancerSourceRanges"));
      for (int i = 0; i < ranges.size(); i++) {
        // space-padded values are tolerated, a leftover of the annotation they replaced
        String value = ranges.get(i).trim();
        if (IpAddresses.parseCidr(value) == null) errors.invalid(path.index(i), value, IpAddresses.INVALID_CIDR);
      }
    } else if (annotations.has(SOURCE_RANGES)) {
      FieldPath path = ANNOTATIONS.key(SOURCE_RANGES);
      if (!type.equals("LoadBalancer")) errors.forbidden(path, LOAD_BALANCER_ONLY);
      String value = text(annotations, SOURCE_RANGES).trim();
      if (!value.isEmpty()) {
        for (String cidr : value.split(",", -1)) {
          String trimmed = cidr.trim();
          if (IpAddresses.parseCidr(trimmed) == null) errors.invalid(path, trimmed, IpAddresses.INVALID_CIDR);
        }
      }
    }
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

  /** apiservice.NeedsHealthCheck: a LoadBalancer that keeps traffic on the node it arrives at. */
  private static boolean needsHealthCheck(JsonNode spec) {
    return text(spec, "type").equals("LoadBalancer") && text(spec, "externalTrafficPolicy").equals("Local");
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
    long healthCheckNodePort = Nodes.number(spec, "healthCheckNodePort");
    if (!needsHealthCheck(spec)) {
      if (healthCheckNodePort != 0) {
        errors.invalid(SPEC.child("healthCheckNodePort"), healthCheckNodePort,
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
      }
    } else if (healthCheckNodePort == 0) {
      errors.required(SPEC.child("healthCheckNodePort"), "");
    } else {
      errors.invalidEach(SPEC.child("healthCheckNodePort"), healthCheckNodePort, Syntax.portNumber(healthCheckNodePort));
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
