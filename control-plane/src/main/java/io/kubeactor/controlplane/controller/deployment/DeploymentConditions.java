package io.kubeactor.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.kubeactor.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's conditions, with the types, reasons and the rules of deployment_util.go: setting a
 * condition with the same status and reason changes nothing, and a condition keeps its
 * lastTransitionTime while its status stays the same.
 */
final class DeploymentConditions {
  private DeploymentConditions() {}

  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String REPLICA_FAILURE = "ReplicaFailure";

  // Progressing reasons
  static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
  static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
  static final String NEW_REPLICA_SET = "NewReplicaSetCreated";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String TIMED_OUT = "ProgressDeadlineExceeded";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";

  // Available reasons
  static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";

  static DeploymentCondition condition(String type, String status, String reason, String message, Instant now) {
    DeploymentCondition c = new DeploymentCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    String t = Timestamps.format(now);
    c.setLastUpdateTime(t);
    c.setLastTransitionTime(t);
    return c;
  }

  static Optional<DeploymentCondition> get(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) return Optional.empty();
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static boolean hasReason(DeploymentStatus status, String type, String reason) {
    return get(status, type).map(c -> reason.equals(c.getReason())).orElse(false);
  }

  /** SetDeploymentCondition. */
  static void set(DeploymentStatus status, DeploymentCondition condition) {
    Optional<DeploymentCondition> current = get(status, condition.getType());
    if (current.isPresent() && current.get().getStatus().equals(condition.getStatus())) {
      if (Objects.equals(current.get().getReason(), condition.getReason())) return;
      condition.setLastTransitionTime(current.get().getLastTransitionTime());
    }
    List<DeploymentCondition> conditions = without(status, condition.getType());
    conditions.add(condition);
    status.setConditions(conditions);
  }

  static void remove(DeploymentStatus status, String type) {
    status.setConditions(without(status, type));
  }

  private static List<DeploymentCondition> without(DeploymentStatus status, String type) {
    List<DeploymentCondition> out = new ArrayList<>();
    if (status.getConditions() != null) {
      for (DeploymentCondition c : status.getConditions()) if (!type.equals(c.getType())) out.add(c);
    }
    return out;
  }

  /** ReplicaSetToDeploymentCondition: a ReplicaSet's failure shown on its Deployment. */
  static DeploymentCondition fromReplicaSet(ReplicaSetCondition c) {
    DeploymentCondition d = new DeploymentCondition();
    d.setType(c.getType());
    d.setStatus(c.getStatus());
    d.setReason(c.getReason());
    d.setMessage(c.getMessage());
    d.setLastTransitionTime(c.getLastTransitionTime());
    d.setLastUpdateTime(c.getLastTransitionTime());
    return d;
  }
}
