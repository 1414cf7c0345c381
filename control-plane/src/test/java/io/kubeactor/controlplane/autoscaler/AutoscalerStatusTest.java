package io.kubeactor.controlplane.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.common.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status ConfigMap's YAML as cluster-autoscaler writes it: its fields, their order, its times. */
class AutoscalerStatusTest {

  static final AutoscalerStatus.NodeCounts TWO_READY = new AutoscalerStatus.NodeCounts(2, 2, 0, 0, 0, 0);

  @Test
  void theStatusHasUpstreamsFieldsInAlphabeticalOrder() throws Exception {
    AutoscalerStatus status = new AutoscalerStatus();
    Instant t0 = Instant.parse("2026-09-15T04:05:52.354884346Z");
    String yaml = status.yaml(new AutoscalerStatus.Snapshot("pool", 1, 3, 2, TWO_READY, TWO_READY, "NoActivity", 0), t0);
    JsonNode s = Json.YAML.readTree(yaml);
    assertThat(fields(s)).containsExactly("autoscalerStatus", "clusterWide", "nodeGroups", "time");
    assertThat(s.path("autoscalerStatus").asText()).isEqualTo("Running");
    assertThat(fields(s.path("clusterWide"))).containsExactly("health", "scaleDown", "scaleUp");
    assertThat(s.path("clusterWide").path("health").path("nodeCounts").path("registered").path("ready").asInt()).isEqualTo(2);
    JsonNode group = s.path("nodeGroups").get(0);
    assertThat(fields(group)).containsExactly("health", "name", "scaleDown", "scaleUp");
    assertThat(fields(group.path("health"))).containsExactly("cloudProviderTarget", "lastProbeTime", "lastTransitionTime",
        "maxSize", "minSize", "nodeCounts", "status");
    assertThat(group.path("health").path("cloudProviderTarget").asInt()).isEqualTo(2);
    assertThat(group.path("scaleDown").path("status").asText()).isEqualTo("NoCandidates");
    assertThat(s.path("time").asText()).isEqualTo("2026-09-15 04:05:52.354884346 +0000 UTC");
    assertThat(yaml).contains("    lastProbeTime: \"2026-09-15T04:05:52Z\"\n");

    // a condition's transition time moves only when its status does
    Instant t1 = t0.plusSeconds(10);
    JsonNode later = Json.YAML.readTree(
        status.yaml(new AutoscalerStatus.Snapshot("pool", 1, 3, 2, TWO_READY, TWO_READY, "InProgress", 1), t1));
    assertThat(later.path("clusterWide").path("health").path("lastTransitionTime").asText()).isEqualTo("2026-09-15T04:05:52Z");
    assertThat(later.path("clusterWide").path("scaleUp").path("lastTransitionTime").asText()).isEqualTo("2026-09-15T04:06:02Z");
    assertThat(later.path("clusterWide").path("scaleDown").path("candidates").asInt()).isEqualTo(1);
  }

  @Test
  void timesPrintAsGoPrintsThem() {
    assertThat(AutoscalerStatus.goTime(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02 03:04:05 +0000 UTC");
    assertThat(AutoscalerStatus.goTime(Instant.parse("2026-01-02T03:04:05.120Z"))).isEqualTo("2026-01-02 03:04:05.12 +0000 UTC");
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
