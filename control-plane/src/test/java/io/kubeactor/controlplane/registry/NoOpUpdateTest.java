package io.kubeactor.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.controller.ControllerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An update that leaves the object as it is stored writes nothing, as GuaranteedUpdate compares encoded objects. */
class NoOpUpdateTest {

  static final ControllerFixture fixture = new ControllerFixture();

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  /** status.observedGeneration (an int64) set to this number, as an int or a long JSON node. */
  private static ObjectNode observed(ObjectNode replicaSet, Number generation) {
    ObjectNode status = replicaSet.withObjectProperty("status");
    if (generation instanceof Long l) status.put("observedGeneration", l);
    else status.put("observedGeneration", generation.intValue());
    return replicaSet;
  }

  @Test
  void aNumberSetAsALongWhereTheStoredTreeHasAnIntChangesNothing() {
    ObjectNode stored = fixture.apply("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: web, namespace: default},"
        + " spec: {replicas: 1, selector: {matchLabels: {app: web}},"
        + " template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}}");
    ObjectNode observedOnce = fixture.changeStatus("apps/v1", "ReplicaSet", "default", "web", rs -> observed(rs, 1));
    String rv = observedOnce.at("/metadata/resourceVersion").asText();
    assertThat(rv).isNotEqualTo(stored.at("/metadata/resourceVersion").asText());

    // as a controller sets it from a typed object's long: the same value, so no write and no new resourceVersion
    ObjectNode same = fixture.changeStatus("apps/v1", "ReplicaSet", "default", "web", rs -> observed(rs, 1L));
    assertThat(same.at("/metadata/resourceVersion").asText()).isEqualTo(rv);

    ObjectNode changed = fixture.changeStatus("apps/v1", "ReplicaSet", "default", "web", rs -> observed(rs, 2L));
    assertThat(changed.at("/metadata/resourceVersion").asText()).isNotEqualTo(rv);
    assertThat(changed.at("/status/observedGeneration").asLong()).isEqualTo(2);
  }
}
