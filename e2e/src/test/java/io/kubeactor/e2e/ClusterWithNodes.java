package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.e2e.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A control plane in this JVM and node agents in processes of their own, running pods as Docker
 * containers, with the real kubectl: what the integration suites drive. Nodes are named apart from
 * the launcher's, and only their containers are removed at the end.
 */
public final class ClusterWithNodes implements AutoCloseable {
  static final Path K8S_DEMO = Path.of("..", "k8s-demo").toAbsolutePath().normalize();

  final Path dir;
  final TestCluster cluster;
  final List<AgentProcess> agents = new ArrayList<>();
  private final List<String> everyNodeName = new ArrayList<>();

  private ClusterWithNodes(Path dir, TestCluster cluster) {
    this.dir = dir;
    this.cluster = cluster;
  }

  /** A control plane with the settings, and agents of these names, each Ready. */
  public static ClusterWithNodes start(String prefix, Map<String, Object> settings, List<String> nodes) throws Exception {
    Path dir = Files.createTempDirectory("kubeactor-" + prefix);
    ClusterWithNodes c = new ClusterWithNodes(dir, TestCluster.start(dir, settings));
    try {
      for (String n : nodes) c.agents.add(c.startAgent(n));
      for (AgentProcess a : c.agents) c.awaitReady(a);
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  AgentProcess startAgent(String name, String... extra) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--cpu", "2", "--memory", "2Gi"));
    flags.addAll(List.of(extra));
    if (!everyNodeName.contains(name)) everyNodeName.add(name);
    return AgentProcess.start(name, cluster.controlPlane(), dir.resolve("nodes"), flags.toArray(String[]::new));
  }

  AgentProcess agent(String name) {
    return agents.stream().filter(a -> a.name.equals(name)).findFirst().orElseThrow();
  }

  void awaitReady(AgentProcess a) {
    a.awaitAlive(Duration.ofSeconds(90), () -> kubectl("get", "node", a.name, "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
  }

  public TestCluster.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  /** The fabric8 client of the cluster's admin. */
  public io.fabric8.kubernetes.client.KubernetesClient fabric8() {
    return cluster.fabric8();
  }

  /** The address of Docker's default bridge, where pods reach the control plane (the launcher advertises the same). */
  public static String dockerBridgeAddress() throws Exception {
    return TestCluster.dockerBridgeAddress();
  }

  /** kubectl running on in the background, its output going to the file. */
  Process kubectlBackground(Path output, String... args) throws java.io.IOException {
    return cluster.kubectlBackground(output, args);
  }

  TestCluster.Result kubectlWithInput(String stdin, String... args) {
    return cluster.kubectlWithInput(stdin, args);
  }

  /** kubectl's answer, failing the test with its error output if it failed. */
  public String ok(String... args) {
    return kubectl(args).outOrFail();
  }

  public String jsonpath(String resource, String jsonpath) {
    return kubectl("get", resource, "-o", "jsonpath=" + jsonpath).out();
  }

  /** Waits until the jsonpath of the resource satisfies the condition. */
  void await(String resource, String jsonpath, Duration atMost, Predicate<String> condition) {
    org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      String value = jsonpath(resource, jsonpath);
      assertThat(condition.test(value)).as("%s %s = '%s'", resource, jsonpath, value).isTrue();
    });
  }

  void awaitRunning(String pod) {
    await("pod/" + pod, "{.status.phase}", Duration.ofSeconds(90), "Running"::equals);
  }

  /** The pods matching a label selector, each as "name phase node", one per line, Terminating ones as such. */
  List<String> pods(String selector) {
    String out = kubectl("get", "pods", "-l", selector, "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}").out();
    return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
  }

  /** The names of the matching pods that are Running and not being deleted. */
  List<String> runningPodNames(String selector) {
    return pods(selector).stream().map(p -> p.split(" ")).filter(f -> f.length == 3 && f[1].equals("Running"))
        .map(f -> f[0]).toList();
  }

  /** Waits until exactly {@code n} pods match, all Running and none being deleted. */
  public void awaitRunningPods(String selector, int n, Duration atMost) {
    org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      List<String> pods = pods(selector);
      assertThat(pods).as("pods %s", selector).hasSize(n).allMatch(p -> p.split(" ").length == 3 && p.split(" ")[1].equals("Running"));
    });
  }

  /** Waits until no pod matches the selector (deleted, not merely Terminating). */
  void awaitNoPods(String selector, Duration atMost) {
    org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(pods(selector)).as("pods %s", selector).isEmpty());
  }

  /**
   * The ingress controller as the launcher's deploy_ingress deploys it: its image (built from this
   * build's jar by docker/build-images.sh) and the manifest with its ServiceAccount and roles; then waits until
   * it runs on every node.
   */
  public void deployIngressController() throws Exception {
    buildImages();
    Path manifest = Path.of("..", "ingress-controller", "deploy", "ingress-nginx.yaml").toAbsolutePath().normalize();
    // the controller reaches the API server with its ServiceAccount's mounted token, as RBAC allows it
    ok("apply", "-f", manifest.toString());
    assertThat(ok("-n", "ingress-nginx", "rollout", "status", "daemonset/ingress-nginx-controller", "--timeout=180s"))
        .contains("successfully rolled out");
  }

  /** The images the launcher builds (docker/build-images.sh), the ingress controller's from this build's jar. */
  void buildImages() throws Exception {
    Path log = dir.resolve("build-images.log");
    Process build = new ProcessBuilder(Path.of("..", "docker", "build-images.sh").toAbsolutePath().normalize().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(build.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)).as("docker/build-images.sh finished").isTrue();
    assertThat(build.exitValue()).as("docker/build-images.sh: %s", Files.readString(log)).isZero();
  }

  String demo(String file) {
    return K8S_DEMO.resolve(file).toString();
  }

  @Override
  public void close() throws Exception {
    for (AgentProcess a : agents) a.close();
    // the pods' containers go with the cluster (only this suite's nodes: a user's cluster may share the engine)
    for (String node : everyNodeName) AgentProcess.removeContainers(node);
    cluster.close();
  }

  static void awaitTrue(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(condition);
  }
}
