package io.kubeactor.agent.proxy;

/**
 * One endpoint of a service port, from an EndpointSlice: its address and port, its node, and its
 * conditions (ready: take new connections; serving: ready, even while terminating).
 */
public record ServiceEndpoint(String ip, int port, String nodeName, boolean ready, boolean serving, boolean terminating) {

  @Override
  public String toString() {
    return ip + ":" + port;
  }
}
