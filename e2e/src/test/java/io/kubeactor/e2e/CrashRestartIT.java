package io.kubeactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.e2e.ControlPlaneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Restart after a crash, as a user meets it, through the launcher: after kill -9 of the control
 * plane (and of one agent), {@code ./kubeactor up} adopts the agent that still runs and restarts the
 * one that died, never a second agent for a node; a second agent for a node's data directory, or
 * under a joined node's name, is refused with one line. The cluster lives in a home of its own
 * (KUBEACTOR_HOME), with nodes named apart from a user's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRestartIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String FIRST = "crash";
  static final String SECOND = "crash-m02";

  static Path home;
  static int apiPort;
  static int clusterPort;
  /** The first node's agent, which outlives the control plane. */
  static long survivor;

  record Run(int exitCode, String out) {}

  @BeforeAll
  static void startTheCluster() throws Exception {
    home = Files.createTempDirectory("kubeactor-crash");
    apiPort = ControlPlaneProcess.freePort();
    clusterPort = ControlPlaneProcess.freePort();
    Run up = up();
    assertThat(up.exitCode()).as(up.out()).isZero();
    assertThat(up.out()).contains("Node " + FIRST + " is Ready", "Node " + SECOND + " is Ready");
  }

  @AfterAll
  static void stopTheCluster() throws Exception {
    if (home == null) return;
    launcher("down");
    AgentProcess.removeContainers(FIRST);
    AgentProcess.removeContainers(SECOND);
  }

  @Test
  @Order(1)
  void upAfterAKill9OfTheControlPlaneAdoptsTheAgentThatStillRunsAndRestartsTheOneThatDied() throws Exception {
    Map<String, Long> before = runningNodes(launcher("status").out());
    assertThat(before).containsOnlyKeys(FIRST, SECOND);
    assertThat(agentProcesses()).containsExactlyInAnyOrderElementsOf(before.values());
    survivor = before.get(FIRST);

    kill9(Long.parseLong(Files.readString(home.resolve("run/control-plane.pid")).strip()));
    kill9(before.get(SECOND));
    Run crashed = launcher("status");
    assertThat(crashed.exitCode()).isEqualTo(3);
    assertThat(crashed.out()).contains("control-plane: not running",
        "node " + FIRST + ": running (pid " + survivor + "), waiting for the control plane",
        "node " + SECOND + ": not running");

    Instant restarted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Run up = up();
    assertThat(up.exitCode()).as(up.out()).isZero();
    assertThat(up.out()).contains("Node " + FIRST + " still ran (pid " + survivor + "): adopted", "Node " + SECOND + " is Ready",
        "kubeactor is up with 2 node(s)");

    Run status = launcher("status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("control-plane: running");
    Map<String, Long> after = runningNodes(status.out());
    assertThat(after).containsOnlyKeys(FIRST, SECOND).containsEntry(FIRST, survivor);
    // one agent a node: the launcher's view and the processes agree
    assertThat(agentProcesses()).containsExactlyInAnyOrderElementsOf(after.values());
    // both joined the new control plane: Ready, with a heartbeat since (not the status the store kept)
    for (String node : List.of(FIRST, SECOND)) {
      String[] ready = kubectl("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} "
          + "{.status.conditions[?(@.type==\"Ready\")].lastHeartbeatTime}").strip().split(" ");
      assertThat(ready[0]).as("Ready of %s", node).isEqualTo("True");
      assertThat(Instant.parse(ready[1])).as("last heartbeat of %s", node).isAfterOrEqualTo(restarted);
    }
  }

  @Test
  @Order(2)
  void aSecondAgentForANodesDataDirectoryOrUnderItsJoinedNameIsRefusedWithOneLine() throws Exception {
    // the same data directory as the launcher's first node: its lock is held
    // a join token as a user makes one: the command ./kubeactor token create prints holds it
    Run token = launcher("token", "create");
    assertThat(token.exitCode()).as(token.out()).isZero();
    String[] printed = token.out().strip().split("\n");
    String joinCommand = printed[printed.length - 1];
    assertThat(joinCommand).matches("\\./kubeactor node join 127\\.0\\.0\\.1:" + clusterPort
        + " --token [a-z0-9]{6}\\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}"
        + " --api-server https://127\\.0\\.0\\.1:" + apiPort);
    var join = new AgentProcess.Join(clusterPort, "https://127.0.0.1:" + apiPort, home.resolve("data/pki/ca.crt"),
        joinCommand.replaceAll(".* --token ([a-z0-9.]+) .*", "$1"));
    try (AgentProcess sameDirectory = AgentProcess.start(FIRST, join, home.resolve("nodes"))) {
      assertThat(sameDirectory.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(sameDirectory.reasons()).containsExactly("kubeactor agent: node " + FIRST + ": the data directory "
          + home.resolve("nodes").resolve(FIRST) + " is in use by another agent (pid " + survivor
          + "); stop that agent first, or give this one another --data-dir");
    }

    // another directory, the same name: the control plane turns it away while the first lives
    try (AgentProcess sameName = AgentProcess.start(FIRST, join, home.resolve("elsewhere"))) {
      assertThat(sameName.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
      assertThat(sameName.reasons()).singleElement().asString()
          .startsWith("kubeactor agent: node " + FIRST + " is joined already by a live agent (at ")
          .endsWith(", from another data directory); stop that agent first, or give this one another --name");
    }

    assertThat(ProcessHandle.of(survivor).map(ProcessHandle::isAlive)).contains(true);
    assertThat(runningNodes(launcher("status").out())).containsEntry(FIRST, survivor);
    assertThat(kubectl("get", "node", FIRST, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
        .isEqualTo("True");

    // the printed command, run as another host runs it (here, this one): the node finds the cluster CA at the
    // API server by its hash, asks for its certificate with the token, and joins
    List<String> joinArgs = new ArrayList<>(List.of(joinCommand.substring("./kubeactor ".length()).split(" ")));
    joinArgs.addAll(List.of("--name", "crash-joined"));
    Run joined = launcher(joinArgs.toArray(String[]::new));
    assertThat(joined.exitCode()).as(joined.out()).isZero();
    assertThat(joined.out()).contains("Node crash-joined joined the cluster at 127.0.0.1:" + clusterPort);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> kubectl("get", "node", "crash-joined", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").equals("True"));
    assertThat(kubectl("get", "csr", "-o", "jsonpath={range .items[*]}{.spec.username} {.status.conditions[0].type}{\"\\n\"}{end}"))
        .contains("system:bootstrap:" + joinCommand.replaceAll(".* --token ([a-z0-9]+)\\..*", "$1") + " Approved");
  }

  @Test
  @Order(3)
  void downStopsEveryAgent() throws Exception {
    Run down = launcher("down");
    assertThat(down.exitCode()).as(down.out()).isZero();
    assertThat(agentProcesses()).isEmpty();
    assertThat(launcher("status").exitCode()).isEqualTo(3);
  }

  private static Run up() throws Exception {
    return launcher("up", "--nodes", "2", "--port", Integer.toString(apiPort), "--cluster-port", Integer.toString(clusterPort));
  }

  /** The launcher, as a user runs it, on this test's home and kubeconfig, with the jars the build made. */
  static Run launcher(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("kubeactor").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(home, "launcher-", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().putAll(Map.of("KUBEACTOR_HOME", home.toString(), "KUBECONFIG", home.resolve("kubeconfig").toString(),
        "KUBEACTOR_NAME", FIRST, "KUBEACTOR_NO_BUILD", "1"));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("./kubeactor " + String.join(" ", args) + " did not finish: " + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  private static String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", home.resolve("kubeconfig").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** "node NAME: running (pid P)" lines of the launcher's status, as name to pid. */
  private static Map<String, Long> runningNodes(String status) {
    Map<String, Long> nodes = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^node (\\S+): running \\(pid (\\d+)\\)").matcher(status);
    while (m.find()) nodes.put(m.group(1), Long.parseLong(m.group(2)));
    return nodes;
  }

  /** The pids of every live agent process that runs a node of this test's home. */
  private static List<Long> agentProcesses() {
    String nodes = "--data-dir " + home.resolve("nodes") + "/";
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("io.kubeactor.agent.Main") && c.contains(nodes)).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  /** The lines the agent wrote for its user (its log's other lines are the logger's). */
  private static void kill9(long pid) throws Exception {
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
  }
}
