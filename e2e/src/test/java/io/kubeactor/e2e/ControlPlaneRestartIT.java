package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.e2e.ControlPlaneProcess;
import io.kubeactor.controlplane.e2e.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane restarts; its agents join it again and keep their pods' containers. */
class ControlPlaneRestartIT {

  @Test
  void agentsRejoinARestartedControlPlaneAndKeepTheirContainers() throws Exception {
    Path dir = Files.createTempDirectory("kubeactor-cp-restart");
    Map<String, Object> ports = Map.of("kubeactor.api.port", ControlPlaneProcess.freePort(),
        "kubeactor.cluster.port", ControlPlaneProcess.freePort());
    TestCluster cluster = TestCluster.start(dir, ports);
    AgentProcess agent = AgentProcess.start("restart-node", cluster.controlPlane(), dir.resolve("nodes"));
    try {
      TestCluster first = cluster;
      agent.awaitAlive(Duration.ofSeconds(90), () -> first.kubectl("get", "node", "restart-node", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
      first.kubectl("run", "survivor", "--image=busybox", "--", "sleep", "3600").outOrFail();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          first.kubectl("get", "pod", "survivor", "-o", "jsonpath={.status.phase}").out().equals("Running"));
      String containerId = first.kubectl("get", "pod", "survivor", "-o",
          "jsonpath={.status.containerStatuses[0].containerID}").outOrFail();

      cluster.close();
      cluster = TestCluster.start(dir, ports);

      TestCluster second = cluster;
      // the agent notices, joins the new control plane, and reports the same container still running
      agent.awaitAlive(Duration.ofSeconds(90), () -> second.kubectl("get", "pod", "survivor", "-o",
          "jsonpath={.status.phase} {.status.containerStatuses[0].containerID}").out().equals("Running " + containerId)
          && second.kubectl("exec", "survivor", "--", "true").exitCode() == 0);
      assertThat(second.kubectl("get", "pod", "survivor", "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out())
          .isEqualTo("0");
    } finally {
      agent.close();
      AgentProcess.removeContainers("restart-node");
      cluster.close();
    }
  }
}
