package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service environment variables kubelet gives every container (kubelet_pods.go's
 * getServiceEnvVarMap over envvars.FromServices): the {@code kubernetes} Service of
 * {@code default} always, whatever enableServiceLinks says, because in-cluster clients find the API
 * server by KUBERNETES_SERVICE_HOST and _PORT; with enableServiceLinks, the docker-link variables of
 * every Service of the pod's own namespace that has a ClusterIP.
 */
final class ServiceEnvironment {
  private ServiceEnvironment() {}

  /** kubelet's masterServices: injected from the default namespace into every pod. */
  private static final String MASTER_SERVICE = "kubernetes";
  private static final String DEFAULT_NAMESPACE = "default";

  /**
   * The variables for a pod of {@code namespace}, from the Services of {@code default} and of
   * {@code namespace}. kubelet keys the Services by name (a Service of the pod's namespace named
   * {@code kubernetes} wins over default's) and walks a Go map, in no set order; here they go by
   * name, so that a container's environment does not change between starts.
   */
  static Map<String, String> of(String namespace, boolean enableServiceLinks, List<? extends JsonNode> defaultServices,
      List<? extends JsonNode> namespaceServices) {
    Map<String, JsonNode> byName = new TreeMap<>();
    for (JsonNode s : defaultServices) {
      if (hasClusterIp(s) && name(s).equals(MASTER_SERVICE)) byName.put(MASTER_SERVICE, s);
    }
    if (enableServiceLinks) {
      for (JsonNode s : namespaceServices) {
        if (hasClusterIp(s)) byName.put(name(s), s);
      }
    }
    Map<String, String> vars = new LinkedHashMap<>();
    byName.values().forEach(s -> fromService(s, vars));
    return vars;
  }

  /** envvars.FromServices for one Service: host, first port, named ports, then Docker's link variables. */
  private static void fromService(JsonNode service, Map<String, String> vars) {
    String prefix = variableName(name(service));
    String clusterIp = service.path("spec").path("clusterIP").asText();
    List<JsonNode> ports = new ArrayList<>();
    service.path("spec").path("ports").forEach(ports::add);
    if (ports.isEmpty()) return;
    vars.put(prefix + "_SERVICE_HOST", clusterIp);
    vars.put(prefix + "_SERVICE_PORT", ports.get(0).path("port").asText());
    for (JsonNode p : ports) {
      String portName = p.path("name").asText("");
      if (!portName.isEmpty()) vars.put(prefix + "_SERVICE_PORT_" + variableName(portName), p.path("port").asText());
    }
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      String protocol = p.path("protocol").asText("");
      if (protocol.isEmpty()) protocol = "TCP";
      String lower = protocol.toLowerCase(Locale.ROOT);
      String port = p.path("port").asText();
      // Go's net.JoinHostPort: an IPv6 address in brackets
      String url = lower + "://" + (clusterIp.contains(":") ? "[" + clusterIp + "]" : clusterIp) + ":" + port;
      // Docker special-cases the first port
      if (i == 0) vars.put(prefix + "_PORT", url);
      String portPrefix = prefix + "_PORT_" + port + "_" + protocol.toUpperCase(Locale.ROOT);
      vars.put(portPrefix, url);
      vars.put(portPrefix + "_PROTO", lower);
      vars.put(portPrefix + "_PORT", port);
      vars.put(portPrefix + "_ADDR", clusterIp);
    }
  }

  /** v1helper.IsServiceIPSet: a ClusterIP that is neither empty nor None (headless and ExternalName Services have none). */
  private static boolean hasClusterIp(JsonNode service) {
    String ip = service.path("spec").path("clusterIP").asText("");
    return !ip.isEmpty() && !ip.equals("None");
  }

  /** envvars.makeEnvVariableName: upper case, dashes to underscores. */
  private static String variableName(String name) {
    return name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static String name(JsonNode s) {
    return s.path("metadata").path("name").asText("");
  }
}
