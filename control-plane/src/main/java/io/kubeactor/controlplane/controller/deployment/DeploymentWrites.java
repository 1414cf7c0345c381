package io.kubeactor.controlplane.controller.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.controller.ControllerContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The Deployment controller's writes and events. ReplicaSets and the Deployment's annotations are
 * changed by merge patches that name the resourceVersion read (so only the fields meant change, and
 * a stale read fails with a conflict and is retried); the Deployment's status by an update of its
 * status. Each answer is recorded in the {@link Rollout}.
 */
final class DeploymentWrites {

  static final String COMPONENT = "deployment-controller";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  private final ControllerContext context;

  DeploymentWrites(ControllerContext context) {
    this.context = context;
  }

  ControllerContext context() {
    return context;
  }

  CompletionStage<ReplicaSet> createReplicaSet(Rollout r, ReplicaSet rs) {
    return context.writer().create(rs).thenApply(created -> {
      r.written(created);
      return created;
    });
  }

  /** Sets spec.replicas (when not null), spec.minReadySeconds (when not null) and the given annotations. */
  CompletionStage<ReplicaSet> patchReplicaSet(Rollout r, ReplicaSet rs, Integer replicas, Integer minReadySeconds,
      Map<String, String> annotations) {
    ObjectNode patch = Json.object();
    ObjectNode meta = patch.putObject("metadata");
    meta.put("resourceVersion", rs.getMetadata().getResourceVersion());
    if (annotations != null && !annotations.isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      annotations.forEach(a::put);
    }
    if (replicas != null || minReadySeconds != null) {
      ObjectNode spec = patch.putObject("spec");
      if (replicas != null) spec.put("replicas", replicas);
      if (minReadySeconds != null) spec.put("minReadySeconds", minReadySeconds);
    }
    return context.writer().patch(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName(),
        MERGE_PATCH, patch).thenApply(updated -> {
          r.written(updated);
          return updated;
        });
  }

  /** Deletes the ReplicaSet (if it is still that one); one already gone is fine. */
  CompletionStage<Void> deleteReplicaSet(Rollout r, ReplicaSet rs) {
    return context.writer().delete(rs, null).handle((x, e) -> {
      if (e != null && !isNotFound(e)) throw e instanceof CompletionException c ? c : new CompletionException(e);
      r.deleted(rs);
      return null;
    });
  }

  /**
   * Writes the Deployment's revision annotation and its status, in one status update as the Go
   * controller does (the status strategy takes the annotations along), if the caller changed either.
   */
  CompletionStage<Deployment> writeDeployment(Rollout r, boolean annotationsChanged, boolean statusChanged) {
    if (!annotationsChanged && !statusChanged) return CompletableFuture.completedFuture(r.d);
    return updateStatus(r);
  }

  /** An update of the Deployment's status, and of its annotations, which the status strategy takes along. */
  CompletionStage<Deployment> updateStatus(Rollout r) {
    return context.writer().updateStatus(r.d).thenApply(written -> {
      r.d = written;
      return written;
    });
  }

  void event(Deployment d, String type, String reason, String message) {
    context.events().record(Json.toTree(d), type, reason, message, COMPONENT, null);
  }

  static boolean isNotFound(Throwable e) {
    return cause(e) instanceof ApiException api && api.code == 404;
  }

  static boolean isAlreadyExists(Throwable e) {
    return cause(e) instanceof ApiException api && "AlreadyExists".equals(api.reason);
  }

  static Throwable cause(Throwable e) {
    return ApiException.unwrap(e);
  }
}
