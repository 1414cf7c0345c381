package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent killed with kill -9 under a ReplicaSet and a StatefulSet: its Node goes NotReady, the
 * ReplicaSet's pods run elsewhere once the toleration runs out, no StatefulSet identity ever runs
 * twice, and the agent, restarted, removes what it should no longer run.
 */
class ChaosIT {
  static final long TOLERATION_SECONDS = 10;
  static final int REPLICAS = 6;
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("chaos", NodeFailure.settings(TOLERATION_SECONDS), NodeFailure.NODES);
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  @Test
  void aKilledAgentsPodsAreReplacedAndItsStatefulIdentityNeverRunsTwice() throws Exception {
    NodeFailure chaos = new NodeFailure(c);
    chaos.deploy(REPLICAS);
    String victim = chaos.chooseVictim();
    List<String> evicted = chaos.rsPodsOn(victim);
    String identity = chaos.stsPodOn(victim);
    assertThat(c.jsonpath("pod/" + identity, "{.spec.tolerations[?(@.key==\"node.kubernetes.io/unreachable\")].tolerationSeconds}"))
        .isEqualTo(Long.toString(TOLERATION_SECONDS));

    long killed = System.nanoTime();
    chaos.killVictim();

    // the failure detector notices; the node is NotReady and tainted
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      NodeFailure.assertThatNodeIsNotReady(c, victim);
      assertThat(c.jsonpath("node/" + victim, "{.spec.taints[*].key}")).contains("node.kubernetes.io/unreachable");
    });
    assertThat(c.ok("get", "nodes")).containsPattern(victim + "\\s+NotReady");

    // the ReplicaSet's pods run elsewhere within the toleration and a few seconds more; meanwhile the
    // StatefulSet's pod on the dead node is never started a second time
    await().atMost(Duration.ofSeconds(TOLERATION_SECONDS + 60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      assertThat(NodeFailure.runningContainers(identity)).as("running containers of %s", identity).isLessThanOrEqualTo(1);
      return chaos.replicaSetRunsElsewhere(REPLICAS);
    });
    double seconds = (System.nanoTime() - killed) / 1e9;
    assertThat(seconds).as("seconds from kill -9 to every ReplicaSet pod running elsewhere").isLessThan(TOLERATION_SECONDS + 45);
    for (String pod : evicted) assertThat(c.runningPodNames(NodeFailure.RS_SELECTOR)).doesNotContain(pod);

    // the StatefulSet's pod on the dead node waits, marked for deletion, bound to the dead node
    await().atMost(Duration.ofSeconds(30)).until(() -> !c.jsonpath("pod/" + identity, "{.metadata.deletionTimestamp}").isEmpty());
    assertThat(c.jsonpath("pod/" + identity, "{.spec.nodeName}")).isEqualTo(victim);
    assertThat(NodeFailure.runningContainers(identity)).isEqualTo(1);

    // the agent comes back: it stops what is no longer its own, the identity is started once again
    chaos.restartVictim();
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(NodeFailure.runningContainers(identity)).isLessThanOrEqualTo(1);
      assertThat(c.runningPodNames(NodeFailure.STS_SELECTOR)).contains(identity);
      assertThat(c.jsonpath("pod/" + identity, "{.metadata.deletionTimestamp}")).isEmpty();
    });
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      List<String> bound = c.pods("app in (chaos-web,chaos-db)").stream().map(p -> p.split(" "))
          .filter(f -> f.length >= 3 && f[2].equals(victim)).map(f -> f[0]).toList();
      assertThat(NodeFailure.podsWithContainersOn(victim)).as("containers on %s", victim).allMatch(bound::contains);
      for (String pod : evicted) assertThat(NodeFailure.podsWithContainersOn(victim)).doesNotContain(pod);
    });
    assertThat(NodeFailure.runningContainers(identity)).isEqualTo(1);
    c.awaitReady(c.agent(victim));
    c.ok("delete", "rs", "chaos-web");
    c.ok("delete", "sts", "chaos-db");
  }
}
