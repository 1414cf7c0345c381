package io.kubeactor.controlplane.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.nodelifecycle.NodeStatusUnknown;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a heartbeat writes over the node's status, and which agent may join under a node's name. */
class NodeGatewayTest {

  private static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) Json.YAML.readTree(text);
  }

  @Test
  void aHeartbeatAfterTheNodeWasMarkedUnknownMakesItReadyFromNowAndKeepsUnchangedTransitions() throws Exception {
    ObjectNode node = yaml("""
        metadata: {name: n, creationTimestamp: "2025-03-01T09:00:00Z"}
        status:
          conditions:
          - {type: MemoryPressure, status: "False", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-03-01T09:00:00Z"}
          - {type: Ready, status: "True", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-03-01T09:00:00Z"}
        """);
    NodeStatusUnknown.mark(node, Instant.parse("2025-03-01T10:00:05Z"));
    assertThat(NodeStatusUnknown.readyStatus(node)).isEqualTo("Unknown");
    ObjectNode reported = yaml("""
        conditions:
        - {type: MemoryPressure, status: "False", lastHeartbeatTime: "2025-03-01T10:01:00Z", lastTransitionTime: "2025-03-01T09:00:00Z"}
        - {type: Ready, status: "True", lastHeartbeatTime: "2025-03-01T10:01:00Z", lastTransitionTime: "2025-03-01T09:00:00Z"}
        """);
    NodeGateway.keepTransitionTimes(node.path("status"), reported, "2025-03-01T10:01:01Z");
    JsonNode ready = reported.path("conditions").get(1);
    assertThat(ready.path("status").asText()).isEqualTo("True");
    assertThat(ready.path("lastTransitionTime").asText()).isEqualTo("2025-03-01T10:01:01Z");

    // the next heartbeat keeps that transition
    ObjectNode stored = Json.object();
    stored.set("conditions", reported.get("conditions").deepCopy());
    ObjectNode next = yaml("""
        conditions:
        - {type: Ready, status: "True", lastHeartbeatTime: "2025-03-01T10:01:10Z", lastTransitionTime: "2025-03-01T09:00:00Z"}
        """);
    NodeGateway.keepTransitionTimes(stored, next, "2025-03-01T10:01:11Z");
    assertThat(next.path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo("2025-03-01T10:01:01Z");
  }

  @Test
  void markingUnknownKeepsHeartbeatsAndAddsConditionsNeverReported() throws Exception {
    ObjectNode node = yaml("""
        metadata: {name: n, creationTimestamp: "2025-03-01T09:00:00Z"}
        status:
          conditions:
          - {type: Ready, status: "True", lastHeartbeatTime: "2025-03-01T10:00:00Z", lastTransitionTime: "2025-03-01T09:00:00Z", reason: KubeletReady}
        """);
    assertThat(NodeStatusUnknown.mark(node, Instant.parse("2025-03-01T10:00:45Z"))).isTrue();
    assertThat(NodeStatusUnknown.mark(node, Instant.parse("2025-03-01T10:00:50Z"))).isFalse();
    JsonNode conditions = node.path("status").path("conditions");
    assertThat(conditions).hasSize(4);
    assertThat(conditions.get(0).path("reason").asText()).isEqualTo("NodeStatusUnknown");
    assertThat(conditions.get(0).path("lastHeartbeatTime").asText()).isEqualTo("2025-03-01T10:00:00Z");
    assertThat(conditions.get(0).path("lastTransitionTime").asText()).isEqualTo("2025-03-01T10:00:45Z");
    assertThat(conditions.get(1).path("type").asText()).isEqualTo("MemoryPressure");
    assertThat(conditions.get(1).path("reason").asText()).isEqualTo("NodeStatusNeverUpdated");
    assertThat(conditions.get(1).path("message").asText()).isEqualTo("Kubelet never posted node status.");
    assertThat(conditions.get(1).path("lastHeartbeatTime").asText()).isEqualTo("2025-03-01T09:00:00Z");
  }

  @Test
  void onlyTheSameAgentItsRestartOrAnAgentAfterADeadOneTakesAJoinedNode() {
    // the joined agent registering again, or restarted from the node's data directory
    assertThat(NodeGateway.admits(true, true, true)).isTrue();
    assertThat(NodeGateway.admits(false, true, true)).isTrue();
    // another agent, once the joined one is dead or unreachable
    assertThat(NodeGateway.admits(false, false, false)).isTrue();
    // a second live agent from another data directory
    assertThat(NodeGateway.admits(false, false, true)).isFalse();
  }
}
