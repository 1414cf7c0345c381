package io.kubeactor.controlplane.controller.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every node gets a PodCIDR of its own; a deleted node's is free for the next. */
class NodeIpamControllerTest {

  private final ControllerFixture fixture = new ControllerFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void node(String name) {
    fixture.apply("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"}}");
  }

  private String podCidr(String name) {
    Node n = fixture.get(Node.class, null, name);
    return n == null || n.getSpec() == null ? null : n.getSpec().getPodCIDR();
  }

  @Test
  void nodesCreatedTogetherGetDistinctBlocks() {
    fixture.start(new NodeIpamController(fixture.context));
    for (int i = 0; i < 6; i++) node("n" + i);
    await().until(() -> List.of(0, 1, 2, 3, 4, 5).stream().allMatch(i -> podCidr("n" + i) != null));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      Node n = fixture.get(Node.class, null, "n" + i);
      assertThat(n.getSpec().getPodCIDRs()).containsExactly(n.getSpec().getPodCIDR());
      assertThat(seen.add(n.getSpec().getPodCIDR())).as("distinct").isTrue();
      assertThat(n.getSpec().getPodCIDR()).matches("10\\.244\\.[0-5]\\.0/24");
    }
  }

  @Test
  void aNodeThatHasOneKeepsItAndADeletedNodesBlockIsFreeAgain() {
    fixture.apply("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"given\"},"
        + "\"spec\":{\"podCIDR\":\"10.244.0.0/24\",\"podCIDRs\":[\"10.244.0.0/24\"]}}");
    fixture.start(new NodeIpamController(fixture.context));
    node("a");
    await().until(() -> podCidr("a") != null);
    assertThat(podCidr("given")).isEqualTo("10.244.0.0/24");
    assertThat(podCidr("a")).isEqualTo("10.244.1.0/24");
    fixture.delete("v1", "Node", null, "given", null);
    node("b");
    node("c");
    await().until(() -> podCidr("b") != null && podCidr("c") != null);
    assertThat(List.of(podCidr("b"), podCidr("c"))).containsExactlyInAnyOrder("10.244.2.0/24", "10.244.3.0/24");
  }
}
