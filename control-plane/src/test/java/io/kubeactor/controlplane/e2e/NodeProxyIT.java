package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl's logs, exec and attach through the API server to a node agent: a stand-in agent
 * speaking the agent's HTTP and WebSocket channel protocol (the real one, on Docker, is tested in the
 * kubelet-agent module), so that what is checked here is the API server's part: its checks, the
 * options it passes on, the streams it joins, and how the agent's refusals reach kubectl.
 */
class NodeProxyIT {

  static TestCluster cluster;
  static ServerBinding agent;
  static ServerBinding proxied;
  static Path kubeconfig;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kubeactor-proxy");
    cluster = TestCluster.start(dir, java.util.Map.of());
    ControlPlane cp = cluster.controlPlane();
    agent = StandInAgent.start(cp, "node-1");
    proxied = cluster.apiServerWithAgent("node-1", new AgentEndpoint("127.0.0.1", agent.localAddress().getPort()), false);
    kubeconfig = dir.resolve("proxied-kubeconfig");
    Files.writeString(kubeconfig, TestCluster.kubeconfig(cp, proxied.localAddress().getPort(), "streams"));
    kubectl("create", "namespace", "streams").outOrFail();
    kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeName: node-1
          containers: [{name: main, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: multi}
        spec:
          nodeName: node-1
          containers: [{name: a, image: busybox}, {name: b, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: stopped}
        spec:
          nodeName: node-1
          containers: [{name: main, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: orphan}
        spec:
          nodeName: node-9
          containers: [{name: main, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: pending}
        spec:
          schedulerName: nobody
          containers: [{name: main, image: busybox}]
        """, "apply", "-f", "-").outOrFail();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static TestCluster.Result kubectlWithInput(String stdin, String... args) {
    return TestCluster.kubectl(kubeconfig, dir, stdin, args);
  }

  static TestCluster.Result kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  @Test
  void logsPassTheOptionsOnAndStream() {
    assertThat(kubectl("logs", "web").outOrFail()).isEqualTo("query=\nhello from main\n");
    assertThat(kubectl("logs", "web", "--tail=2", "--timestamps", "--since=1h", "--limit-bytes=100").outOrFail())
        .startsWith("query=timestamps=true&sinceSeconds=3600&tailLines=2&limitBytes=100\n");
    assertThat(kubectl("logs", "-f", "web", "-c", "main").outOrFail()).isEqualTo("query=follow=true\ntick 1\ntick 2\ntick 3\n");
  }

  @Test
  void logErrorsAreStatuses() {
    TestCluster.Result previous = kubectl("logs", "stopped", "--previous");
    assertThat(previous.exitCode()).isEqualTo(1);
    assertThat(previous.err()).isEqualTo(
        "Error from server (BadRequest): previous terminated container \"main\" in pod \"stopped\" not found\n");
    assertThat(kubectl("logs", "nosuch").err())
        .isEqualTo("error: error from server (NotFound): pods \"nosuch\" not found in namespace \"streams\"\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/streams/pods/nosuch/log").err())
        .isEqualTo("Error from server (NotFound): pods \"nosuch\" not found\n");
    // kubectl checks the container itself, in the API server's words
    assertThat(kubectl("logs", "web", "-c", "nope").err()).isEqualTo("error: container nope is not valid for pod web\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/streams/pods/web/log?container=nope").err())
        .isEqualTo("Error from server (BadRequest): container nope is not valid for pod web\n");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/streams/pods/multi/log").err())
        .isEqualTo("Error from server (BadRequest): a container name must be specified for pod multi, choose one of: [a b]\n");
    assertThat(kubectl("logs", "orphan").err())
        .isEqualTo("Error from server (ServiceUnavailable): no node agent is connected for node \"node-9\"\n");
    // as upstream: a pod on no node has an empty log
    assertThat(kubectl("logs", "pending").outOrFail()).isEmpty();
  }

  @Test
  void execJoinsTheStreamsAndExitsWithTheCommandsCode() {
    TestCluster.Result failed = kubectl("exec", "web", "--", "fail");
    assertThat(failed.out()).isEqualTo("about to fail\n");
    assertThat(failed.err()).isEqualTo("oops\ncommand terminated with exit code 3\n");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(kubectlWithInput("hello\nworld\n", "exec", "-i", "web", "--", "echo-stdin").outOrFail()).isEqualTo("hello\nworld\n");
    assertThat(kubectl("exec", "web", "--", "echo", "a b", "c").outOrFail()).isEqualTo("ran [echo, a b, c]\n");
  }

  @Test
  void execRefusalsReachKubectl() {
    TestCluster.Result stopped = kubectl("exec", "stopped", "--", "ls");
    assertThat(stopped.exitCode()).isEqualTo(1);
    assertThat(stopped.err()).isEqualTo("error: unable to upgrade connection: container not found (\"main\")\n");
    assertThat(kubectl("exec", "pending", "--", "ls").err())
        .isEqualTo("Error from server (BadRequest): pod pending does not have a host assigned\n");
    assertThat(kubectl("exec", "orphan", "--", "ls").err())
        .isEqualTo("Error from server (ServiceUnavailable): no node agent is connected for node \"node-9\"\n");
  }

  @Test
  void attachJoinsTheMainProcess() {
    assertThat(kubectl("attach", "web").outOrFail()).isEqualTo("attached\n");
  }
}
