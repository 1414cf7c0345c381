package io.kubeactor.controlplane.node;

import io.kubeactor.common.cluster.AgentEndpoint;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Where each connected node's agent serves logs and exec; the gateway keeps it, the API server reads it. */
public final class AgentEndpoints implements AgentDirectory {
  private final Map<String, AgentEndpoint> byNode = new ConcurrentHashMap<>();

  void put(String node, AgentEndpoint endpoint) {
    byNode.put(node, endpoint);
  }

  void remove(String node) {
    byNode.remove(node);
  }

  @Override
  public Optional<AgentEndpoint> endpointOf(String nodeName) {
    return Optional.ofNullable(byNode.get(nodeName));
  }
}
