package io.kubeactor.agent.pod;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The downward API's fieldRef values (kubelet's fieldpath.ExtractFieldPathAsString): what an env
 * var's valueFrom.fieldRef and a downwardAPI volume's item read from their pod.
 */
public final class DownwardApi {

  private DownwardApi() {}

  /**
   * The value at the path; the IPs are "" before the pod has them.
   *
   * @throws IllegalArgumentException "unsupported fieldPath: x" for a path kubelet does not serve
   */
  public static String field(Pod pod, String path, String podIp, String hostIp) {
    var meta = pod.getMetadata();
    if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
      return meta.getLabels() == null ? "" : meta.getLabels().getOrDefault(path.substring(17, path.length() - 2), "");
    }
    if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
      return meta.getAnnotations() == null ? "" : meta.getAnnotations().getOrDefault(path.substring(22, path.length() - 2), "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      // whole maps, which only volumes may name: key="value" lines, sorted by key
      case "metadata.labels" -> lines(meta.getLabels());
      case "metadata.annotations" -> lines(meta.getAnnotations());
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.podIP", "status.podIPs" -> podIp == null ? "" : podIp;
      case "status.hostIP", "status.hostIPs" -> hostIp == null ? "" : hostIp;
      default -> throw new IllegalArgumentException("unsupported fieldPath: " + path);
    };
  }

  private static String lines(Map<String, String> map) {
    if (map == null) return "";
    return new TreeMap<>(map).entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining("\n"));
  }
}
