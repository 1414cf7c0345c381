package io.kubeactor.agent;

import java.util.Map;

/**
 * What the agent says of its node when it registers: name, labels, capacity (cpu in millicores,
 * memory in bytes, pods), addresses, and where its log/exec server listens.
 */
public record NodeIdentity(String name, Map<String, String> labels, long milliCpu, long memoryBytes, int pods,
    String internalIp, String hostname) {

  public NodeIdentity withInternalIp(String address) {
    return new NodeIdentity(name, labels, milliCpu, memoryBytes, pods, address, hostname);
  }
}
