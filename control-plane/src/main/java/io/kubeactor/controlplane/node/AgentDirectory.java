package io.kubeactor.controlplane.node;

import io.kubeactor.common.cluster.AgentEndpoint;
import java.util.Optional;

/** Where the agent of a node serves logs, exec and attach: what the API server needs to reach it. */
public interface AgentDirectory {

  /** The endpoint of the node's connected agent; empty when no agent serves that node now. */
  Optional<AgentEndpoint> endpointOf(String nodeName);

  /** No agents at all (an API server without nodes). */
  AgentDirectory NONE = nodeName -> Optional.empty();
}
