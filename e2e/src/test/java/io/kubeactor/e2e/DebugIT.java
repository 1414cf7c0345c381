package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.e2e.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl debug on a real cluster: an ephemeral container added to a running pod through
 * pods/ephemeralcontainers, started by the node agent in the pod's network and the target
 * container's processes, attached to, and reported in the pod's status, while the pod's own
 * container runs on untouched.
 */
class DebugIT {
  static final Duration MINUTE = Duration.ofSeconds(60);
  static ClusterWithNodes c;

  @BeforeAll
  static void start() throws Exception {
    c = ClusterWithNodes.start("debug", Map.of(), List.of("dbg-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) c.close();
  }

  /** The web pod's own container: its restart count and the instance it runs. */
  static String webContainer() {
    return c.jsonpath("pod/web", "{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].containerID}");
  }

  @Test
  void debugContainersJoinARunningPodWithoutDisturbingIt() throws Exception {
    c.ok("run", "web", "--image=nginx:1.14.2");
    c.awaitRunning("web");
    String before = webContainer();
    assertThat(before).startsWith("0 docker://");

    // -it with the target's processes: the command sees nginx (target's PID namespace) and serves it
    // from localhost (the pod's network); its output comes back through attach, or its logs if it ended first
    TestCluster.Result debug = c.kubectlWithInput("", "debug", "web", "-it", "--image=busybox", "--target=web", "--",
        "sh", "-c", "echo debug-says-hello; ps; wget -q -O - http://127.0.0.1/");
    assertThat(debug.exitCode()).as(debug.err()).isZero();
    assertThat(debug.out()).contains("Targeting container \"web\"", "Defaulting debug container name to debugger-",
        "debug-says-hello", "nginx: master process", "Welcome to nginx!");
    String shortLived = c.jsonpath("pod/web", "{.spec.ephemeralContainers[0].name}");
    c.await("pod/web", "{.status.ephemeralContainerStatuses[0].state.terminated.reason}", MINUTE, "Completed"::equals);

    // a long-running one, not attached: it runs, and stays out of the pod's readiness
    assertThat(c.ok("debug", "web", "--image=busybox", "--", "sleep", "3600")).startsWith("Defaulting debug container name to debugger-");
    c.await("pod/web", "{.status.ephemeralContainerStatuses[1].state}", MINUTE, s -> s.contains("\"running\""));
    assertThat(c.jsonpath("pod/web", "{.status.ephemeralContainerStatuses[1].ready}")).isEqualTo("false");
    assertThat(c.jsonpath("pod/web", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
    String sleeper = c.jsonpath("pod/web", "{.spec.ephemeralContainers[1].name}");
    assertThat(c.ok("exec", "web", "-c", sleeper, "--", "echo", "inside")).isEqualTo("inside\n");

    // the first one ended and is never started again; the pod's own container never stopped
    assertThat(c.jsonpath("pod/web", "{.status.ephemeralContainerStatuses[0].name} {.status.ephemeralContainerStatuses[0].restartCount}"))
        .isEqualTo(shortLived + " 0");
    assertThat(webContainer()).isEqualTo(before);

    String describe = c.ok("describe", "pod", "web");
    assertThat(describe).contains("Ephemeral Containers:", "  " + shortLived + ":", "  " + sleeper + ":",
        "Created container: " + shortLived, "Started container " + sleeper);

    // ephemeral containers may not be removed, and go with their pod
    TestCluster.Result removal = c.kubectl("patch", "pod", "web", "--subresource", "ephemeralcontainers", "--type", "json",
        "-p", "[{\"op\": \"remove\", \"path\": \"/spec/ephemeralContainers/1\"}]");
    assertThat(removal.exitCode()).isNotZero();
    assertThat(removal.err()).contains("existing ephemeral containers \"" + sleeper + "\" may not be removed");
    assertThat(AgentProcess.podContainers("dbg-node", "web")).hasSize(4); // the sandbox, web and the two debuggers
    c.ok("delete", "pod", "web", "--wait=true");
    ClusterWithNodes.awaitTrue(MINUTE, () -> AgentProcess.podContainers("dbg-node", "web").isEmpty());
  }
}
