package io.kubeactor.controlplane.controller.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only stand-in for the ReplicaSet controller and its pods: in the namespaces it is given,
 * each ReplicaSet at once reports all its replicas running, ready and available — or, when its
 * image is one that "cannot be pulled", running but never ready — and its generation observed.
 */
final class ReplicaSetRunner implements Reconciler {

  final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  final Set<String> brokenImages = ConcurrentHashMap.newKeySet();
  private final ControllerContext context;
  private final Informer<ReplicaSet> replicaSets;
  private final ResourceType type;

  ReplicaSetRunner(ControllerContext context) {
    this.context = context;
    this.replicaSets = context.informers().of(ReplicaSet.class);
    this.type = context.informers().typeOf(ReplicaSet.class);
  }

  @Override
  public String name() {
    return "test-replicaset-runner";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(replicaSets, e -> e.type() != Informer.EventType.DELETED
        && namespaces.contains(e.object().getMetadata().getNamespace()) ? List.of(Informer.keyOf(e.object())) : List.of());
  }

  @Override
  public Collection<String> keys() {
    return List.of();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    ReplicaSet rs = replicaSets.get(key);
    if (rs == null) return CompletableFuture.completedFuture(Result.done());
    return context.writer().guaranteedSubresourceUpdate(type, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), "status",
        this::run).thenApply(x -> Result.done());
  }

  private ObjectNode run(ObjectNode rs) {
    int replicas = rs.path("spec").path("replicas").asInt(1);
    String image = rs.path("spec").path("template").path("spec").path("containers").path(0).path("image").asText();
    int available = brokenImages.contains(image) ? 0 : replicas;
    ObjectNode status = rs.putObject("status");
    if (replicas > 0) status.put("replicas", replicas).put("fullyLabeledReplicas", replicas);
    else status.put("replicas", 0);
    if (available > 0) status.put("readyReplicas", available).put("availableReplicas", available);
    status.put("observedGeneration", rs.path("metadata").path("generation").asLong());
    return rs;
  }
}
