package io.kubeactor.controlplane.registry.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Services stored before this cluster allocated cluster IPs and node ports (a data directory from
 * an earlier kubeactor) get them when the control plane starts: each is updated unchanged, and the
 * Service storage allocates what it lacks.
 */
public final class LegacyServices {
  private LegacyServices() {}

  public static CompletionStage<Void> allocate(Registry registry) {
    ResourceType services = registry.types().find("/api/v1", "services").orElseThrow();
    List<CompletableFuture<ObjectNode>> updates = new ArrayList<>();
    for (ObjectNode s : registry.cache().state().trees(services.storePrefix())) {
      boolean missingNodePorts = ServiceStorage.needsNodePort(s.path("spec"))
          && s.path("spec").path("allocateLoadBalancerNodePorts").asBoolean(true)
          && s.path("spec").path("ports").findValues("nodePort").size() < s.path("spec").path("ports").size();
      if (!ServiceStorage.unallocated(s.path("spec")) && !missingNodePorts) continue;
      updates.add(registry.guaranteedUpdate(services, s.path("metadata").path("namespace").asText(),
          s.path("metadata").path("name").asText(), 0, WriteOptions.internal(), current -> current).toCompletableFuture());
    }
    return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new));
  }
}
