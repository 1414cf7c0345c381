package io.kubeactor.e2e;

import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A node agent in a process of its own, started from the kubelet-agent module's jar, as the launcher starts it. */
public final class AgentProcess implements AutoCloseable {
  final String name;
  final Path log;
  private final Process process;

  private AgentProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /**
   * Where and how a node joins: the cluster port, the API server, the cluster CA's file, and a join token
   * (a bootstrap token) for a node that has no certificate yet.
   */
  public record Join(int clusterPort, String apiServer, Path caFile, String token) {

    /** A join to an in-process control plane, with a new join token. */
    public static Join of(ControlPlane controlPlane) {
      return new Join(controlPlane.clusterPort(), "https://127.0.0.1:" + controlPlane.port(),
          controlPlane.certificates().caFile(), controlPlane.newJoinToken("e2e test"));
    }
  }

  public static AgentProcess start(String name, ControlPlane controlPlane, Path dir, String... flags) throws IOException {
    return start(name, Join.of(controlPlane), dir, flags);
  }

  public static AgentProcess start(String name, Join join, Path dir, String... flags) throws IOException {
    Path target = Path.of("..", "kubelet-agent", "target").toAbsolutePath().normalize();
    String classpath = target.resolve("kubelet-agent.jar") + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // as the launcher starts agents
        "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-Xss512k",
        "-cp", classpath, "io.kubeactor.agent.Main",
        "--name", name, "--control-plane", "127.0.0.1:" + join.clusterPort(), "--data-dir", dir.resolve(name).toString(),
        "--api-server", join.apiServer(), "--ca-cert", join.caFile().toString()));
    command.addAll(List.of(flags));
    Files.createDirectories(dir);
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (join.token() != null) builder.environment().put("KUBEACTOR_JOIN_TOKEN", join.token());
    Process p = builder.start();
    return new AgentProcess(name, log, p);
  }

  public String name() {
    return name;
  }

  /** Removes the containers of a node's pods and its pod network (what the launcher's `down` does). */
  public static void removeContainers(String node) throws IOException, InterruptedException {
    new ProcessBuilder("sh", "-c", "ids=$(docker ps -aq --filter label=io.kubeactor.node=" + node + "); [ -z \"$ids\" ] || docker rm -f $ids >/dev/null; "
        + "docker network rm kubeactor-" + node + " >/dev/null 2>&1 || true")
        .inheritIO().start().waitFor();
  }

  /** The ids of the Docker containers, running or not, of a pod on a node (its sandbox's too). */
  static List<String> podContainers(String node, String pod) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=io.kubeactor.node=" + node,
        "--filter", "label=io.kubernetes.pod.name=" + pod).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("docker ps failed: " + out);
    return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
  }

  boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits for the process to end by itself and returns its exit code. */
  /** The one-line reasons the agent printed ("kubeactor agent: ..."). */
  List<String> reasons() {
    return output().lines().filter(l -> l.startsWith("kubeactor agent:")).toList();
  }

  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError("agent " + name + " still runs");
    return process.exitValue();
  }

  /** The agent dies at once (kill -9): its containers stay. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
  }

  /** Fails with the agent's log when it exits early. */
  void awaitAlive(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!process.isAlive()) throw new AssertionError("agent " + name + " exited: " + output());
      return condition.call();
    });
  }
}
