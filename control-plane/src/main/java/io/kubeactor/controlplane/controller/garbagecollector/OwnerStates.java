package io.kubeactor.controlplane.controller.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An object's owner references sorted as upstream's classifyReferences does: solid (the owner
 * exists and is not being deleted in the foreground), dangling (no object of that kind and name
 * with that uid: gone, replaced, or a namespaced owner named by a cluster-scoped object), and
 * waiting (the owner is being deleted in the foreground and waits for its dependents). A kind the
 * API does not know counts as solid: nothing is deleted on a guess.
 */
record OwnerStates(List<OwnerReference> solid, List<OwnerReference> dangling, List<OwnerReference> waiting) {

  static OwnerStates of(HasMetadata dependent, ObjectId dependentId, ObjectGraph graph) {
    List<OwnerReference> solid = new ArrayList<>();
    List<OwnerReference> dangling = new ArrayList<>();
    List<OwnerReference> waiting = new ArrayList<>();
    for (OwnerReference ref : ObjectGraph.refs(dependent)) {
      Optional<ObjectId> owner = graph.owner(ref, dependentId.namespace());
      if (owner.isEmpty()) {
        solid.add(ref);
        continue;
      }
      if (owner.get().type().namespaced() && dependentId.namespace().isEmpty()) {
        dangling.add(ref);
        continue;
      }
      ObjectNode stored = graph.stored(owner.get());
      if (stored == null || !stored.path("metadata").path("uid").asText().equals(ref.getUid())) {
        dangling.add(ref);
      } else if (DeletionFinalizers.deletingDependents(stored.path("metadata"))) {
        waiting.add(ref);
      } else {
        solid.add(ref);
      }
    }
    return new OwnerStates(solid, dangling, waiting);
  }
}
