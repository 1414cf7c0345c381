package io.kubeactor.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void microTimeFieldsSurviveTheTypedModel() throws Exception {
    var tree = Json.MAPPER.readTree("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
        + "\"metadata\":{\"name\":\"n\"},\"spec\":{\"renewTime\":\"2026-11-24T11:00:00.123456Z\",\"leaseDurationSeconds\":40}}");
    Lease lease = Json.fromTree(tree, Lease.class);
    assertThat(lease.getSpec().getRenewTime().toInstant().toString()).isEqualTo("2026-11-24T11:00:00.123456Z");
    assertThat(Json.toTree(lease).path("spec").path("renewTime").asText()).isEqualTo("2026-11-24T11:00:00.123456Z");
  }
}
