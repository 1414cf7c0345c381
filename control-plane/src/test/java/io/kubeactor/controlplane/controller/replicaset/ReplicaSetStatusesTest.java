package io.kubeactor.controlplane.controller.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kubeactor.controlplane.api.ApiException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ReplicaFailure condition: set when creating or deleting fails, removed on the next good sync. */
class ReplicaSetStatusesTest {

  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  static ReplicaSet rs(int replicas) {
    return new ReplicaSetBuilder().withNewMetadata().withName("web").withGeneration(2L).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .endTemplate().endSpec().build();
  }

  static Pod pod() {
    return new PodBuilder().withNewMetadata().addToLabels("app", "web").endMetadata().build();
  }

  @Test
  void aFailedCreationSetsReplicaFailureWithTheErrorAndASuccessRemovesIt() {
    ReplicaSet rs = rs(3);
    ApiException quota = new ApiException(403, "Forbidden", "pods \"web-x\" is forbidden: exceeded quota", "", "pods", "web-x", null);
    ReplicaSetStatus failed = ReplicaSetStatuses.calculate(rs, List.of(pod()), quota, NOW);
    assertThat(failed.getReplicas()).isEqualTo(1);
    assertThat(failed.getFullyLabeledReplicas()).isEqualTo(1);
    assertThat(failed.getReadyReplicas()).isNull();
    assertThat(failed.getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("ReplicaFailure");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("FailedCreate");
      assertThat(c.getMessage()).isEqualTo("pods \"web-x\" is forbidden: exceeded quota");
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T12:00:00Z");
    });

    rs.setStatus(failed);
    assertThat(ReplicaSetStatuses.calculate(rs, List.of(pod()), null, NOW).getConditions()).isNull();
  }

  @Test
  void aFailedDeletionIsFailedDelete() {
    ReplicaSetStatus failed = ReplicaSetStatuses.calculate(rs(0), List.of(pod()), new IllegalStateException("boom"), NOW);
    assertThat(failed.getConditions()).singleElement().satisfies(c -> assertThat(c.getReason()).isEqualTo("FailedDelete"));
  }

  @Test
  void aStatusIsUpToDateOnlyForTheCurrentGeneration() {
    ReplicaSet rs = rs(1);
    ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, List.of(pod()), null, NOW);
    assertThat(ReplicaSetStatuses.upToDate(rs, status)).isFalse();
    status.setObservedGeneration(2L);
    rs.setStatus(status);
    assertThat(ReplicaSetStatuses.upToDate(rs, ReplicaSetStatuses.calculate(rs, List.of(pod()), null, NOW))).isTrue();
  }
}
