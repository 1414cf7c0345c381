package io.kubeactor.agent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kubelet's Service informer: every Service of the cluster as the control plane relays them
 * (list, then changes), by namespace, for the pods' service environment variables. Fed on the node
 * agent's thread, read by the pod workers' threads.
 */
public final class ServiceLister {

  private final Map<String, Map<String, ObjectNode>> byNamespace = new ConcurrentHashMap<>();
  private volatile boolean synced;

  /** Every Service as the control plane holds them now (the relay's list, again after a reconnection). */
  public void listed(List<ObjectNode> services) {
    Map<String, Map<String, ObjectNode>> fresh = new java.util.HashMap<>();
    for (ObjectNode s : services) fresh.computeIfAbsent(namespace(s), ns -> new ConcurrentHashMap<>()).put(name(s), s);
    byNamespace.keySet().retainAll(fresh.keySet());
    byNamespace.putAll(fresh);
    synced = true;
  }

  public void changed(ObjectNode service) {
    byNamespace.computeIfAbsent(namespace(service), ns -> new ConcurrentHashMap<>()).put(name(service), service);
  }

  public void deleted(ObjectNode service) {
    Map<String, ObjectNode> of = byNamespace.get(namespace(service));
    if (of != null) of.remove(name(service));
  }

  /** Whether the Services have been listed once (kubelet's serviceHasSynced). */
  public boolean hasSynced() {
    return synced;
  }

  /** The Services of a namespace, in no particular order. */
  public List<ObjectNode> inNamespace(String namespace) {
    Map<String, ObjectNode> of = byNamespace.get(namespace);
    return of == null ? List.of() : List.copyOf(of.values());
  }

  private static String namespace(JsonNode s) {
    return s.path("metadata").path("namespace").asText("");
  }

  private static String name(JsonNode s) {
    return s.path("metadata").path("name").asText("");
  }
}
