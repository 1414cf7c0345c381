package io.kubeactor.controlplane.e2e;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubeactor.common.cluster.AgentEndpoint;
import io.kubeactor.controlplane.ControlPlane;
import io.kubeactor.controlplane.apiserver.ApiServer;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.controller.ControllerManager;
import io.kubeactor.controlplane.node.MetricsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A control plane started in this JVM on a free port with its own data directory, and the means to
 * talk to it as users do: the real kubectl with a kubeconfig of its own, and the fabric8 client.
 */
public final class TestCluster implements AutoCloseable {

  public record Result(int exitCode, String out, String err) {
    public String outOrFail() {
      if (exitCode != 0) throw new AssertionError("kubectl failed (" + exitCode + "): " + err + out);
      return out;
    }
  }

  private final ControlPlane controlPlane;
  private final Path dir;
  private final Path kubeconfig;

  private TestCluster(ControlPlane controlPlane, Path dir, Path kubeconfig) {
    this.controlPlane = controlPlane;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
  }

  public static TestCluster start() throws Exception {
    Path dir = Files.createTempDirectory("kubeactor-test");
    return start(dir, Map.of());
  }

  public static TestCluster start(Path dir, Map<String, Object> settings) throws Exception {
    Map<String, Object> conf = new java.util.HashMap<>(Map.of("kubeactor.data-dir", dir.resolve("data").toString(),
        "kubeactor.api.port", 0, "kubeactor.cluster.port", 0,
        "kubeactor.dns.port", 0));
    conf.putAll(settings);
    ControlPlane cp = ControlPlane.start(ConfigFactory.parseMap(conf));
    // as a user waits for /readyz: RBAC's bootstrap roles are in place
    cp.whenReady().toCompletableFuture().get(60, TimeUnit.SECONDS);
    awaitControllersSettled(cp);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfig(cp, cp.port(), "default"));
    return new TestCluster(cp, dir, kubeconfig);
  }

  /**
   * The controllers' first writes done, so that a test that counts writes or watches from now sees its
   * own only: the controllers' ServiceAccounts in kube-system, and in every namespace its default
   * ServiceAccount and the kube-root-ca.crt ConfigMap.
   */
  static void awaitControllersSettled(ControlPlane cp) {
    FreshRead fresh = new FreshRead(cp.registry());
    ResourceRegistry types = cp.registry().types();
    ResourceType accounts = types.find("/api/v1", "serviceaccounts").orElseThrow();
    ResourceType configMaps = types.find("/api/v1", "configmaps").orElseThrow();
    ResourceType namespaces = types.find("/api/v1", "namespaces").orElseThrow();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
        ControllerManager.serviceAccountNames().stream().allMatch(n -> fresh.exists(accounts, ControllerManager.NAMESPACE, n))
            && fresh.list(namespaces, null).stream().map(n -> n.path("metadata").path("name").asText()).allMatch(ns ->
                fresh.exists(accounts, ns, "default") && fresh.exists(configMaps, ns, "kube-root-ca.crt")));
  }

  /**
   * A kubeconfig for the admin of this control plane (its client certificate, as the launcher
   * writes it), served on the given port, in the given namespace.
   */
  public static String kubeconfig(ControlPlane cp, int port, String namespace) {
    String ca = Base64.getEncoder().encodeToString(cp.certificates().caPem().getBytes(StandardCharsets.UTF_8));
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubeactor
          cluster:
            server: https://127.0.0.1:%d
            certificate-authority-data: %s
        users:
        - name: admin
          user:
            client-certificate: %s
            client-key: %s
        contexts:
        - name: kubeactor
          context:
            cluster: kubeactor
            user: admin
            namespace: %s
        current-context: kubeactor
        """.formatted(port, ca, cp.admin().certificateFile(), cp.admin().keyFile(), namespace);
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public String server() {
    return "https://127.0.0.1:" + controlPlane.port();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Runs the real kubectl against this cluster. */
  public Result kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  public Result kubectlWithInput(String stdin, String... args) {
    return kubectl(kubeconfig, dir, stdin, args);
  }

  /**
   * An older or newer real kubectl ("1.27"): the binary {@code kubectl.<version>} beside the real
   * kubectl that PATH's {@code kubectl} leads to (as Google Cloud SDK's installs them), with a cache
   * of its own. A missing binary fails the test: it names what to install.
   */
  public Result kubectlVersion(String version, String... args) {
    return kubectl(kubectlBinary(version).toString(), kubeconfig, dir.resolve("kubectl-" + version), null, args);
  }

  /** The binary of kubectl {@code version} ("1.27"), as {@link #kubectlVersion} finds it. */
  public static Path kubectlBinary(String version) {
    Path binary = realKubectl().resolveSibling("kubectl." + version);
    if (!Files.isExecutable(binary)) throw new AssertionError("kubectl " + version + " is not installed as " + binary);
    return binary;
  }

  private static Path realKubectl() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(entry, "kubectl");
      if (Files.isExecutable(candidate)) {
        try {
          return candidate.toRealPath();
        } catch (IOException e) {
          throw new AssertionError("cannot resolve " + candidate + ": " + e, e);
        }
      }
    }
    throw new AssertionError("no kubectl on PATH");
  }

  /** The real kubectl with a kubeconfig, its cache and HOME under {@code dir}, and optional input. */
  public static Result kubectl(Path kubeconfig, Path dir, String stdin, String... args) {
    return kubectl("kubectl", kubeconfig, dir, stdin, args);
  }

  /** A kubectl {@code binary} (a path, or "kubectl" from PATH) as {@link #kubectl(Path, Path, String, String...)}. */
  public static Result kubectl(String binary, Path kubeconfig, Path dir, String stdin, String... args) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new AssertionError("cannot make " + dir + ": " + e, e);
    }
    List<String> cmd = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString()));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("HOME", dir.toString());
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("could not run kubectl: " + e, e);
    }
  }

  /**
   * This host's address on Docker's default bridge (docker0): an address of the host that is not
   * loopback (which Endpoints and EndpointSlices may not name) and that every container reaches.
   * `./kubeactor test` makes sure Docker runs before the tests.
   */
  public static String dockerBridgeAddress() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "ip -4 -o addr show dev $(docker network inspect bridge -f "
        + "'{{index .Options \"com.docker.network.bridge.name\"}}') | awk '{split($4, a, \"/\"); print a[1]; exit}'")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || out.isEmpty()) throw new IllegalStateException("no address on Docker's default bridge: " + out);
    return out;
  }

  /** A kubectl process left running (for -w), its output read by the caller. */
  public Process kubectlBackground(Path output, String... args) throws IOException {
    return kubectlBackground("kubectl", kubeconfig, dir, output, args);
  }

  /** As {@link #kubectlBackground(Path, String...)}, for a kubectl {@code binary} and {@code kubeconfig}. */
  public static Process kubectlBackground(String binary, Path kubeconfig, Path dir, Path output, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("HOME", dir.toString());
    return pb.start();
  }

  public KubernetesClient fabric8() {
    return fabric8(server());
  }

  /** The fabric8 client as the admin, to this control plane's API server at {@code server}. */
  public KubernetesClient fabric8(String server) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(server)
        .withCaCertData(Base64.getEncoder().encodeToString(controlPlane.certificates().caPem().getBytes(StandardCharsets.UTF_8)))
        .withOauthToken(controlPlane.tokens().adminToken())
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A second API server of this control plane whose one node agent, {@code node}'s, is at
   * {@code agent}: the tests' way to a pod's log, exec and port-forward without a node.
   * {@code proxyToLoopback}: its proxy may reach loopback addresses (ProxyIT's backends).
   */
  public ServerBinding apiServerWithAgent(String node, AgentEndpoint agent, boolean proxyToLoopback) throws Exception {
    return apiServerWithAgent(node, agent, proxyToLoopback, 0);
  }

  /** As {@link #apiServerWithAgent(String, AgentEndpoint, boolean)}, on {@code port} (0: a free one). */
  public ServerBinding apiServerWithAgent(String node, AgentEndpoint agent, boolean proxyToLoopback, int port)
      throws Exception {
    ControlPlane cp = controlPlane;
    ApiServer api = new ApiServer(cp.registry(), cp.access(), cp.system(), "127.0.0.1:0", Duration.ofSeconds(30),
        Duration.ofSeconds(60), n -> n.equals(node) ? Optional.of(agent) : Optional.empty(),
        cp.agentConnections(), java.time.Clock.systemUTC(), new MetricsServer(), proxyToLoopback);
    return api.bind(cp.system(), "127.0.0.1", port, cp.certificates().serverContext()).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    controlPlane.close();
  }
}
