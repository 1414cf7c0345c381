package io.kubeactor.common.cluster;

/**
 * Where a node agent serves container logs and exec (kubelet's port 10250). The connection is TLS
 * with both ends authenticated ({@link AgentStreamTls}), so only the control plane can call the agent
 * and it knows it reached the node it meant.
 */
public record AgentEndpoint(String host, int port) {}
