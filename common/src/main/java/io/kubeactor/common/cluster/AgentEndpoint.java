package io.kubeactor.common.cluster;

/**
 * Where a node agent serves container logs and exec (kubelet's port 10250), and the bearer token it
 * requires. The token is random per agent start and travels only over the cluster, so only the
 * control plane can call the agent.
 */
public record AgentEndpoint(String host, int port, String token) {}
