package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.common.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as kubelet builds it (kubelet_pods.go's makeEnvironmentVariables):
 * envFrom first, then env in order, with values from ConfigMaps, Secrets, the pod's own fields and
 * its resources, then the service variables the container does not set itself
 * ({@link ServiceEnvironment}); $(VAR) references expanded in values (from the variables defined so
 * far, then the service variables), command and args.
 */
final class ContainerEnvironment {

  /** The container cannot be configured (e.g. a referenced ConfigMap is missing): CreateContainerConfigError. */
  static final class ConfigError extends Exception {
    ConfigError(String message) {
      super(message);
    }
  }

  private final Map<String, String> vars = new LinkedHashMap<>();
  private final Map<String, String> serviceVars;

  private ContainerEnvironment(Map<String, String> serviceVars) {
    this.serviceVars = serviceVars;
  }

  static ContainerEnvironment of(Pod pod, Container c, String podIp, String hostIp, ObjectReader reader,
      ServiceLister services) throws ConfigError {
    String ns = pod.getMetadata().getNamespace();
    // as kubelet: a pod from the API server waits until the Services have been listed once, or it
    // could start without KUBERNETES_SERVICE_HOST, which in-cluster clients need
    if (!services.hasSynced()) {
      throw new ConfigError("services have not yet been read at least once, cannot construct envvars");
    }
    // the API server defaults enableServiceLinks to true
    boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
    ContainerEnvironment env = new ContainerEnvironment(ServiceEnvironment.of(ns, links,
        services.inNamespace("default"), services.inNamespace(ns)));
    if (c.getEnvFrom() != null) {
      for (EnvFromSource from : c.getEnvFrom()) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getConfigMapRef() != null) {
          ObjectNode cm = read(reader, "ConfigMap", ns, from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional());
          if (cm != null) cm.path("data").properties().forEach(e -> env.vars.put(prefix + e.getKey(), e.getValue().asText()));
        }
        if (from.getSecretRef() != null) {
          ObjectNode s = read(reader, "Secret", ns, from.getSecretRef().getName(), from.getSecretRef().getOptional());
          if (s != null) s.path("data").properties().forEach(e -> env.vars.put(prefix + e.getKey(), decode(e.getValue())));
        }
      }
    }
    if (c.getEnv() != null) {
      for (EnvVar v : c.getEnv()) {
        String value = v.getValueFrom() == null ? env.expand(v.getValue() == null ? "" : v.getValue())
            : env.valueFrom(pod, c, v.getValueFrom(), podIp, hostIp, reader);
        if (value != null) env.vars.put(v.getName(), value);
      }
    }
    env.serviceVars.forEach(env.vars::putIfAbsent);
    return env;
  }

  Map<String, String> vars() {
    return vars;
  }

  List<String> asDockerEnv() {
    List<String> out = new ArrayList<>();
    vars.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /**
   * Expands $(VAR) from the variables defined so far, then the service variables (kubelet's
   * expansion.MappingFuncFor(tmpEnv, serviceEnv)); $$ escapes; unknown references stay as written.
   */
  String expand(String input) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < input.length(); i++) {
      char ch = input.charAt(i);
      if (ch == '$' && i + 1 < input.length()) {
        char next = input.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i++;
          continue;
        }
        if (next == '(') {
          int close = input.indexOf(')', i + 2);
          if (close > 0) {
            String name = input.substring(i + 2, close);
            String value = vars.containsKey(name) ? vars.get(name) : serviceVars.get(name);
            if (value != null) {
              out.append(value);
              i = close;
              continue;
            }
          }
        }
      }
      out.append(ch);
    }
    return out.toString();
  }

  List<String> expandAll(List<String> items) {
    return items == null ? null : items.stream().map(this::expand).toList();
  }

  private String valueFrom(Pod pod, Container c, EnvVarSource src, String podIp, String hostIp, ObjectReader reader)
      throws ConfigError {
    String ns = pod.getMetadata().getNamespace();
    if (src.getConfigMapKeyRef() != null) {
      var ref = src.getConfigMapKeyRef();
      ObjectNode cm = read(reader, "ConfigMap", ns, ref.getName(), ref.getOptional());
      if (cm == null) return null;
      JsonNode value = cm.path("data").get(ref.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(ref.getOptional())) return null;
        throw new ConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return value.asText();
    }
    if (src.getSecretKeyRef() != null) {
      var ref = src.getSecretKeyRef();
      ObjectNode s = read(reader, "Secret", ns, ref.getName(), ref.getOptional());
      if (s == null) return null;
      JsonNode value = s.path("data").get(ref.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(ref.getOptional())) return null;
        throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return decode(value);
    }
    if (src.getFieldRef() != null) {
      String path = src.getFieldRef().getFieldPath();
      if (path.equals("metadata.labels") || path.equals("metadata.annotations")) {
        throw new ConfigError("unsupported fieldPath: " + path);
      }
      try {
        return DownwardApi.field(pod, path, podIp, hostIp);
      } catch (IllegalArgumentException e) {
        throw new ConfigError(e.getMessage());
      }
    }
    if (src.getResourceFieldRef() != null) {
      var ref = src.getResourceFieldRef();
      String resource = ref.getResource();
      var resources = c.getResources();
      String kind = resource.startsWith("limits.") ? "limits" : "requests";
      String name = resource.substring(resource.indexOf('.') + 1);
      var map = resources == null ? null : kind.equals("limits") ? resources.getLimits() : resources.getRequests();
      var q = map == null ? null : map.get(name);
      if (q == null) return "0";
      BigDecimal value = Quantities.value(q.toString()).orElse(BigDecimal.ZERO);
      BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE
          : Quantities.value(ref.getDivisor().toString()).orElse(BigDecimal.ONE);
      return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }
    return null;
  }

  private static ObjectNode read(ObjectReader reader, String kind, String ns, String name, Boolean optional) throws ConfigError {
    ObjectNode obj;
    try {
      obj = reader.read(kind, ns, name);
    } catch (Exception e) {
      throw new ConfigError("cannot read " + kind + " " + ns + "/" + name + ": " + e.getMessage());
    }
    if (obj == null && !Boolean.TRUE.equals(optional)) {
      throw new ConfigError(kind.toLowerCase(java.util.Locale.ROOT) + " \"" + name + "\" not found");
    }
    return obj;
  }

  private static String decode(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }
}
