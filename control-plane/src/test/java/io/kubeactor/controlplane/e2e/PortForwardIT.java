package io.kubeactor.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.kubeactor.agent.stream.PodNetworks;
import io.kubeactor.agent.stream.StreamException;
import io.kubeactor.agent.stream.StreamServer;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.ControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl's port-forward through the API server to the agent's streaming server, both in this
 * JVM, to a "pod" that is an HTTP server on 127.0.0.1: pods, Services (kubectl maps the service port to
 * the container port itself) and Deployments, connections at once, a port with nothing listening, and
 * kubectl killed. No Docker: the agent is told the pod's network.
 */
class PortForwardIT {

  static TestCluster cluster;
  static ServerBinding agent;
  static ServerBinding proxied;
  static Path kubeconfig;
  static Path dir;
  static ServerSocket pod;
  static final AtomicInteger podConnectionsOpen = new AtomicInteger();
  static final AtomicInteger podConnectionsSeen = new AtomicInteger();
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pod = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(PortForwardIT::acceptPodConnections, "pod-server");
    accept.setDaemon(true);
    accept.start();

    dir = Files.createTempDirectory("kubeactor-portforward");
    cluster = TestCluster.start(dir, Map.of());
    ControlPlane cp = cluster.controlPlane();
    // the agent's own streaming server; its Docker client is never called by port-forward
    var docker = DockerClientImpl.getInstance(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///nonexistent.sock").build(),
        new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///nonexistent.sock")).build());
    PodNetworks networks = (namespace, name) -> {
      if (name.startsWith("web")) return new PodNetworks.PodNetwork("sandbox-" + name, "127.0.0.1");
      throw new StreamException(404, "pod does not exist");
    };
    agent = StreamServer.bind(cp.system(), docker, URI.create("unix:///nonexistent.sock"), "node-1", "127.0.0.1", 0,
        TestAgentTls.agent(cp.certificates(), "node-1"), networks, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
    AgentEndpoint endpoint = new AgentEndpoint("127.0.0.1", agent.localAddress().getPort());
    proxied = cluster.apiServerWithAgent("node-1", endpoint, false);
    kubeconfig = dir.resolve("proxied-kubeconfig");
    Files.writeString(kubeconfig, TestCluster.kubeconfig(cp, proxied.localAddress().getPort(), "forward"));
    kubectl("create", "namespace", "forward").outOrFail();
    int port = pod.getLocalPort();
    kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          nodeName: node-1
          containers: [{name: main, image: nginx, ports: [{name: http, containerPort: %d}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: unscheduled}
        spec:
          schedulerName: nobody
          containers: [{name: main, image: nginx}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              nodeSelector: {nowhere: "true"}
              containers: [{name: main, image: nginx, ports: [{containerPort: %d}]}]
        """.formatted(port, port), "apply", "-f", "-").outOrFail();
    // kubectl forwards only to a running pod: the agent would have reported this
    kubectl("patch", "pod", "web", "--subresource=status", "--type=merge", "-p", """
        {"status":{"phase":"Running","podIP":"127.0.0.1","podIPs":[{"ip":"127.0.0.1"}],
         "conditions":[{"type":"Ready","status":"True"}]}}""").outOrFail();
  }

  /** An HTTP/1.1 server in miniature: answers each request with the request's path, then closes. */
  static void acceptPodConnections() {
    while (!pod.isClosed()) {
      try {
        Socket s = pod.accept();
        podConnectionsSeen.incrementAndGet();
        podConnectionsOpen.incrementAndGet();
        Thread t = new Thread(() -> servePod(s));
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  static void servePod(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      StringBuilder head = new StringBuilder();
      for (int c; (c = in.read()) != -1; ) {
        head.append((char) c);
        if (head.toString().endsWith("\r\n\r\n")) break;
      }
      if (!head.toString().endsWith("\r\n\r\n")) return; // the client went away without asking
      String path = head.toString().split(" ")[1];
      byte[] body = path.equals("/big") ? big() : ("hello from the pod, you asked for " + path + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // the forward went away
    } finally {
      podConnectionsOpen.decrementAndGet();
    }
  }

  static final int BIG = 16 * 1024 * 1024;

  /** Bytes enough to fill every buffer on the way many times over. */
  static byte[] big() {
    byte[] b = new byte[BIG];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i % 251);
    return b;
  }

  @AfterEach
  void stopKubectl() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
    pod.close();
  }

  static TestCluster.Result kubectl(String... args) {
    return TestCluster.kubectl(kubeconfig, dir, null, args);
  }

  static TestCluster.Result kubectlWithInput(String stdin, String... args) {
    return TestCluster.kubectl(kubeconfig, dir, stdin, args);
  }

  /** A running kubectl port-forward and what it has printed so far. */
  record Forward(Process process, Path output, int localPort) {
    String printed() throws IOException {
      return Files.readString(output);
    }
  }

  /** Starts kubectl port-forward and waits for its "Forwarding from 127.0.0.1:N -> P" line. */
  Forward portForward(String target, String ports) throws Exception {
    return portForward(target, ports, Map.of());
  }

  Forward portForward(String target, String ports, Map<String, String> env) throws Exception {
    Path output = Files.createTempFile(dir, "port-forward", ".txt");
    ProcessBuilder pb = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
        dir.resolve("kube-cache").toString(), "port-forward", "--address", "127.0.0.1", target, ports)
        .redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("HOME", dir.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) ->");
    int[] local = new int[1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      String printed = Files.readString(output);
      assertThat(p.isAlive()).as("kubectl still runs: " + printed).isTrue();
      Matcher m = forwarding.matcher(printed);
      assertThat(m.find()).as(printed).isTrue();
      local[0] = Integer.parseInt(m.group(1));
    });
    return new Forward(p, output, local[0]);
  }

  static String get(int localPort, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void forwardsAPodsPortManyConnectionsAtOnce() throws Exception {
    Forward f = portForward("pod/web", ":" + pod.getLocalPort());
    assertThat(f.printed()).contains("Forwarding from 127.0.0.1:" + f.localPort() + " -> " + pod.getLocalPort());
    assertThat(get(f.localPort(), "/first")).isEqualTo("hello from the pod, you asked for /first\n");
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String path = "/at-once-" + i;
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          return get(f.localPort(), path);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (int i = 0; i < 8; i++) {
      assertThat(all.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("hello from the pod, you asked for /at-once-" + i + "\n");
    }
    assertThat(f.printed()).contains("Handling connection for " + f.localPort());
    assertThat(f.process().isAlive()).isTrue();
    HttpResponse<byte[]> big = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.localPort() + "/big"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(big.body()).hasSize(BIG).isEqualTo(big());
  }

  @Test
  void forwardsOverAPlainSpdyUpgradeToo() throws Exception {
    // what kubectl does when the WebSocket is refused, and what kubectls before 1.31 do
    Forward f = portForward("pod/web", ":" + pod.getLocalPort(), Map.of("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"));
    assertThat(get(f.localPort(), "/over-spdy")).isEqualTo("hello from the pod, you asked for /over-spdy\n");
    assertThat(get(f.localPort(), "/again")).isEqualTo("hello from the pod, you asked for /again\n");
  }

  @Test
  void forwardsAServiceAndADeploymentToTheirPod() throws Exception {
    // kubectl finds the Service's pod and maps port 80 to the container port named by targetPort
    Forward svc = portForward("svc/web", ":80");
    assertThat(svc.printed()).contains("-> " + pod.getLocalPort());
    assertThat(get(svc.localPort(), "/via-service")).isEqualTo("hello from the pod, you asked for /via-service\n");
    Forward deploy = portForward("deployment/web", ":" + pod.getLocalPort());
    assertThat(get(deploy.localPort(), "/via-deployment")).isEqualTo("hello from the pod, you asked for /via-deployment\n");
  }

  @Test
  void aPortWithNothingListeningGivesKubeletsError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Forward f = portForward("pod/web", ":" + closedPort);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.localPort())) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      s.setSoTimeout(20_000);
      assertThat(s.getInputStream().read()).as("the forwarded connection ends").isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.printed()).contains(
        "error forwarding port " + closedPort + " to pod sandbox-web, uid : failed to connect to 127.0.0.1:" + closedPort
            + " in the pod's network: dial tcp4 127.0.0.1:" + closedPort + ": connect: connection refused"));
    // kubectl 1.32 itself ends the session after an error on a connection (client-go's portforward.go)
    assertThat(f.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(f.process().exitValue()).isEqualTo(1);
    assertThat(f.printed()).contains("an error occurred forwarding " + f.localPort() + " -> " + closedPort)
        .endsWith("error: lost connection to pod\n");
  }

  @Test
  void killingKubectlClosesThePodsConnections() throws Exception {
    Forward f = portForward("pod/web", ":" + pod.getLocalPort());
    int seen = podConnectionsSeen.get();
    try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), f.localPort())) {
      // a connection that asks nothing stays open at the pod until kubectl goes
      await().atMost(Duration.ofSeconds(20)).until(() -> podConnectionsSeen.get() > seen);
      assertThat(podConnectionsOpen.get()).isPositive();
      f.process().destroyForcibly();
      f.process().waitFor(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(20)).until(() -> podConnectionsOpen.get() == 0);
    }
  }

  @Test
  void refusalsReachKubectl() {
    TestCluster.Result pending = kubectl("port-forward", "pod/unscheduled", "8080:80");
    assertThat(pending.exitCode()).isEqualTo(1);
    // kubectl checks the phase itself
    assertThat(pending.err()).contains("unable to forward port because pod is not running. Current status=Pending");
    assertThat(kubectl("get", "--raw", "/api/v1/namespaces/forward/pods/web/portforward").err())
        .isEqualTo("Error from server (BadRequest): Upgrade request required\n");
  }
}
